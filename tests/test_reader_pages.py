"""The reader's site: front page, lists, navigation, breadcrumbs, related stories."""

from datetime import timedelta

import pytest

from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def test_front_page_leads_with_the_newest_story(seed, soup_of, seed_lines):
    page = soup_of("/")
    assert page.select_one(".card-lead h2").get_text() == seed_lines[1]
    assert len(page.select(".card-lead")) == 1


def test_header_navigates_to_every_section_in_order(seed, soup_of, client):
    links = soup_of("/").select(".section-nav a")
    assert [a.get_text() for a in links] == ["Оборона", "Політика", "Світ"]
    for link in links:
        assert client.get(link["href"]).status_code == 200
    current = soup_of("/sections/polityka/").select_one(".section-nav [aria-current=page]")
    assert current.get_text() == "Політика"


def test_article_breadcrumbs_lead_home_through_the_section(seed, soup_of):
    crumbs = soup_of(seed.get_absolute_url()).select(".breadcrumbs li")
    assert [li.get_text() for li in crumbs] == ["Головна", "Оборона", seed.headline]
    assert crumbs[-1].select_one("[aria-current=page]")


def test_an_articles_tags_are_listed_in_the_order_they_were_made(soup_of):
    names = ["Яблуко", "Ізраїль", "переговори", "Абетка"]
    article = make_article()
    for name in names:
        article.tags.add(name)
    tags = soup_of(article.get_absolute_url()).select("ul.tags a")
    assert [a.get_text() for a in tags] == names


def test_related_stories_share_tags_most_shared_first(soup_of):
    article = make_article(tags=["ППО", "Франція", "Умєров"])
    one_shared = make_article(tags=["ППО"], ago=timedelta(minutes=5))
    two_shared = make_article(tags=["ППО", "Франція"], ago=timedelta(hours=5))
    make_article(tags=["Фінляндія"])
    related = soup_of(article.get_absolute_url()).select(".related li a")
    assert [a.get_text() for a in related] == [two_shared.headline, one_shared.headline]


@pytest.mark.parametrize("list_of", ["all", "section", "tag", "author"])
def test_lists_are_paginated_at_stable_addresses(client, soup_of, list_of):
    section, author = make_section(), make_author()
    articles = [
        make_article(section=section, authors=[author], tags=["ППО"], ago=timedelta(minutes=n))
        for n in range(25)
    ]
    url = {
        "all": "/news/",
        "section": section.get_absolute_url(),
        "tag": articles[0].tags.get().get_absolute_url(),
        "author": author.get_absolute_url(),
    }[list_of]
    first, second = soup_of(url), soup_of(url + "?page=2")
    headlines = [a.get_text() for a in first.select("article.card h2 a")]
    headlines += [a.get_text() for a in second.select("article.card h2 a")]
    assert headlines == [a.headline for a in articles]
    assert first.select_one("a[rel=next]")["href"] == "?page=2"
    assert second.select_one("link[rel=canonical]")["href"].endswith(url + "?page=2")
    assert client.get(url + "?page=3").status_code == 404


def test_print_stylesheet_hides_navigation(client, soup_of):
    href = soup_of("/").select_one("link[rel=stylesheet]")["href"]
    stylesheet = b"".join(client.get(href).streaming_content).decode()
    print_rules = stylesheet[stylesheet.index("@media print") :]
    for hidden in (".site-header", ".latest", ".breadcrumbs"):
        assert hidden in print_rules


def test_author_page_shows_the_biography(soup_of):
    author = make_author("Ірина Коваль", bio="Пише про оборону з 2014 року.")
    make_article(authors=[author])
    page = soup_of(author.get_absolute_url())
    assert page.h1.get_text() == "Ірина Коваль"
    assert page.select_one(".author-bio").get_text() == "Пише про оборону з 2014 року."
