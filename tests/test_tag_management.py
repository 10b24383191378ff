"""Editors keep the tags tidy: counts per tag, merging two into one, and a
renamed or merged tag's old page leading to its new one."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Article, Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db
TAGS = reverse("admin:articles_tag_changelist")


def counts(client):
    page = BeautifulSoup(client.get(TAGS).content, "html.parser")
    return {
        row.select_one(".field-name").get_text(): row.select_one(".field-article_count").get_text()
        for row in page.select("#result_list tbody tr")
    }


def test_the_tag_list_counts_articles(editor_client):
    make_article("Перша", tags=["ЗСУ", "Франція"])
    make_article("Друга", tags=["ЗСУ"])
    assert counts(editor_client) == {"ЗСУ": "2", "Франція": "1"}


def test_merging_keeps_the_chosen_tag_once_per_article_and_redirects_the_others(
    editor_client, client
):
    both = make_article("Обидва теги", tags=["ЗСУ", "Збройні сили"])
    only_other = make_article("Лише другий", tags=["Збройні сили"])
    kept, merged = Tag.objects.get(name="ЗСУ"), Tag.objects.get(name="Збройні сили")
    old_page = merged.get_absolute_url()
    selected = {"action": "merge", "_selected_action": [kept.pk, merged.pk]}
    confirm = editor_client.post(TAGS, selected)
    assert "Який тег залишити?" in confirm.content.decode()
    assert Tag.objects.count() == 2, "nothing is merged before the editor chooses"
    editor_client.post(TAGS, {**selected, "keep": kept.pk})
    assert list(Tag.objects.values_list("name", flat=True)) == ["ЗСУ"]
    assert list(both.tags.names()) == ["ЗСУ"] and list(only_other.tags.names()) == ["ЗСУ"]
    response = client.get(old_page)
    assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()


def test_a_renamed_tags_old_page_redirects(editor_client, client):
    make_article("Новина", tags=["Мінобороны"])
    tag = Tag.objects.get()
    old_page = tag.get_absolute_url()
    data = {"name": "Міноборони", "slug": "minoborony", "old_slugs-TOTAL_FORMS": "0",
            "old_slugs-INITIAL_FORMS": "0"}  # fmt: skip
    response = editor_client.post(reverse("admin:articles_tag_change", args=[tag.pk]), data)
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.get_absolute_url() != old_page
    moved = client.get(old_page)
    assert moved.status_code == 301 and moved["Location"] == tag.get_absolute_url()
    assert client.get(tag.get_absolute_url()).status_code == 200


def test_reporters_cannot_merge_tags(reporter_client, reporter):
    make_article("Обидва теги", tags=["ЗСУ", "Збройні сили"], created_by=reporter)
    ids = list(Tag.objects.values_list("pk", flat=True))
    reporter_client.post(TAGS, {"action": "merge", "_selected_action": ids, "keep": ids[0]})
    assert Tag.objects.count() == 2
    assert Article.objects.get().tags.count() == 2
