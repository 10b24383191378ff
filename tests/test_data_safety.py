"""Nothing lost: a broken fixture changes nothing and says why; a backup
restores every article, tag, section, author, account and history entry
exactly, emoji and photos included, on either database."""

import io
import json
import tarfile
from pathlib import Path

import pytest
import reversion
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import override_settings
from reversion.models import Version

from articles.backup import dump_data
from articles.models import Article, Tag
from photos.models import Photo
from tests.factories import make_article
from tests.test_photo_library import make_photo

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


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def back_up_and_empty(tmp_path):
    """A backup of the site as it is, then an empty database, as on a new server."""
    backup = tmp_path / "newsroom.tar.gz"
    call_command("backup", str(backup), verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    return backup


def history_of(article):
    return list(Version.objects.get_for_object(article).values_list("serialized_data", flat=True))


def test_a_backup_restores_everything_exactly(seed, tmp_path, settings):
    photo = write(settings.ORIGINALS_ROOT / "photos/2026/kyiv.jpg", b"\xff\xd8 a photo's bytes")
    rendition = write(settings.MEDIA_ROOT / "renditions/ab/kyiv.webp", b"\xff\xd8 a photo's bytes")
    library_photo = make_photo(caption="Фото з фотобанку")
    library_photo.tags.add("ППО")
    body = f'<p>Текст.</p><figure data-photo="{library_photo.pk}"></figure>'
    with reversion.create_revision():
        article = make_article(
            "Зустріч 🇺🇦🇫🇷 у Парижі 💬", lead="Емодзі 👍 лишаються", tags=["ППО"], body=body
        )
    with reversion.create_revision():
        article.headline = "Зустріч у Парижі 🤝"
        article.save()
    before, history = dump_data(), history_of(article)
    assert '"model": "photos.photouse"' in before and '"model": "photos.taggedphoto"' in before
    backup = back_up_and_empty(tmp_path)
    photo.unlink()
    rendition.unlink()
    Path(library_photo.image.path).unlink()
    assert not Article.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert dump_data() == before
    assert Article.objects.get(pk=article.pk).headline == "Зустріч у Парижі 🤝"
    assert history_of(article) == history and len(history) == 2
    assert photo.read_bytes() == rendition.read_bytes() == b"\xff\xd8 a photo's bytes"
    assert Path(Photo.objects.get().image.path).exists()


def test_a_backup_from_before_private_originals_restores_them_privately(db, tmp_path, settings):
    folder = tarfile.TarInfo("media")
    folder.type = tarfile.DIRTYPE
    backup = tar_with(
        tmp_path / "old.tar.gz",
        [
            file_member("data.json", json.dumps([GOOD_SECTION]).encode()),
            (folder, None),
            file_member("media/photos/2025/01/kyiv.jpg", b"\xff\xd8 original"),
            file_member("media/renditions/ab/kyiv-480.jpg", b"\xff\xd8 rendition"),
        ],
    )
    call_command("restore", str(backup), verbosity=0)
    original = settings.ORIGINALS_ROOT / "photos" / "2025" / "01" / "kyiv.jpg"
    assert original.read_bytes() == b"\xff\xd8 original"
    assert not (settings.MEDIA_ROOT / "photos").exists()
    assert (settings.MEDIA_ROOT / "renditions/ab/kyiv-480.jpg").exists()


def test_restore_never_overwrites_a_site_with_articles(seed, tmp_path):
    backup = tmp_path / "newsroom.tar.gz"
    call_command("backup", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="already has articles or accounts"):
        call_command("restore", str(backup), verbosity=0)


@override_settings()
def test_restore_of_something_else_is_refused_clearly(db, tmp_path):
    not_a_backup = tmp_path / "photo.jpg"
    not_a_backup.write_bytes(b"\xff\xd8 not a backup")
    with pytest.raises(CommandError, match="is not a backup this site restores"):
        call_command("restore", str(not_a_backup), verbosity=0)


def tar_with(path, members):
    """A .tar.gz of (TarInfo, bytes or None) members."""
    with tarfile.open(path, "w:gz") as archive:
        for info, content in members:
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    return path


def file_member(name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    return info, content


def test_a_backup_with_a_link_is_refused_before_anything_changes(db, tmp_path, settings):
    link = tarfile.TarInfo("media/loop")
    link.type, link.linkname = tarfile.SYMTYPE, "."
    backup = tar_with(tmp_path / "b.tar.gz", [file_member("data.json", b"[]"), (link, None)])
    with pytest.raises(CommandError, match="link"):
        call_command("restore", str(backup), verbosity=0)
    assert not settings.MEDIA_ROOT.exists()


def test_a_backup_that_expands_past_the_limit_is_refused(db, tmp_path, settings):
    zeros = b"\0" * 2_000_000  # compresses to almost nothing
    backup = tar_with(
        tmp_path / "b.tar.gz",
        [file_member("data.json", b"[]"), file_member("media/renditions/zeros.jpg", zeros)],
    )
    assert backup.stat().st_size < 20_000
    with pytest.raises(CommandError, match="expands past the limit"):
        call_command("restore", str(backup), "--max-size", "1000000", verbosity=0)
    assert not settings.MEDIA_ROOT.exists()


def test_a_restore_that_fails_late_leaves_database_and_folders_as_they_were(
    seed, tmp_path, settings, monkeypatch
):
    photo = write(settings.ORIGINALS_ROOT / "photos" / "kyiv.jpg", b"\xff\xd8 original")
    rendition = write(settings.MEDIA_ROOT / "renditions/ab/kyiv-480.jpg", b"\xff\xd8 rendition")
    backup = back_up_and_empty(tmp_path)
    photo.unlink()
    rendition.unlink()
    before = dump_data()

    copied, save = [], FileSystemStorage.save

    def save_then_fail(storage, name, content, *args, **kwargs):
        if copied:
            raise OSError("disk full")
        stored = save(storage, name, content, *args, **kwargs)
        copied.append(Path(storage.path(stored)))
        return stored

    monkeypatch.setattr(FileSystemStorage, "save", save_then_fail)
    with pytest.raises(OSError, match="disk full"):
        call_command("restore", str(backup), verbosity=0)
    assert dump_data() == before, "the role groups and everything else are untouched"
    assert copied and not any(path.exists() for path in copied)
    assert not photo.exists() and not rendition.exists()


def test_a_restore_never_overwrites_a_different_file(seed, tmp_path, settings):
    rendition = write(settings.MEDIA_ROOT / "renditions/ab/kyiv.jpg", b"\xff\xd8 from the backup")
    backup = back_up_and_empty(tmp_path)
    rendition.write_bytes(b"\xff\xd8 made since")
    with pytest.raises(CommandError, match="overwrite"):
        call_command("restore", str(backup), verbosity=0)
    assert rendition.read_bytes() == b"\xff\xd8 made since"
    assert not Article.objects.exists()


@pytest.mark.parametrize("natural", [False, True], ids=["plain", "natural keys"])
def test_django_dumpdata_and_loaddata_round_trip(seed, tmp_path, natural):
    make_article("Новина з тегами", tags=["ППО", "Франція"])
    options = ["--natural-foreign", "--natural-primary"] if natural else []
    dump = tmp_path / "dump.json"
    call_command("dumpdata", "articles", *options, "--output", str(dump), verbosity=0)
    before = dump.read_text(encoding="utf-8")
    for model in (Article, Tag):
        model.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    call_command("dumpdata", "articles", *options, "--output", str(dump), verbosity=0)
    assert rows_of(dump.read_text(encoding="utf-8")) == rows_of(before)
    assert sorted(Article.objects.get(headline="Новина з тегами").tags.names()) == [
        "ППО",
        "Франція",
    ]


def rows_of(text):
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in json.loads(text))


def test_restore_never_replaces_an_account_made_before_it(seed, tmp_path, django_user_model):
    backup = back_up_and_empty(tmp_path)
    django_user_model.objects.create_superuser("admin", password="unused-in-tests")
    with pytest.raises(CommandError, match="accounts"):
        call_command("restore", str(backup), verbosity=0)
    assert list(django_user_model.objects.values_list("username", flat=True)) == ["admin"]
