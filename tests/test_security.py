"""Hardened production: security headers on reader and admin pages, a
Content-Security-Policy the admin works under, throttled logins, validated
passwords."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.servers import AppServer, manage, site_environment

pytestmark = pytest.mark.django_db
HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS-ending proxy says it


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    environment = site_environment(
        tmp_path_factory.mktemp("production"), HTTPS="1", BEHIND_HTTPS_PROXY="1"
    )
    manage(environment, "migrate", "--noinput")
    manage(environment, "loaddata", "seed")
    server = AppServer(environment)
    yield server
    server.stop()


def policy(header):
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize("path", ["/", "/sections/oborona/", "/admin/login/"])
def test_production_pages_carry_the_security_headers(production_server, path):
    status, headers, _ = production_server.get(path, headers=HTTPS)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = policy(headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]  # no inline script, no nonce handed out
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]


def test_static_files_are_answered_first_and_keep_the_security_headers(production_server):
    _, _, page = production_server.get("/", headers=HTTPS)
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page).group(1)
    status, headers, _ = production_server.get(stylesheet, headers=HTTPS)
    assert status == 200 and headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # Answered before the middleware that would have added this to any page.
    assert "Content-Security-Policy" not in headers


def test_production_cookies_are_secure_and_plain_http_is_redirected(production_server):
    _, headers, _ = production_server.get("/admin/login/", headers=HTTPS)
    csrf_cookie = headers["Set-Cookie"]
    assert csrf_cookie.startswith("csrftoken=") and "Secure" in csrf_cookie
    status, headers, _ = production_server.get("/")
    assert status == 301 and headers["Location"].startswith("https://")


def test_a_cached_reader_page_keeps_its_headers(production_server):
    production_server.get("/", headers=HTTPS)
    _, headers, _ = production_server.get("/", headers=HTTPS)
    assert headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"


def test_reader_pages_run_no_inline_script(client, seed):
    response = client.get(seed.get_absolute_url())
    inline = BeautifulSoup(response.content, "html.parser").select("script:not([src])")
    assert inline and all(script["type"] == "application/ld+json" for script in inline)
    assert "'unsafe-inline'" not in policy(response["Content-Security-Policy"])["script-src"]


def test_the_editors_inline_import_map_runs_only_with_this_responses_nonce(admin_client):
    response = admin_client.get("/admin/articles/article/add/")
    sources = policy(response["Content-Security-Policy"])["script-src"]
    nonce = re.fullmatch(r"'nonce-(.+)'", sources[-1]).group(1)
    inline = BeautifulSoup(response.content, "html.parser").select("script:not([src])")
    assert [script["type"] for script in inline] == ["importmap"]
    assert inline[0]["nonce"] == nonce
    again = admin_client.get("/admin/articles/article/add/")
    assert nonce not in again["Content-Security-Policy"]  # a fresh one each time


def log_in(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "chief", "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_repeated_wrong_passwords_lock_the_account_out(client, django_user_model):
    django_user_model.objects.create_superuser("chief", password="Правильний-пароль-2026")
    for _ in range(4):
        assert log_in(client, "вгадую").status_code == 200  # the form again, with an error
    locked = log_in(client, "вгадую")
    assert locked.status_code == 429
    assert "Вхід заблоковано" in locked.content.decode()
    # Now even the right password is refused, so guessing cannot go on.
    assert log_in(client, "Правильний-пароль-2026").status_code == 429


def test_a_right_password_before_the_limit_resets_the_count(client, django_user_model):
    django_user_model.objects.create_superuser("chief", password="Правильний-пароль-2026")
    for _ in range(4):
        log_in(client, "вгадую")
    assert log_in(client, "Правильний-пароль-2026").status_code == 302
    client.logout()
    assert log_in(client, "вгадую").status_code == 200


def test_weak_passwords_are_refused(admin_client, django_user_model):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "novyi", "password1": "qwerty123", "password2": "qwerty123"},
    )
    errors = response.context["adminform"].form.errors["password2"]
    assert any("Пароль занадто короткий" in error for error in errors)
    assert not django_user_model.objects.filter(username="novyi").exists()
