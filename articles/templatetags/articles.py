from django import template

from ..models import Article

register = template.Library()


@register.inclusion_tag("articles/_latest.html")
def latest_articles(count=5, exclude=None):
    """The "Останні новини" sidebar: newest published articles, newest first."""
    articles = Article.objects.published().only("headline", "slug", "lead", "published_at")
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return {"articles": articles[:count]}
