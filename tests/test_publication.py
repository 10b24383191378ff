"""What the public sees: only published articles whose time has come, everywhere."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_draft, make_scheduled

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_articles():
    live = make_article()
    make_draft()
    make_scheduled()
    assert list(Article.objects.published()) == [live]


def test_is_published_agrees_with_the_published_query():
    articles = [make_article(), make_draft(), make_scheduled()]
    public = set(Article.objects.published())
    assert [a.is_published for a in articles] == [a in public for a in articles]


@pytest.mark.parametrize("make", [make_draft, make_scheduled])
def test_unpublished_article_is_a_404_for_the_public(client, make):
    article = make()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Сторінку не знайдено" in response.content.decode()


def test_scheduled_article_appears_by_itself_when_its_time_comes(client):
    article = make_scheduled(after=timedelta(minutes=30))
    assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.headline in client.get("/").content.decode()


@pytest.mark.parametrize("make", [make_draft, make_scheduled])
def test_staff_preview_unpublished_article_not_cached_nor_indexed(admin_client, make):
    article = make()
    response = admin_client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert article.headline in page
    assert "Попередній перегляд" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_published_article_is_not_marked_as_preview(admin_client):
    article = make_article()
    response = admin_client.get(article.get_absolute_url())
    assert "X-Robots-Tag" not in response
    assert "Попередній перегляд" not in response.content.decode()


def test_staff_without_edit_permission_get_the_public_view(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get(make_draft().get_absolute_url()).status_code == 404


def sidebar_headlines(soup_of, url):
    return [a.get_text() for a in soup_of(url).select("aside.latest h3 a")]


def test_sidebar_is_newest_first_without_the_current_article(soup_of):
    older, current, newest = (make_article(ago=timedelta(hours=h)) for h in (3, 2, 1))
    headlines = sidebar_headlines(soup_of, current.get_absolute_url())
    assert headlines == [newest.headline, older.headline]


def test_draft_and_scheduled_articles_are_hidden_from_the_sidebar(soup_of):
    current = make_article(ago=timedelta(days=1))
    draft, scheduled = make_draft(), make_scheduled()
    headlines = sidebar_headlines(soup_of, current.get_absolute_url())
    assert draft.headline not in headlines
    assert scheduled.headline not in headlines


def test_sidebar_shows_at_most_five_articles(soup_of):
    current = make_article(ago=timedelta(days=1))
    newest = [make_article(ago=timedelta(minutes=m)) for m in range(7, 0, -1)]
    headlines = sidebar_headlines(soup_of, current.get_absolute_url())
    assert headlines == [a.headline for a in reversed(newest)][:5]


def test_teaser_is_cut_at_a_word_boundary_with_a_real_ellipsis():
    lead = "Слово " * 60
    teaser = make_article(lead=lead).teaser(limit=40)
    assert teaser == "Слово Слово Слово Слово Слово Слово…"
    assert len(teaser) <= 40 + len("…")


def test_teaser_drops_a_comma_left_dangling_by_the_cut():
    teaser = make_article(lead="Перше речення, друге речення, третє речення").teaser(limit=16)
    assert teaser == "Перше речення…"


@pytest.mark.parametrize(
    "lead",
    [
        "Коротко.",
        "Чи буде мир?",
        'Він сказав: "Так!"',
        "Він сказав: „Ми переможемо.“",
        "Стубб вважає, що буде три етапи…",
    ],
)
def test_a_teaser_ending_a_sentence_gets_no_ellipsis_after_it(lead):
    assert make_article(lead=lead).teaser() == lead


@pytest.mark.parametrize("lead", ["Він заявив:", "Новина,", "Перелік такий —"])
def test_a_short_lead_loses_its_dangling_punctuation_before_the_ellipsis(lead):
    assert make_article(lead=lead).teaser() == lead.rstrip(":,— ") + "…"


def test_a_teaser_cut_after_a_full_stop_gets_no_ellipsis():
    teaser = make_article(lead="Перше речення. Друге речення довше").teaser(limit=16)
    assert teaser == "Перше речення."


def test_byline_lists_authors_in_order_linking_to_their_pages(client, soup_of):
    first, second = make_author("Ірина Коваль"), make_author("Андрій Бойко")
    article = make_article(authors=[second, first])
    links = soup_of(article.get_absolute_url()).select(".byline a")
    assert [a.get_text() for a in links] == ["Андрій Бойко", "Ірина Коваль"]
    assert client.get(links[0]["href"]).status_code == 200


@pytest.mark.parametrize("list_of", ["section", "tag", "author"])
def test_list_pages_show_only_published_articles(soup_of, list_of):
    author = make_author()
    live = make_article(authors=[author], tags=["Франція"])
    section = live.section
    hidden = [
        make_draft(section=section, authors=[author], tags=["Франція"]),
        make_scheduled(section=section, authors=[author], tags=["Франція"]),
    ]
    url = {
        "section": section.get_absolute_url(),
        "tag": live.tags.get().get_absolute_url(),
        "author": author.get_absolute_url(),
    }[list_of]
    headlines = [a.get_text() for a in soup_of(url).select("article.card h2 a")]
    assert headlines == [live.headline]
    assert not {a.headline for a in hidden} & set(headlines)
