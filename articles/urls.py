from django.contrib.sitemaps.views import index, sitemap
from django.urls import path, re_path
from django.views.generic import TemplateView

from . import feeds, views
from .cache import ARTICLE_EDGE_MAX_AGE, cached_page
from .keys import LATEST, LISTS
from .sitemaps import SITEMAPS, NewsSitemapView

app_name = "articles"
PAGED = ("page",)  # the query parameter list pages read (see cache.cached_page)
# What the pages listing every story show (articles/keys.py).
ALL = (LISTS,)
LATEST_ONLY = (LATEST,)
urlpatterns = [
    path("news/", cached_page(views.ArticleListView.as_view(), PAGED, ALL), name="all"),
    path(
        "news/<slug:slug>/",
        cached_page(views.ArticleDetailView.as_view(), edge_max_age=ARTICLE_EDGE_MAX_AGE),
        name="detail",
    ),
    path("sections/<slug:slug>/", cached_page(views.SectionView.as_view(), PAGED), name="section"),
    path("tags/<slug:slug>/", cached_page(views.TagView.as_view(), PAGED), name="tag"),
    path("authors/<slug:slug>/", cached_page(views.AuthorView.as_view(), PAGED), name="author"),
    # The sidebar, for a cache that assembles pages (ESI).
    path(
        "_fragments/latest/", cached_page(views.latest_fragment, shows=LATEST_ONLY), name="latest"
    ),
    re_path(
        r"^_fragments/latest/(?P<exclude>[1-9][0-9]{0,17})/$",
        cached_page(views.latest_fragment, shows=LATEST_ONLY),
        name="latest-without",
    ),
    path("rss/", cached_page(feeds.LatestRss(), shows=ALL), name="rss"),
    path("atom/", cached_page(feeds.LatestAtom(), shows=ALL), name="atom"),
    path("sections/<slug:slug>/rss/", cached_page(feeds.SectionRss()), name="section-rss"),
    path("sections/<slug:slug>/atom/", cached_page(feeds.SectionAtom()), name="section-atom"),
    path("tags/<slug:slug>/rss/", cached_page(feeds.TagRss()), name="tag-rss"),
    path("tags/<slug:slug>/atom/", cached_page(feeds.TagAtom()), name="tag-atom"),
    path(
        "sitemap-news.xml", cached_page(NewsSitemapView.as_view(), shows=ALL), name="news-sitemap"
    ),
    path(
        "sitemap.xml",
        cached_page(index, shows=ALL),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        cached_page(sitemap, ("p",), ALL),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
