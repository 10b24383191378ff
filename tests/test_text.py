"""Slugs by the national transliteration, and the sanitiser's basic promise."""

import pytest

from articles.html import MAX_NESTING, sanitize_html
from articles.text import slugify_uk
from tests.factories import make_article


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # Examples from Cabinet of Ministers resolution No. 55 of 2010.
        ("Згорани", "zghorany"),
        ("Розгон", "rozghon"),
        ("Юрій", "yurii"),
        ("Знам'янка", "znamianka"),
        ("Знам’янка", "znamianka"),
        ("Знамʼянка", "znamianka"),
        ("Їжакевич", "yizhakevych"),
        ("Щербухи", "shcherbukhy"),
        ("Рустем Умєров", "rustem-umierov"),
        ("Генштаб ЗСУ", "henshtab-zsu"),
        ("Заморожування війни було б виграшним для росіян –Зеленський",
         "zamorozhuvannia-viiny-bulo-b-vyhrashnym-dlia-rosiian-zelenskyi"),
    ],
)  # fmt: skip
def test_slug_follows_the_national_transliteration(cyrillic, latin):
    assert slugify_uk(cyrillic) == latin


def test_long_slug_is_cut_between_words():
    slug = slugify_uk("Міністри оборони " * 20, max_length=30)
    assert slug == "ministry-oborony-ministry"


@pytest.mark.django_db
def test_article_slug_is_made_from_the_headline_and_kept_unique():
    first = make_article("Юрій у Знам'янці")
    second = make_article("Юрій у Знам'янці")
    assert first.slug == "yurii-u-znamiantsi"
    assert second.slug == "yurii-u-znamiantsi-2"


@pytest.mark.django_db
def test_an_editors_own_slug_is_kept():
    assert make_article("Заголовок", slug="vlasna-adresa").slug == "vlasna-adresa"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">посилання</a>',
        '<p style="background:url(javascript:alert(1))" onclick="alert(1)">текст</p>',
    ],
)
def test_sanitiser_removes_scripts_handlers_and_bad_urls(hostile):
    clean = sanitize_html(hostile).lower()
    for danger in ("<script", "onerror", "onclick", "javascript:", "style="):
        assert danger not in clean


@pytest.mark.django_db
def test_hostile_body_is_sanitised_on_every_save_path():
    from articles.models import Article

    article = make_article(body='<p onclick="x()">Текст</p><script>alert(1)</script>')
    assert article.body == "<p>Текст</p>"
    Article.objects.filter(pk=article.pk).update(body="<p>Оновлено</p><script>x</script>")
    article.refresh_from_db()
    assert article.body == "<p>Оновлено</p>"


def test_tags_nested_past_the_limit_are_dropped_and_their_text_kept():
    depth = MAX_NESTING * 4
    html = "<blockquote>" * depth + "глибоко" + "</blockquote>" * depth
    cleaned = sanitize_html(html)
    assert "глибоко" in cleaned
    assert cleaned.count("<blockquote>") == MAX_NESTING
    assert cleaned.count("</blockquote>") == MAX_NESTING
