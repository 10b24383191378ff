"""Lighthouse, as on a phone, on the heaviest article page (a library photo,
a gallery and two embedded posts) and on a full front page."""

import json
import os
import subprocess
from datetime import timedelta

from django.utils import timezone

from frontpage.models import Breaking
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PROJECT
from tests.browser.test_embeds import TELEGRAM, YOUTUBE
from tests.browser.test_photo_library import library_photos
from tests.factories import embedded, make_article, make_section
from tests.test_photos import jpeg

LIGHTHOUSE = PROJECT / "node_modules/.bin/lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LEAST_SCORE = 0.95
# Lighthouse's 4x CPU slowdown turns a high-end desktop (benchmark index
# 1500-2000, docs/throttling.md) into a mid-tier phone of about 1750 / 4. A
# slower host is slowed less, so the phone stays the same; a faster one keeps
# the standard 4x (never an easier phone than Lighthouse's own).
PHONE_BENCHMARK_INDEX = 1750 / 4
STANDARD_SLOWDOWN = 4


def cpu_slowdown(benchmark_index):
    return max(1.0, min(STANDARD_SLOWDOWN, benchmark_index / PHONE_BENCHMARK_INDEX))


def lighthouse(url, report):
    """Lighthouse's report on `url`, as on the same phone whatever the host:
    a host slower than Lighthouse's standard one (its own benchmark index, from
    the first run) is measured again with the slowdown calibrated for it."""
    result = lighthouse_run(url, report, STANDARD_SLOWDOWN)
    slowdown = cpu_slowdown(result["environment"]["benchmarkIndex"])
    if slowdown < STANDARD_SLOWDOWN:
        result = lighthouse_run(url, report, slowdown)
    return result


def lighthouse_run(url, report, slowdown):
    """One run. Its trace of a page load sometimes comes back empty
    (NO_NAVSTART, a known Chromium race): that run is tried again."""
    for _attempt in range(3):
        run = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                f"--only-categories={','.join(CATEGORIES)}",
                "--form-factor=mobile",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                f"--throttling.cpuSlowdownMultiplier={slowdown:.2f}",
                f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}",
            ],
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
            timeout=180,
        )
        if "NO_NAVSTART" not in run.stderr:
            break
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(report.read_text())


def test_the_article_page_with_photos_and_embeds_scores_well_on_a_phone(site, tmp_path):
    photos = library_photos(tmp_path)
    ids = " ".join(str(photo.pk) for photo in photos)
    body = (
        f'<p>Абзац.</p><figure data-photo="{photos[0].pk}"></figure>'
        f'<figure data-gallery="{ids}"></figure>'
        f"{embedded(TELEGRAM, 'Текст допису')}{embedded(YOUTUBE)}"
    )
    article = make_article("Історія з фото і дописами", body=body, tags=["Оборона"])
    assert_scores_well(site + article.get_absolute_url(), tmp_path)


def test_the_front_page_scores_well_on_a_phone(site, tmp_path):
    sections = [make_section(f"Рубрика {n}") for n in range(4)]
    for n in range(30):
        make_article(
            f"Новина дня номер {n}",
            section=sections[n % 4],
            ago=timedelta(minutes=10 * n),
            photo=jpeg(1600, 1000) if n < 6 else None,
            photo_credit="Суспільне",
            photo_alt=f"Фото до новини {n}",
        )
    Breaking.objects.create(
        article=make_article("Вибухи у Львові"), ends_at=timezone.now() + timedelta(hours=1)
    )
    assert_scores_well(site + "/", tmp_path)


def assert_scores_well(url, tmp_path):
    result = lighthouse(url, tmp_path / "lighthouse.json")
    scores = {name: result["categories"][name]["score"] for name in CATEGORIES}
    failing = {
        audit["id"]: audit.get("displayValue") or audit["title"]
        for audit in result["audits"].values()
        if audit.get("score") is not None and audit["score"] < 0.9
    }
    host = {
        "benchmark index": result["environment"]["benchmarkIndex"],
        "cpu slowdown": result["configSettings"]["throttling"]["cpuSlowdownMultiplier"],
    }
    assert min(scores.values()) >= LEAST_SCORE, (scores, failing, host)
