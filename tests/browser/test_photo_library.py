"""The photo library with a real browser: upload several, set a focal point,
put photos and a gallery in two stories beside embedded posts, read them."""

import gzip
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from articles.roles import EDITOR
from photos.models import Photo
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.browser.test_embeds import PAGE_BUDGET, PROVIDER_HOSTS, TELEGRAM, YOUTUBE, embed
from tests.factories import make_article

COLOURS = {"front.jpg": (200, 40, 40), "minister.jpg": (40, 160, 40), "drone.png": (40, 40, 200)}


def photo_files(tmp_path):
    paths = []
    for name, colour in COLOURS.items():
        path = tmp_path / name
        buffer = BytesIO()
        Image.new("RGB", (1600, 900), colour).save(
            buffer, "PNG" if name.endswith("png") else "JPEG"
        )
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def library_photos(tmp_path):
    """Three described photos in the library, as an editor leaves them."""
    photos = []
    for path in photo_files(tmp_path):
        photo = Photo(caption=f"Підпис {path.stem}", credit="Міноборони", alt=f"Опис {path.stem}")
        photo.image.save(path.name, ContentFile(path.read_bytes()), save=False)
        photo.save()
        photos.append(photo)
    return photos


def choose(page, caption):
    dialog = page.locator("dialog.photo-chooser")
    dialog.get_by_role("button", name=caption).click()
    return dialog


def test_an_editor_builds_stories_from_the_library(
    site, watched_page, account, tmp_path, quiet_server
):
    page = watched_page
    log_in(page, site, *account("olena", EDITOR))

    # Three photos at once, with the shoot's credit; each gets its progress bar.
    page.goto(f"{site}/admin/photos/photo/upload/")
    page.set_input_files("#id_images", photo_files(tmp_path))
    page.fill("#id_credit", "Міноборони")
    page.fill("#id_alt", "Фото з брифінгу")
    page.click("input[type=submit]")
    expect(page.locator(".upload-progress li.done")).to_have_count(3)
    expect(page.locator(".upload-progress progress")).to_have_count(3)
    quiet_server()
    assert Photo.objects.count() == 3
    minister = Photo.objects.get(image__contains="minister")

    # Describe one and set its focal point by clicking it.
    page.goto(f"{site}/admin/photos/photo/{minister.pk}/change/")
    page.fill("#id_caption", "Рустем Умєров у Парижі")
    picker = page.locator(".focal-picker img")
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.25)
    expect(page.locator("#id_focal_x")).to_have_value("80")
    expect(page.locator("#id_focal_y")).to_have_value("25")
    page.click("input[name=_save]")
    expect(page.locator(".photo-grid li")).to_have_count(3)
    quiet_server()
    minister.refresh_from_db()
    assert (minister.focal_x, minister.focal_y) == (80, 25)

    # The grid's search finds it by its caption.
    page.fill("#searchbar", "Умєров")
    page.press("#searchbar", "Enter")
    expect(page.locator(".photo-grid li")).to_have_count(1)

    # Two stories show the same photo; the second also has a gallery and two posts.
    stories = [
        make_article("Перша історія", body="<p>Абзац.</p>", tags=["Оборона"]),
        make_article("Друга історія", body="<p>Абзац.</p>", tags=["Оборона"]),
    ]
    for story in stories:
        page.goto(f"{site}/admin/articles/article/{story.pk}/change/")
        page.locator("div.prose-editor > .ProseMirror p").click()
        page.keyboard.press("End")
        page.locator("button[title='Вставити фото з фотобанку']").click()
        choose(page, "Рустем Умєров у Парижі")
        expect(page.locator(".ProseMirror figure.photo-in-editor")).to_have_count(1)
        if story is stories[0]:  # its first paragraph, set large
            page.locator("div.prose-editor > .ProseMirror p").first.click(position={"x": 5, "y": 5})
            # ProseMirror takes the click into its own state a moment later.
            page.wait_for_function(
                "() => document.querySelector('div.prose-editor > .ProseMirror').editor"
                ".state.selection.$from.parent.type.name === 'paragraph'"
            )
            page.locator("button[title='Виносна цитата']").click()
            expect(page.locator(".ProseMirror blockquote.pull-quote")).to_have_text("Абзац.")
        if story is stories[1]:  # the same photo as its lead, too
            page.get_by_role("button", name="Вибрати з фотобанку").click()
            choose(page, "Рустем Умєров у Парижі")
            expect(page.locator("#id_photo_credit")).to_have_value("Міноборони")
            expect(page.locator("#id_photo_focal_x")).to_have_value("80")
            expect(page.locator(".stored-photo")).to_contain_text("Рустем Умєров у Парижі")
            page.locator("button[title='Вставити галерею']").click()
            dialog = page.locator("dialog.photo-chooser")
            expect(dialog.locator(".photo-chooser-grid button")).to_have_count(3)
            for photo in dialog.locator(".photo-chooser-grid button").all():
                photo.click()
            dialog.get_by_role("button", name="Вставити галерею (3)").click()
            embed(page, TELEGRAM, "Сили ППО збили 20 дронів.")
            embed(page, YOUTUBE)
            expect(page.locator(".ProseMirror figure.embed-in-editor")).to_have_count(2)
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist")).to_contain_text(story.headline)
    quiet_server()
    for story in stories:
        story.refresh_from_db()
        assert f'<figure data-photo="{minister.pk}"></figure>' in story.body
    assert stories[0].body.startswith('<blockquote class="pull-quote"><p>Абзац.</p></blockquote>')
    assert set(minister.uses.values_list("article__headline", flat=True)) == {
        "Перша історія",
        "Друга історія",
    }
    assert stories[1].photo.name == minister.image.name, "the library's original, not a copy"
    assert Photo.objects.count() == 3
    assert "data-gallery=" in stories[1].body and 'data-embed="telegram"' in stories[1].body
    assert page.problems == []


