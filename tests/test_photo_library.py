"""The photo library: photos of their own, reused by stories, shown with their credit."""

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.html import sanitize_html
from articles.models import Article
from editing.models import Autosave, PendingChange
from photos.models import Photo, PhotoUse
from tests.factories import make_article, make_draft
from tests.forms import change_url, form_data, new_article_form
from tests.hostile import XSS_PAYLOADS, assert_inert
from tests.test_photos import jpeg, photo_with_secrets
from tests.test_query_budget import BUDGET, queries

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("admin:photos_photo_upload")
CHOOSER_URL = reverse("admin:photos_photo_chooser")
LIST_URL = reverse("admin:photos_photo_changelist")


def make_photo(caption="Міністри в Парижі", credit="Міноборони", alt="Двоє міністрів", **fields):
    upload = fields.pop("upload", None) or jpeg()
    photo = Photo(caption=caption, credit=credit, alt=alt, **fields)
    photo.image.save(upload.name, upload, save=False)
    photo.save()
    return photo


def rendition_names(photo):
    kinds = [photo.renditions["sources"], photo.renditions["squares"]]
    return [name for kind in kinds for sources in kind.values() for _, name in sources]


def test_a_photo_is_made_into_webp_and_jpeg_renditions_once(media_root):
    photo = make_photo()
    sources = photo.renditions["sources"]
    assert (
        [w for w, _ in sources["image/webp"]]
        == [w for w, _ in sources["image/jpeg"]]
        == [
            480,
            800,
            1200,
        ]
    )
    assert [w for w, _ in photo.renditions["squares"]["image/jpeg"]] == [320, 640]
    for name in rendition_names(photo):
        with Image.open(media_root / name) as rendition:
            assert rendition.format == ("WEBP" if name.endswith(".webp") else "JPEG")
    # Saved again unchanged, the same files: made once per photo and size.
    before = sorted(p.name for p in media_root.rglob("*.*"))
    photo.caption = "Інший підпис"
    photo.save()
    assert sorted(p.name for p in media_root.rglob("*.*")) == before


