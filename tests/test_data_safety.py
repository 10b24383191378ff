"""Nothing lost: a broken fixture changes nothing and says why; a backup
restores every article, tag, section, author, account and history entry
exactly, emoji and photos included, on either database."""

import json

import pytest
import reversion
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import override_settings
from reversion.models import Version

from articles.backup import dump_data
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)
GOOD_SECTION = {"model": "articles.section", "pk": 50, "fields": {"name": "Наука", "slug": "nauka"}}


def article_fixture(**fields):
    return {
        "model": "articles.article",
        "pk": 50,
        "fields": {
            "headline": "Нова",
            "slug": "nova",
            "lead": "Лід.",
            "body": "<p>Текст.</p>",
            "section": 50,
            "status": "draft",
            "published_at": "2026-11-26T10:00:00Z",
            "created_at": "2026-11-26T09:00:00Z",
            "updated_at": "2026-11-26T09:30:00Z",
            **fields,
        },
    }


@pytest.mark.parametrize(
    ("content", "error", "named"),
    [
        ('[{"model": "articles.section", "pk": 50,', Exception, "broken.json"),
        (json.dumps([GOOD_SECTION, article_fixture(colour="червоний")]), Exception, "colour"),
        (json.dumps([GOOD_SECTION, article_fixture(section=999)]), IntegrityError, "section"),
    ],
    ids=["bad JSON", "unknown field", "missing reference"],
)
def test_a_broken_fixture_changes_nothing_and_says_why(seed, tmp_path, content, error, named):
    before = dump_data()
    broken = tmp_path / "broken.json"
    broken.write_text(content, encoding="utf-8")
    with pytest.raises(error) as raised:
        call_command("loaddata", str(broken), verbosity=0)
    assert named in str(raised.value)
    assert dump_data() == before  # the good section before the error is gone too


def history_of(article):
    return list(Version.objects.get_for_object(article).values_list("serialized_data", flat=True))


def test_a_backup_restores_everything_exactly(seed, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "photos" / "2026" / "kyiv.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a photo's bytes")
    with reversion.create_revision():
        article = make_article("Зустріч 🇺🇦🇫🇷 у Парижі 💬", lead="Емодзі 👍 лишаються", tags=["ППО"])
    with reversion.create_revision():
        article.headline = "Зустріч у Парижі 🤝"
        article.save()
    before, history = dump_data(), history_of(article)
    backup = tmp_path / "newsroom.tar.gz"
    call_command("backup", str(backup), verbosity=0)

    call_command("flush", "--noinput", verbosity=0)
    photo.unlink()
    assert not Article.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert dump_data() == before
    assert Article.objects.get(pk=article.pk).headline == "Зустріч у Парижі 🤝"
    assert history_of(article) == history and len(history) == 2
    assert photo.read_bytes() == b"\xff\xd8 a photo's bytes"


def test_restore_never_overwrites_a_site_with_articles(seed, tmp_path):
    backup = tmp_path / "newsroom.tar.gz"
    call_command("backup", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="already has articles"):
        call_command("restore", str(backup), verbosity=0)


@override_settings()
def test_restore_of_something_else_is_refused_clearly(db, tmp_path):
    not_a_backup = tmp_path / "photo.jpg"
    not_a_backup.write_bytes(b"\xff\xd8 not a backup")
    with pytest.raises(CommandError, match="is not a backup made by this site"):
        call_command("restore", str(not_a_backup), verbosity=0)
