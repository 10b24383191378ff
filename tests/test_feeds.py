"""RSS and Atom for the site, each section and each tag, read by a real feed parser."""

import html
from datetime import UTC, datetime

import feedparser
import pytest

from tests.factories import make_article, make_author, make_draft
from tests.hostile import assert_inert

pytestmark = pytest.mark.django_db
FEEDS = {
    "site-rss": "/rss/",
    "site-atom": "/atom/",
    "section-rss": "/sections/polityka/rss/",
    "section-atom": "/sections/polityka/atom/",
    "tag-rss": "/tags/perehovory/rss/",
    "tag-atom": "/tags/perehovory/atom/",
}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("url", FEEDS.values(), ids=FEEDS.keys())
def test_every_feed_parses_cleanly_with_full_entries(seed, client, url):
    feed = parse(client, url)
    assert feed.feed.title.startswith("Редакція")
    assert feed.entries
    for entry in feed.entries:
        assert entry.title and entry.link and entry.summary
        assert entry.published_parsed, "a full date"
        assert entry.author == "Редакція"
        assert entry.content[0].value.startswith("<p>"), "the full body"


def test_site_feed_carries_the_seed_story_whole(seed, client, seed_lines):
    feed = parse(client, "/rss/")
    entry = next(e for e in feed.entries if e.title == seed_lines[1])
    assert html.unescape(entry.summary) == seed.lead, "reads exactly as written"
    body = entry.content[0].value
    for line in (5, 9, 13, 17):
        assert seed_lines[line] in body.replace("&quot;", '"')
    assert entry.published == "Sat, 25 Jan 2025 14:30:00 +0200"
    assert {tag.term for tag in entry.tags} >= {"ППО", "Франція"}


def test_section_and_tag_feeds_hold_only_their_articles(seed, client):
    section = {e.title for e in parse(client, FEEDS["section-rss"]).entries}
    assert section == {
        "Україну не потрібно примусово схиляти до перемовин з рф – президент Фінляндії",
        "Заморожування війни було б виграшним для росіян –Зеленський",
    }
    assert len(parse(client, FEEDS["tag-atom"]).entries) == 3


def test_feeds_name_every_author_and_skip_unpublished(client):
    article = make_article(authors=[make_author("Ірина Коваль"), make_author("Андрій Бойко")])
    draft = make_draft()
    feed = parse(client, "/atom/")
    assert [e.title for e in feed.entries] == [article.headline]
    assert feed.entries[0].author == "Ірина Коваль, Андрій Бойко"
    assert draft.headline not in client.get("/rss/").content.decode()


def test_feed_dates_are_correct_instants(client):
    article = make_article()
    entry = parse(client, "/atom/").entries[0]
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert published == article.published_at.replace(microsecond=0)


def test_unknown_feed_is_a_404(client):
    assert client.get("/sections/no-such/rss/").status_code == 404
    assert client.get("/tags/no-such/atom/").status_code == 404


def test_a_hostile_article_is_inert_in_the_feeds(client):
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    make_article(payload, lead=payload, body=payload)
    for url in ("/rss/", "/atom/"):
        raw = client.get(url).content.decode()
        assert "<script" not in raw and "<img" not in raw
        entry = parse(client, url).entries[0]
        # Plain text stays the editor's text; HTML values hold no script.
        assert (entry.title_detail.type, entry.title) == ("text/plain", payload)
        assert entry.summary_detail.type == "text/html"
        assert_inert(entry.summary)
        assert_inert(entry.content[0].value)
