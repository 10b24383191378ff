"""Hero photos: uploaded with credit and alt text, served as resized renditions."""

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from articles.images import MAX_UPLOAD_BYTES, WORKING_SIZE, crop_box, working_copy
from articles.models import Article
from tests.factories import make_article
from tests.forms import new_article_form

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_article_add")


def jpeg(width=2000, height=1200, name="ministry.jpg"):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png_claiming(width, height):
    """A tiny PNG whose header claims a huge picture: a decompression bomb."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def post_article(admin_client, **fields):
    return admin_client.post(ADD_URL, new_article_form(admin_client, **fields))


def errors_of(response):
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(e.get_text(" ", strip=True) for e in page.select(".errorlist"))


def test_uploaded_photo_is_served_as_resized_renditions(admin_client, client, media_root):
    response = post_article(
        admin_client, photo=jpeg(), photo_credit="Міноборони", photo_alt="Двоє міністрів"
    )
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    page = BeautifulSoup(admin_client.get(article.get_absolute_url()).content, "html.parser")

    webp = page.select_one("figure.hero picture source[type='image/webp']")
    img = page.select_one("figure.hero picture img")
    assert [entry.split()[1] for entry in webp["srcset"].split(", ")] == ["480w", "800w", "1200w"]
    assert [entry.split()[1] for entry in img["srcset"].split(", ")] == ["480w", "800w", "1200w"]
    assert (img["width"], img["height"]) == ("1200", "720")
    assert img["alt"] == "Двоє міністрів"
    assert article.photo.url not in str(page), "the original upload is never sent to readers"
    for entry in webp["srcset"].split(", ") + img["srcset"].split(", "):
        url, width = entry.split()
        path = media_root / url.removeprefix("/media/")
        with Image.open(path) as rendition:
            assert rendition.width == int(width.removesuffix("w"))
            assert rendition.format == ("WEBP" if url.endswith(".webp") else "JPEG")
    assert page.select_one("figure.hero .credit").get_text() == "Фото: Міноборони"


def test_small_photo_is_never_enlarged():
    article = make_article(photo=jpeg(600, 400), photo_credit="Фото", photo_alt="Опис")
    jpeg_widths = [w for w, _ in article.photo_renditions["sources"]["image/jpeg"]]
    assert jpeg_widths == [480, 600]


def test_renditions_carry_no_camera_metadata():
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 27.0, 0.0)}  # GPS: where the photographer stood
    buffer = BytesIO()
    Image.new("RGB", (900, 600)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("gps.jpg", buffer.getvalue())
    article = make_article(photo=upload, photo_credit="Фото", photo_alt="Опис")
    for _width, name in article.photo_renditions["sources"]["image/jpeg"]:
        with default_storage.open(name) as file, Image.open(file) as image:
            assert not image.getexif()


@pytest.mark.parametrize("missing", ["photo_credit", "photo_alt"])
def test_a_photo_needs_its_credit_and_alt_text(admin_client, missing):
    fields = {"photo": jpeg(), "photo_credit": "Міноборони", "photo_alt": "Двоє міністрів"}
    fields[missing] = ""
    response = post_article(admin_client, **fields)
    assert response.status_code == 200
    expected = {
        "photo_credit": "Вкажіть автора фото",
        "photo_alt": "Опишіть фото для читачів",
    }[missing]
    assert expected in errors_of(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>"),
            "Цей файл не є фото або пошкоджений",
        ),
        (SimpleUploadedFile("bomb.png", png_claiming(30_000, 30_000)), "Зображення завелике"),
        (SimpleUploadedFile("bomb.png", png_claiming(9_000, 9_000)), "Зображення завелике"),
        (
            SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"0" * MAX_UPLOAD_BYTES),
            "фото може бути щонайбільше 25,0",
        ),
    ],
    ids=["not-an-image", "bomb", "too-many-pixels", "too-many-bytes"],
)
def test_bad_uploads_are_refused_in_ukrainian(admin_client, upload, message):
    response = post_article(admin_client, photo=upload, photo_credit="Фото", photo_alt="Опис")
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Article.objects.exists()


def test_a_gif_is_refused_by_format(admin_client):
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    upload = SimpleUploadedFile("anim.gif", buffer.getvalue())
    response = post_article(admin_client, photo=upload, photo_credit="Фото", photo_alt="Опис")
    assert "Фото у форматі GIF не приймаємо" in errors_of(response)


@pytest.mark.parametrize(
    ("focal", "ratio", "box"),
    [
        ((50, 50), (16, 9), (0, 0, 1600, 900)),  # a 16:9 picture is its own 16:9 crop
        ((50, 50), (1, 1), (350, 0, 1250, 900)),  # centred square
        ((90, 50), (1, 1), (700, 0, 1600, 900)),  # a face on the right stays in
        ((5, 50), (1, 1), (0, 0, 900, 900)),  # clamped to the left edge
        ((50, 10), (4, 3), (200, 0, 1400, 900)),
    ],
)
def test_crops_keep_the_focal_point_in_the_picture(focal, ratio, box):
    assert crop_box(1600, 900, ratio, *focal) == box


def test_moving_the_focal_point_recrops():
    article = make_article(photo=jpeg(1600, 900), photo_credit="Фото", photo_alt="Опис")
    square = article.photo_renditions["crops"]["1x1"]
    article.photo_focal_x = 90
    article.save()
    assert article.photo_renditions["crops"]["1x1"] != square
    width, height, name = article.photo_renditions["crops"]["1x1"]
    assert (width, height) == (900, 900)
    assert default_storage.exists(name)


def test_an_article_whose_photo_file_is_gone_shows_credit_without_an_image(client):
    article = make_article(photo="photos/2025/01/gone.jpg", photo_credit="Генштаб ЗСУ")
    assert article.photo_renditions == {}
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one("figure.hero img") is None
    assert page.select_one("figure.hero .credit").get_text() == "Фото: Генштаб ЗСУ"


def photo_with_secrets(kind):
    """A photo carrying a comment, EXIF with GPS, and (PNG) text chunks."""
    image = Image.new("RGB", (1600, 900), (200, 60, 40))
    exif = Image.Exif()
    exif[0x8825] = {2: (50.0, 27.0, 0.0)}  # GPSInfo: latitude
    exif[0x010E] = "secret source Kyiv"  # ImageDescription
    buffer = BytesIO()
    if kind == "png":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "secret source: a GPS note")
        image.save(buffer, "PNG", pnginfo=text, exif=exif)
    else:
        image.save(buffer, "JPEG", comment=b"secret source: a GPS note", exif=exif)
    return SimpleUploadedFile(f"secret.{kind}", buffer.getvalue())


@pytest.mark.parametrize("kind", ["jpg", "png"])
def test_renditions_carry_no_metadata_of_the_original(kind, media_root):
    article = make_article(photo=photo_with_secrets(kind), photo_credit="Ф", photo_alt="Опис")
    renditions = [
        name for sources in article.photo_renditions["sources"].values() for _, name in sources
    ] + [crop[2] for crop in article.photo_renditions["crops"].values()]
    assert len(renditions) == 9
    for name in renditions:
        content = (media_root / name).read_bytes()
        assert b"secret" not in content and b"GPS" not in content, name
        with Image.open(media_root / name) as rendition:
            assert not rendition.getexif(), name
            assert not {"comment", "exif", "xmp", "icc_profile", "Comment"} & set(rendition.info)


def test_originals_are_outside_the_public_media_and_open_to_staff_only(
    admin_client, client, settings, media_root
):
    article = make_article(photo=jpeg(), photo_credit="Міноборони", photo_alt="Опис")
    original = Path(article.photo.path)
    assert original.is_relative_to(settings.ORIGINALS_ROOT)
    assert not original.is_relative_to(media_root)
    assert client.get(f"/media/{article.photo.name}").status_code == 404
    assert client.get(article.photo.url).status_code == 302  # to the login page
    assert admin_client.get(article.photo.url).status_code == 200


def test_the_app_serves_renditions_for_a_year(client, media_root):
    article = make_article(photo=jpeg(), photo_credit="Міноборони", photo_alt="Опис")
    name = article.photo_renditions["sources"]["image/webp"][0][1]
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert client.get("/media/renditions/../../etc/passwd").status_code in {400, 404}


def test_a_very_large_photo_is_worked_on_at_a_bounded_size():
    huge = Image.new("RGB", (8000, 6000), (10, 120, 60))  # 48 megapixels
    buffer = BytesIO()
    huge.save(buffer, "PNG")
    working = working_copy(buffer.getvalue())
    assert max(working.size) == WORKING_SIZE
    assert working.size == (WORKING_SIZE, WORKING_SIZE * 6000 // 8000)


def test_a_reporter_cannot_open_the_original_of_anothers_draft(client, reporter, editor):
    article = make_article(
        photo=jpeg(), photo_credit="Ф", photo_alt="Опис", status=Article.Status.DRAFT
    )
    client.force_login(reporter)
    assert client.get(article.photo.url).status_code == 404
    client.force_login(editor)
    assert client.get(article.photo.url).status_code == 200


def test_only_renditions_are_served_from_the_media_folder(client, media_root):
    leftover = media_root / "photos" / "old.jpg"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"\xff\xd8 an original left from before")
    for address in ("/media/photos/old.jpg", "/media/renditions/../photos/old.jpg"):
        assert client.get(address).status_code == 404, address
    assert client.get("/media/renditions/%2e%2e/photos/old.jpg").status_code in {400, 404}
