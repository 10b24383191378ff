"""The seed fixture carries the newsroom's story verbatim, and the page shows all of it.

Expected text is read from the seed file (tests/data), by the line numbers its
README maps, never copied from the fixture.
"""

import pytest
from django.core.management import call_command

from articles.models import Article, Byline, Section, Tag, TaggedArticle

BODY_LINES = range(5, 18, 2)
QUOTE_LINES = {13, 17}
# Sidebar items: headline line, teaser line, and the photo caption and credit
# that the flattened seed text shows before each teaser.
SIDEBAR = [
    (21, 23, "", ""),
    (25, 27, "Олександр Стубб.", "astanafans.com"),
    (29, 31, "", "Генштаб ЗСУ"),
]
MAIN_STORY_TAGS = {
    "Рустем Умєров", "Себастьєн Лекорню", "Володимир Горбатюк", "Микола Шевцов",
    "Олександр Балануца", "Міністерство оборони", "Генштаб ЗСУ", "Франція", "ППО",
}  # fmt: skip


@pytest.fixture
def page(seed, soup_of):
    return soup_of(seed.get_absolute_url())


def test_headline_is_the_title_and_the_only_h1(page, seed_lines):
    assert page.title.string.startswith(seed_lines[1] + " | ")
    assert [h1.get_text() for h1 in page.find_all("h1")] == [seed_lines[1]]


def test_photo_credit_and_lead_follow_the_headline(page, seed_lines):
    credit = page.select_one("figure.hero figcaption").get_text(" ", strip=True)
    lead = page.select_one(".lead").get_text()
    assert f"{seed_lines[1]} {credit} {lead}" == seed_lines[3]
    assert credit == "Фото: з вільного доступу"


def test_every_body_paragraph_is_verbatim_and_in_order(page, seed_lines):
    paragraphs = [p.get_text() for p in page.select(".article-body p")]
    assert paragraphs == [seed_lines[n] for n in BODY_LINES]


def test_the_ministers_quotes_are_set_apart_as_quotations(page, seed_lines):
    quotes = [q.get_text(strip=True) for q in page.select(".article-body blockquote")]
    assert quotes == [seed_lines[n] for n in sorted(QUOTE_LINES)]
    assert all(quote.startswith('"') for quote in quotes)


def test_date_is_ukrainian_in_kyiv_time(page):
    time = page.select_one(".article-meta time")
    assert time.get_text() == "25 січня 2025, 14:30"
    assert time["datetime"] == "2025-01-25T14:30:00+02:00"


def test_byline_falls_back_to_the_newsroom(page):
    assert page.select_one(".byline").get_text(strip=True) == "Редакція"


def test_tags_link_to_their_tag_pages(page, client):
    links = page.select("ul.tags a")
    assert {a.get_text() for a in links} == MAIN_STORY_TAGS
    for link in links:
        assert client.get(link["href"]).status_code == 200


def test_section_links_to_its_page(page, seed, client):
    link = page.select_one('.breadcrumbs a[href^="/sections/"]')
    assert link.get_text() == seed.section.name
    assert client.get(link["href"]).status_code == 200


def test_sidebar_lists_the_three_other_stories_newest_first(page, seed_lines):
    sidebar = page.select_one("aside.latest")
    assert sidebar.h2.get_text() == seed_lines[19] == "Останні новини"
    items = sidebar.select("li")
    assert [li.h3.get_text() for li in items] == [seed_lines[h] for h, _, _, _ in SIDEBAR]
    for li, (_, teaser_line, caption, credit) in zip(items, SIDEBAR, strict=True):
        shown_before_teaser = " ".join(filter(None, [caption, credit and f"Фото: {credit}"]))
        seed_teaser = seed_lines[teaser_line].removeprefix(shown_before_teaser).lstrip()
        assert li.p.get_text() == typeset(seed_teaser)


def test_sidebar_stories_carry_their_photo_caption_and_credit(seed, seed_lines):
    for headline_line, _, caption, credit in SIDEBAR:
        article = Article.objects.get(headline=seed_lines[headline_line])
        assert (article.photo_caption, article.photo_credit) == (caption, credit)


def test_sidebar_links_open_each_story(page, client, seed_lines):
    for link in page.select("aside.latest h3 a"):
        story = client.get(link["href"])
        assert story.status_code == 200
        assert link.get_text() in story.content.decode()


def test_every_seed_article_is_published_and_on_the_front_page(seed, soup_of, seed_lines):
    front = soup_of("/")
    top = front.select_one(".front-top h2 a").get_text()
    featured = [a.get_text() for a in front.select(".front-featured h3 a")]
    assert top == seed_lines[1], "the seed story leads the front page"
    assert featured == [seed_lines[h] for h, _, _, _ in SIDEBAR]


def typeset(seed_teaser):
    """The seed page's teaser as the site sets it: its "..." is a real
    ellipsis, and none follows a full stop ("етапи...." is "етапи.")."""
    text = seed_teaser.removesuffix("...")
    return text if text.endswith(".") else text + "…"


def test_sanitising_leaves_the_seed_body_unchanged(seed):
    stored = seed.body
    seed.save()
    seed.refresh_from_db()
    assert seed.body == stored


def counts():
    return [m.objects.count() for m in (Article, Section, Tag, TaggedArticle, Byline)]


def test_loading_the_seed_twice_duplicates_nothing(seed):
    before = counts()
    texts = list(Article.objects.values_list("headline", "lead", "body", "published_at"))
    call_command("loaddata", "seed", verbosity=0)
    assert counts() == before
    assert list(Article.objects.values_list("headline", "lead", "body", "published_at")) == texts


def test_a_missing_photo_file_does_not_break_the_page(seed, soup_of):
    Article.objects.filter(pk=seed.pk).update(photo="photos/2025/01/not-on-disk.jpg")
    page = soup_of(seed.get_absolute_url())
    assert page.select_one("figure.hero .credit").get_text() == "Фото: з вільного доступу"
    assert page.select_one(".lead")