@pytest.mark.parametrize("width", [1280, 360])
def test_a_reader_sees_library_photos_with_captions_and_credits(
    site, page, width, tmp_path, settings
):
    photos = library_photos(tmp_path)
    ids = " ".join(str(photo.pk) for photo in photos)
    body = (
        f'<p>Абзац.</p><figure data-photo="{photos[0].pk}"><figcaption>Власний підпис</figcaption>'
        f'</figure><figure data-gallery="{ids}"></figure>'
        f'<figure data-embed="" data-url="{TELEGRAM}"></figure>'
        f'<figure data-embed="" data-url="{YOUTUBE}"></figure>'
    )
    article = make_article("Історія з фото", body=body, tags=["Оборона"])
    hosts, responses = [], []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    page.on("response", lambda response: responses.append(response))
    for host in PROVIDER_HOSTS:
        page.route(f"https://{host}/**", lambda route: route.abort())
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + article.get_absolute_url())

    single = page.locator("figure.body-photo")
    expect(single.locator("figcaption")).to_have_text("Власний підпис Фото: Міноборони")
    expect(single.locator("img")).to_have_attribute("alt", "Опис front")
    gallery = page.locator("figure.gallery li figure")
    expect(gallery).to_have_count(3)
    expect(gallery.nth(1).locator("figcaption")).to_have_text("Підпис minister Фото: Міноборони")
    for image in page.locator(".article-body img").all():
        image.scroll_into_view_if_needed()
        assert image.get_attribute("width") and image.get_attribute("height")
        assert image.get_attribute("loading") == "lazy"
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0
    expect(page.locator("figure.embed")).to_have_count(2)
    assert set(hosts) == {"127.0.0.1"}, "no request to another host before a click"
    # The page's own weight (photos aside, which are as large as they are).
    weight = sum(
        len(gzip.compress(response.body()))
        for response in responses
        if response.request.resource_type != "image"
    )
    assert weight <= PAGE_BUDGET, f"{weight} bytes compressed"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_violations(page) == []
    screenshot(page, f"article-photos-{width}")
