"""sitemap.xml for search engines, and the Google News sitemap of the last 48 hours."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.utils import timezone
from django.views.generic import TemplateView

from .models import Article, Section, Tag

NEWS_WINDOW = timedelta(hours=48)


class ArticleSitemap(Sitemap):
    limit = 1000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class TagSitemap(Sitemap):
    def items(self):
        # Only tags whose page lists something.
        published = Article.objects.published()
        return Tag.objects.filter(tagged_articles__content_object__in=published).distinct()


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "tags": TagSitemap}


class NewsSitemapView(TemplateView):
    template_name = "sitemap-news.xml"
    content_type = "application/xml; charset=utf-8"

    def get_context_data(self, **kwargs):
        recent = Article.objects.published().filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        return super().get_context_data(articles=recent[:1000], **kwargs)
