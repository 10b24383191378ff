"""Settings come from the environment and refuse bad values with a clear error."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "news.example.com"}


def django_check(*command, **env):
    """Run `manage.py check` (or another command) in a fresh process with
    exactly these settings variables (None: leave the variable out)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {*PRODUCTION, "DATABASE_URL", "CACHE_URL", "HTTPS"}
    }
    environment = {k: v for k, v in {**base, **env}.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *(command or ["check"])],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_start():
    result = django_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY environment variable is required"),
        ({"SECRET_KEY": ""}, "SECRET_KEY environment variable is required"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS environment variable is required"),
        ({"DEBUG": "maybe"}, "DEBUG environment variable must be one of"),
        ({"DATABASE_URL": "mysqll://x/y"}, "DATABASE_URL environment variable is not"),
        ({"CACHE_URL": "memcached://127.0.0.1"}, "CACHE_URL environment variable must be"),
        ({"HTTPS": "maybe"}, "HTTPS environment variable must be one of"),
        ({"ADMIN_URL": "/admin"}, "ADMIN_URL environment variable must be a path"),
        ({"SEARCH_TIMEOUT": "1s"}, "SEARCH_TIMEOUT='1s' must be milliseconds"),
        ({"SEARCH_TIMEOUT": "0"}, "SEARCH_TIMEOUT='0' must be milliseconds"),
        ({"DATABASE_REPLICA_URL": "postgress://x/y"}, "DATABASE_REPLICA_URL environment"),
        ({"DATABASE_POOLED": "sometimes"}, "DATABASE_POOLED environment variable must be"),
        ({"CACHE_NAMESPACE": "Newsroom site"}, "CACHE_NAMESPACE environment variable must"),
        ({"TRUSTED_PROXIES": "127.0.0.1,varnish"}, "TRUSTED_PROXIES environment variable"),
        ({"MEDIA_HOST": "media.example.com"}, "MEDIA_HOST environment variable must be"),
        ({"ESI_FRAGMENTS": "perhaps"}, "ESI_FRAGMENTS environment variable must be"),
    ],
)
def test_bad_settings_refuse_to_start_naming_the_variable(change, named):
    result = django_check(**{**PRODUCTION, **change})
    assert result.returncode != 0
    assert named in result.stderr


def test_debug_is_off_unless_asked_for():
    result = django_check(**{**PRODUCTION, "DEBUG": None})
    assert result.returncode == 0, result.stderr


def test_development_runs_without_a_secret_key():
    result = django_check(DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("database_url", "engine"),
    [
        (None, "django.db.backends.sqlite3"),
        ("postgres://newsroom@127.0.0.1:5432/newsroom", "django.db.backends.postgresql"),
    ],
)
def test_database_url_chooses_the_database(database_url, engine):
    show_engine = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = django_check("shell", "-c", show_engine, DATABASE_URL=database_url, **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == engine, result.stderr


def test_cache_url_shares_a_redis_cache_between_processes():
    """Two processes with the same CACHE_URL see one content generation."""
    redis = {"CACHE_URL": "redis://127.0.0.1:6379/15", **PRODUCTION}
    bump = (
        "from articles.cache import cache, GENERATION_KEY; "
        "cache.set(GENERATION_KEY, {'number': 42, 'next_change': None}, None)"
    )
    read = "from articles.cache import content_generation; print(content_generation())"
    assert django_check("shell", "-c", bump, **redis).returncode == 0
    result = django_check("shell", "-c", read, **redis)
    assert result.stdout.strip().splitlines()[-1] == "42", result.stderr


def test_production_settings_pass_the_deployment_checks():
    real_secrets = {"SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOW_ASYNC_UNSAFE": None}
    result = django_check(
        "check", "--deploy", "--fail-level", "DEBUG", **{**PRODUCTION, **real_secrets}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_admin_moves_to_its_configured_address():
    where = "from django.urls import reverse; print(reverse('admin:index'))"
    result = django_check("shell", "-c", where, ADMIN_URL="redakciya-7f3a/", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "/redakciya-7f3a/", result.stderr


def test_the_migrations_check_leaves_no_database_for_make_run_to_take_as_seeded(tmp_path):
    """`make test` lints first; `make run` seeds db.sqlite3 only when it makes
    the file, so the lint must not leave an empty one behind."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((PROJECT / name).read_bytes())
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    recipe = subprocess.run(
        ["make", "--dry-run", "--always-make", "lint"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    check = next(line for line in recipe.splitlines() if "makemigrations" in line)
    result = subprocess.run(
        check, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp://desk%40news.ua:p%2Fss@mail.news.ua:587",
            {"EMAIL_HOST": "mail.news.ua", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True,
             "EMAIL_HOST_USER": "desk@news.ua", "EMAIL_HOST_PASSWORD": "p/ss"},
        ),
        ("smtps://mail.news.ua",
         {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ],
)  # fmt: skip
def test_email_url_becomes_djangos_mail_settings(url, expected):
    from newsroom.settings import email_settings

    assert email_settings(url).items() >= expected.items()


@pytest.mark.parametrize(
    "url", ["mail.news.ua", "http://mail.news.ua", "smtp://mail.news.ua:99999"]
)
def test_a_wrong_email_url_is_refused_by_name(url):
    from newsroom.settings import email_settings

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(url)
