"""Pages are valid HTML5 (the Nu HTML checker) and structurally accessible."""

import json
import shutil
import subprocess
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from django.utils import timezone

from frontpage.models import Breaking
from tests.factories import embedded, make_article
from tests.test_embeds import LINKS as EMBEDS
from tests.test_photos import jpeg

pytestmark = pytest.mark.django_db
VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def reader_pages(seed):
    with_embeds = make_article(
        "Удари по енергетиці",
        body="<p>Абзац.</p>" + "".join(embedded(url, "Текст допису") for _, url, _ in EMBEDS),
        tags=["Енергетика"],
    )
    # A front page with everything: breaking news, photos, section blocks.
    Breaking.objects.create(article=with_embeds, ends_at=timezone.now() + timedelta(hours=1))
    for n in range(6):
        make_article(
            f"Новина дня {n}",
            ago=timedelta(minutes=n),
            photo=jpeg(800, 500) if n < 2 else None,
            photo_credit="Суспільне",
            photo_alt="Опис фото",
        )
    return {
        "front": "/",
        "article": seed.get_absolute_url(),
        "article-with-embeds": with_embeds.get_absolute_url(),
        "section": "/sections/oborona/",
        "tag": "/tags/ppo/",
        "author-less-search": "/search/?q=ППО",
        "404": "/news/no-such-article/",
    }


def test_reader_pages_are_valid_html(seed, client, tmp_path):
    if not VNU_JAR.exists() or not shutil.which("java"):
        pytest.fail("The Nu HTML checker needs Java and `npm ci` (make test runs it).")
    files = []
    for name, url in reader_pages(seed).items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages, ensure_ascii=False, indent=1)
    assert result.returncode == 0, result.stderr  # the checker itself ran, and passed


@pytest.mark.parametrize(
    "name",
    ["front", "article", "article-with-embeds", "section", "tag", "author-less-search", "404"],
)
def test_pages_have_landmarks_one_h1_and_headings_in_order(seed, soup_of, name):
    page = soup_of(reader_pages(seed)[name], status=404 if name == "404" else 200)
    assert page.html["lang"] == "uk"
    for landmark in ("header", "nav", "main", "footer"):
        assert page.find(landmark), landmark
    skip = page.select_one("a.skip-link")
    assert page.find(id=skip["href"].lstrip("#"))
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    for image in page.find_all("img"):
        assert image.has_attr("alt")
    for field in page.select("input:not([type=hidden])"):
        assert page.select_one(f"label[for={field['id']}]"), field