def test_the_square_crop_keeps_the_focal_point(media_root):
    upload = SimpleUploadedFile("split.png", b"", content_type="image/png")
    image = Image.new("RGB", (1600, 800), (0, 0, 255))
    image.paste((255, 0, 0), (1200, 0, 1600, 800))  # the subject, on the right
    buffer = upload.file
    image.save(buffer, "PNG")
    upload.size = buffer.tell()
    photo = make_photo(upload=upload, focal_x=90, focal_y=50)
    name = photo.renditions["squares"]["image/jpeg"][0][1]
    with Image.open(media_root / name) as square:
        red, green, blue = square.convert("RGB").getpixel((square.width - 5, square.height // 2))
        assert red > 200 and blue < 60, "the right edge, where the subject is"
    photo.focal_x = 10
    photo.save()
    name = photo.renditions["squares"]["image/jpeg"][0][1]
    with Image.open(media_root / name) as square:
        assert square.convert("RGB").getpixel((5, square.height // 2))[2] > 200


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_renditions_carry_no_metadata(kind, media_root):
    photo = make_photo(upload=photo_with_secrets(kind))
    for name in rendition_names(photo):
        content = (media_root / name).read_bytes()
        assert b"secret" not in content and b"GPS" not in content, name


def test_originals_stay_private(admin_client, reporter_client, settings, media_root):
    photo = make_photo()
    assert photo.image.path.startswith(str(settings.ORIGINALS_ROOT))
    assert Client().get(photo.image.url).status_code == 302  # to the login page
    assert reporter_client.get(photo.image.url).status_code == 200  # the library's own staff
    page = admin_client.get(LIST_URL).content.decode()
    assert photo.image.url not in page


def test_several_photos_upload_at_once_and_a_bad_one_says_why(editor_client, editor):
    response = editor_client.post(
        UPLOAD_URL,
        {"images": [jpeg(name="a.jpg"), jpeg(name="b.jpg")], "credit": "Міноборони", "tags": "ППО"},
    )
    assert response.status_code == 302
    assert Photo.objects.count() == 2
    assert {p.uploaded_by for p in Photo.objects.all()} == {editor}
    assert {tag for p in Photo.objects.all() for tag in p.tags.names()} == {"ППО"}

    bad = SimpleUploadedFile("notes.jpg", b"not a photo", content_type="image/jpeg")
    response = editor_client.post(
        UPLOAD_URL, {"images": [bad], "credit": "x"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert "notes.jpg: Цей файл не є фото" in response.json()["errors"][0]
    assert Photo.objects.count() == 2


def test_the_grid_finds_photos_by_caption_credit_tag_and_uploader(editor_client, editor):
    make_photo(caption="Умєров у Парижі", credit="Міноборони")
    other = make_photo(caption="Дрон над полем", credit="Генштаб", uploaded_by=editor)
    other.tags.add("Безпілотники")
    for query, expected in [
        ("Умєров", ["Умєров у Парижі"]),
        ("Генштаб", ["Дрон над полем"]),
        ("Безпілотники", ["Дрон над полем"]),
        (editor.username, ["Дрон над полем"]),
    ]:
        page = BeautifulSoup(editor_client.get(LIST_URL, {"q": query}).content, "html.parser")
        captions = [c.get_text() for c in page.select(".photo-grid .photo-caption")]
        assert captions == expected, query
        results = editor_client.get(CHOOSER_URL, {"q": query}).json()["results"]
        assert [r["caption"] for r in results] == expected, query


def test_the_chooser_marks_a_photo_that_cannot_be_shown_yet(editor_client):
    photo = make_photo(credit="", alt="")
    (result,) = editor_client.get(CHOOSER_URL, {"ids": str(photo.pk)}).json()["results"]
    assert result["missing"] == ["автора фото", "опис (alt)"]


def body_with(photo, caption=""):
    inside = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<p>Абзац.</p><figure data-photo="{photo.pk}">{inside}</figure>'


def test_one_photo_in_two_stories_with_a_caption_of_their_own(client):
    photo = make_photo(caption="Підпис з фотобанку")
    first = make_article(body=body_with(photo))
    second = make_article(body=body_with(photo, "Власний підпис статті"))
    assert set(photo.uses.values_list("article", flat=True)) == {first.pk, second.pk}
    for article, caption in [(first, "Підпис з фотобанку"), (second, "Власний підпис статті")]:
        page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
        figure = page.select_one(".article-body figure.body-photo")
        assert figure.figcaption.get_text(" ", strip=True) == f"{caption} Фото: Міноборони"
        image = figure.select_one("img")
        assert image["alt"] == "Двоє міністрів" and image["loading"] == "lazy"
        assert (image["width"], image["height"]) == ("1200", "720")
        assert figure.select_one("source[type='image/webp']")["srcset"].count("w,") == 2


def test_a_gallery_shows_each_photo_with_its_credit(client):
    photos = [make_photo(caption=f"Фото {n}", credit=f"Автор {n}") for n in range(3)]
    ids = " ".join(str(p.pk) for p in photos)
    article = make_article(
        body=f'<figure data-gallery="{ids}"><figcaption>Галерея</figcaption></figure>'
    )
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    items = page.select("figure.gallery li figure")
    assert [i.figcaption.get_text(" ", strip=True) for i in items] == [
        f"Фото {n} Фото: Автор {n}" for n in range(3)
    ]
    assert page.select_one("figure.gallery > figcaption").get_text() == "Галерея"
    assert all(i.img["width"] == i.img["height"] == "320" for i in items)


def test_the_admin_refuses_a_photo_without_credit_or_an_unknown_one_keeping_the_text(
    admin_client,
):
    article = make_article(tags=["Оборона"])
    uncredited = make_photo(credit="")
    data = form_data(admin_client.get(change_url(article)))
    data["body"] = (
        "<p>Текст, який не можна втратити.</p>"
        + body_with(uncredited)
        + '<figure data-photo="999999"></figure>'
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    errors = BeautifulSoup(response.content, "html.parser").select_one(".errorlist").get_text()
    assert f"Щоб показати фото № {uncredited.pk}, додайте у фотобанку: автора фото." in errors
    assert "Фото № 999999 немає у фотобанку." in errors
    assert "Текст, який не можна втратити." in response.content.decode()


def test_a_photo_in_use_cannot_be_deleted_nor_lose_its_credit(admin_client):
    photo = make_photo()
    make_article(body=body_with(photo))
    with pytest.raises(ProtectedError):
        photo.delete()
    url = reverse("admin:photos_photo_change", args=[photo.pk])
    data = form_data(admin_client.get(url), form_id="photo_form")
    data.update(credit="", alt="")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Це фото вже є в статтях — укажіть автора фото." in response.content.decode()
    photo.refresh_from_db()
    assert photo.credit == "Міноборони"


def test_a_photo_leaves_a_story_when_the_story_stops_showing_it():
    photo = make_photo()
    article = make_article(body=body_with(photo))
    article.body = "<p>Без фото.</p>"
    article.save()
    assert not photo.uses.exists()
    photo.delete()


def test_the_body_stores_which_photos_and_the_caption_only():
    pasted = (
        '<figure data-photo="12" data-gallery="x" onclick="x()" class="big">'
        '<img src="https://evil.example/x.jpg">'
        "<figcaption>Підпис <b>жирний</b><script>1</script></figcaption></figure>"
        '<figure data-gallery="1 2 abc 3 2"></figure><figure data-photo="1 2"></figure>'
    )
    assert sanitize_html(pasted) == (
        '<figure data-photo="12"><figcaption>Підпис жирний</figcaption></figure>'
        '<figure data-gallery="1 2 3"></figure>'
    )


def test_reporters_upload_but_only_editors_delete(reporter, editor):
    photo = make_photo()
    delete = reverse("admin:photos_photo_delete", args=[photo.pk])
    for user, may_delete in [(reporter, 403), (editor, 200)]:
        client = Client()
        client.force_login(user)
        assert client.get(UPLOAD_URL).status_code == 200
        assert client.get(delete).status_code == may_delete


def test_feeds_carry_the_caption_not_the_photo(client):
    photo = make_photo()
    make_article(body=body_with(photo, "Власний підпис"))
    content = client.get("/rss/").content.decode()
    assert "data-photo" not in content and "Власний підпис" in content


def test_an_article_with_photos_costs_one_query_more(client):
    photos = [make_photo() for _ in range(3)]
    ids = " ".join(str(p.pk) for p in photos)
    # Tagged, so that both read their related stories as well.
    plain = make_article(body="<p>Абзац.</p>", tags=["ППО"])
    with_photos = make_article(
        body=body_with(photos[0]) + f'<figure data-gallery="{ids}"></figure>', tags=["ППО"]
    )
    plain_cost, photos_cost = (
        queries(client, article.get_absolute_url()) for article in (plain, with_photos)
    )
    assert photos_cost == plain_cost + 1 == BUDGET["article"] + 1


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_text_in_a_photos_fields_is_inert(client, admin_client, payload):
    photo = make_photo(caption=payload[:300], credit=payload[:200], alt=payload[:300])
    photo.tags.add(payload[:100])
    article = make_article(
        body=body_with(photo, payload) + f'<figure data-gallery="{photo.pk} {payload}"></figure>'
    )
    assert_inert(client.get(article.get_absolute_url()).content.decode(), form_actions={"/search/"})
    for url in (LIST_URL, reverse("admin:photos_photo_change", args=[photo.pk])):
        assert_inert(
            admin_client.get(url).content.decode(),
            allowed_tags={"form", "svg"},
            allowed_scripts=("/static/", "/admin/jsi18n/"),
        )
    # The chooser's answer is data (the editor's script sets it as text), as typed.
    answer = admin_client.get(CHOOSER_URL, {"ids": photo.pk})
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["results"][0]["caption"] == payload[:300]


def test_a_drafts_lead_photo_joins_the_library_only_once_published():
    """A draft's photo may be embargoed: reporters see the whole library."""
    draft = make_draft(photo=jpeg(), photo_credit="Міноборони", photo_alt="Опис")
    assert not Photo.objects.exists()
    draft.publish()
    draft.save()
    assert Photo.objects.get().image.name == draft.photo.name


def test_a_lead_photo_joins_the_library_with_what_the_article_says_of_it(admin_client):
    article = make_article(
        photo=jpeg(),
        photo_caption="Умєров і Лекорню",
        photo_credit="Міноборони",
        photo_alt="Двоє міністрів",
        photo_focal_x=70,
        photo_focal_y=30,
    )
    photo = Photo.objects.get(image=article.photo.name)
    assert (photo.caption, photo.credit, photo.alt, photo.focal_x, photo.focal_y) == (
        "Умєров і Лекорню",
        "Міноборони",
        "Двоє міністрів",
        70,
        30,
    )
    # The same original, so the same renditions: nothing made twice.
    assert photo.renditions["sources"] == article.photo_renditions["sources"]
    article.headline = "Інший заголовок"
    article.save()
    assert Photo.objects.count() == 1


def test_the_migration_brings_existing_lead_photos_into_the_library():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("photos.migrations.0002_lead_photos")
    article = make_article(
        photo=jpeg(), photo_credit="Міноборони", photo_alt="Опис", photo_focal_x=20
    )
    make_draft(photo=jpeg(name="embargoed.jpg"), photo_credit="Ф", photo_alt="Опис")
    PhotoUse.objects.all().delete()  # as before the library existed
    Photo.objects.all().delete()
    migration.lead_photos_into_the_library(apps, None)
    migration.lead_photos_into_the_library(apps, None)  # and once more: nothing twice
    photo = Photo.objects.get()
    assert (photo.image.name, photo.credit, photo.alt, photo.focal_x) == (
        article.photo.name,
        "Міноборони",
        "Опис",
        20,
    )
    assert photo.thumbnail_url


def test_a_file_named_as_a_page_is_kept_and_served_as_the_photo_it_is(editor_client):
    """An original is served by its extension: a JPEG named xss.html would
    otherwise run script on the admin's origin."""
    editor_client.post(UPLOAD_URL, {"images": [jpeg(name="xss.html")], "credit": "Ф"})
    photo = Photo.objects.get()
    assert photo.image.name.endswith("/xss.jpg")
    response = editor_client.get(photo.image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # Replaced on its own page, the same.
    url = reverse("admin:photos_photo_change", args=[photo.pk])
    data = form_data(editor_client.get(url), form_id="photo_form")
    data.update(image=jpeg(name="report.pdf"), alt="Опис")
    assert editor_client.post(url, data).status_code == 302
    photo.refresh_from_db()
    assert photo.image.name.endswith("/report.jpg")
    Photo.objects.filter(pk=photo.pk).update(image="library/old.html")
    assert editor_client.get("/admin/originals/library/old.html").status_code == 404


def test_a_reporter_cannot_change_a_photo_a_published_story_shows(reporter, editor):
    shown = make_photo()
    make_article(body=body_with(shown))
    in_a_draft = make_photo()
    make_draft(body=body_with(in_a_draft))
    client = Client()
    client.force_login(reporter)
    for photo, status in [(shown, 403), (in_a_draft, 302)]:
        url = reverse("admin:photos_photo_change", args=[photo.pk])
        assert client.get(url).status_code == 200  # to view, at least
        data = form_data(client.get(url), form_id="photo_form") if status == 302 else {}
        data.update(caption="Змінено репортером")
        response = client.post(url, data)
        assert response.status_code == status, photo
    shown.refresh_from_db()
    assert shown.caption == "Міністри в Парижі"
    client.force_login(editor)
    url = reverse("admin:photos_photo_change", args=[shown.pk])
    data = form_data(client.get(url), form_id="photo_form")
    data.update(caption="Змінено редактором")
    assert client.post(url, data).status_code == 302


def test_odd_digits_and_damaged_exif_are_no_server_error(editor_client):
    assert editor_client.get(CHOOSER_URL, {"ids": "²,1,1"}).json() == {"results": []}
    for query in ("Умєров\x00", "\x00"):
        assert editor_client.get(CHOOSER_URL, {"q": query, "page": "abc"}).status_code == 200
        assert editor_client.get(LIST_URL, {"q": query}).status_code == 200
    article = make_article(body='<figure data-photo="²"></figure><p>Текст.</p>')
    assert article.body == "<p>Текст.</p>"
    buffer = BytesIO()
    exif = b"Exif\x00\x00" + b"\x00" * 30  # not a TIFF structure, as some cameras write it
    Image.new("RGB", (900, 600), (10, 20, 30)).save(buffer, "WEBP", exif=exif)
    upload = SimpleUploadedFile("camera.webp", buffer.getvalue(), content_type="image/webp")
    assert editor_client.post(UPLOAD_URL, {"images": [upload], "credit": "Ф"}).status_code == 302
    assert Photo.objects.get().thumbnail_url


def test_a_small_photo_has_one_square_per_size():
    photo = make_photo(upload=jpeg(200, 150))
    assert [w for w, _ in photo.renditions["squares"]["image/jpeg"]] == [150]


def test_two_stories_take_one_library_photo_as_their_lead_without_a_copy(admin_client, client):
    photo = make_photo(caption="Міністри", focal_x=70)
    stories = []
    for headline in ("Перша", "Друга"):
        data = new_article_form(admin_client, headline=headline)
        data.update(
            {"photo-stored": f"library:{photo.pk}"},
            photo_credit="Міноборони",
            photo_alt="Двоє міністрів",
            photo_caption=f"Підпис статті «{headline}»",
            photo_focal_x=70,
        )
        response = admin_client.post(reverse("admin:articles_article_add"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        stories.append(Article.objects.get(headline=headline))
    assert {story.photo.name for story in stories} == {photo.image.name}
    assert Photo.objects.count() == 1
    assert set(photo.uses.values_list("article__headline", flat=True)) == {"Перша", "Друга"}
    assert stories[0].photo_renditions["sources"] == photo.renditions["sources"]
    page = BeautifulSoup(admin_client.get(stories[1].get_absolute_url()).content, "html.parser")
    assert page.select_one("figure.hero figcaption").get_text(" ", strip=True) == (
        "Підпис статті «Друга» Фото: Міноборони"
    )


def test_a_lead_photo_gone_from_the_library_is_refused_keeping_the_form(admin_client):
    data = new_article_form(admin_client, headline="Новина з фото")
    data.update({"photo-stored": "library:999999"}, photo_credit="Ф", photo_alt="Опис")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Вибраного фото вже немає у фотобанку; виберіть інше." in response.content.decode()
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("input[name='photo-stored']")["value"] == "library:999999"
    assert not Article.objects.exists()


def library_lead(photo, **fields):
    """The form's fields when a story takes `photo` from the library as its lead."""
    return {
        "photo-stored": f"library:{photo.pk}",
        "photo_credit": photo.credit,
        "photo_alt": photo.alt,
        **fields,
    }


def test_a_prepared_change_keeps_the_library_photo_it_chose(editor_client, client):
    story = make_article("Живий заголовок", tags=["ППО"], photo=jpeg(name="old.jpg"))
    story.photo_credit, story.photo_alt = "Старий", "Старе фото"
    story.save()
    photo = make_photo(credit="Бібліотека")
    data = form_data(editor_client.get(change_url(story)))
    data.update(library_lead(photo), _save_pending="1")
    assert editor_client.post(change_url(story), data).status_code == 302
    change = PendingChange.objects.get()
    url = f"{change_url(story)}?pending={change.pk}"
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302
    story.refresh_from_db()
    assert (story.photo.name, story.photo_credit) == (photo.image.name, "Бібліотека")


def test_a_restored_autosave_keeps_the_library_photo_it_chose(editor_client):
    story = make_draft(photo=jpeg(name="old.jpg"), photo_credit="Старий", photo_alt="Опис")
    photo = make_photo(credit="Бібліотека")
    data = {**form_data(editor_client.get(change_url(story))), **library_lead(photo)}
    url = reverse("admin:articles_article_autosave", args=[story.pk])
    assert editor_client.post(url, data).status_code == 200
    autosave = Autosave.objects.get()
    page = BeautifulSoup(
        editor_client.get(f"{change_url(story)}?autosave={autosave.pk}").content, "html.parser"
    )
    assert page.select_one("input[name='photo-stored']")["value"] == f"library:{photo.pk}"
    assert page.select_one("input[name='photo_credit']")["value"] == "Бібліотека"


def test_a_photo_stories_show_is_not_replaced_under_them(admin_client):
    photo = make_photo()
    make_article(body=body_with(photo))
    url = reverse("admin:photos_photo_change", args=[photo.pk])
    data = form_data(admin_client.get(url), form_id="photo_form")
    data["image"] = jpeg(name="other.jpg")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "завантажте нове як окреме фото" in response.content.decode()
    name = photo.image.name
    photo.refresh_from_db()
    assert photo.image.name == name


def test_the_librarys_own_form_takes_uploads_not_another_photos_file(admin_client):
    first, second = make_photo(), make_photo(upload=jpeg(name="second.jpg"))
    url = reverse("admin:photos_photo_change", args=[second.pk])
    data = form_data(admin_client.get(url), form_id="photo_form")
    data["image-stored"] = f"library:{first.pk}"
    assert admin_client.post(url, data).status_code == 302
    second.refresh_from_db()
    assert second.image.name != first.image.name
