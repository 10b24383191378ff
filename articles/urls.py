from django.contrib.sitemaps.views import index, sitemap
from django.urls import path
from django.views.generic import TemplateView

from . import feeds, views
from .cache import cached_page
from .sitemaps import SITEMAPS, NewsSitemapView

app_name = "articles"
PAGED = ("page",)  # the query parameter list pages read (see cache.cached_page)
urlpatterns = [
    path("news/", cached_page(views.ArticleListView.as_view(), PAGED), name="all"),
    path("news/<slug:slug>/", cached_page(views.ArticleDetailView.as_view()), name="detail"),
    path("sections/<slug:slug>/", cached_page(views.SectionView.as_view(), PAGED), name="section"),
    path("tags/<slug:slug>/", cached_page(views.TagView.as_view(), PAGED), name="tag"),
    path("authors/<slug:slug>/", cached_page(views.AuthorView.as_view(), PAGED), name="author"),
    path("rss/", cached_page(feeds.LatestRss()), name="rss"),
    path("atom/", cached_page(feeds.LatestAtom()), name="atom"),
    path("sections/<slug:slug>/rss/", cached_page(feeds.SectionRss()), name="section-rss"),
    path("sections/<slug:slug>/atom/", cached_page(feeds.SectionAtom()), name="section-atom"),
    path("tags/<slug:slug>/rss/", cached_page(feeds.TagRss()), name="tag-rss"),
    path("tags/<slug:slug>/atom/", cached_page(feeds.TagAtom()), name="tag-atom"),
    path("sitemap-news.xml", cached_page(NewsSitemapView.as_view()), name="news-sitemap"),
    path(
        "sitemap.xml",
        cached_page(index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        cached_page(sitemap, ("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
