"""Cached fragments are never stale: any change, or a scheduled article's
time coming, starts a new content generation."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_scheduled, make_section

pytestmark = pytest.mark.django_db


def sidebar(soup_of, article):
    return [a.get_text() for a in soup_of(article.get_absolute_url()).select("aside.latest h3 a")]


def test_a_scheduled_article_reaches_a_cached_sidebar_on_time(soup_of):
    current = make_article(ago=timedelta(days=1))
    scheduled = make_scheduled("Заплановано на полудень", after=timedelta(minutes=10))
    assert sidebar(soup_of, current) == []  # now cached
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert sidebar(soup_of, current) == [scheduled.headline]


def test_an_edit_shows_at_once_in_a_cached_sidebar(soup_of):
    current, other = make_article(ago=timedelta(days=1)), make_article("Стара назва")
    assert sidebar(soup_of, current) == ["Стара назва"]
    other.headline = "Нова назва"
    other.save()
    assert sidebar(soup_of, current) == ["Нова назва"]


def test_unpublishing_and_deleting_leave_the_cached_sidebar(soup_of):
    current = make_article(ago=timedelta(days=1))
    taken_down, deleted = make_article("Знято"), make_article("Видалено")
    assert set(sidebar(soup_of, current)) == {"Знято", "Видалено"}
    taken_down.status = Article.Status.DRAFT
    taken_down.save()
    deleted.delete()
    assert sidebar(soup_of, current) == []


def test_a_new_section_appears_in_the_cached_navigation(soup_of):
    make_article()
    soup_of("/")
    make_section("Економіка")
    assert "Економіка" in [a.get_text() for a in soup_of("/").select(".section-nav a")]
