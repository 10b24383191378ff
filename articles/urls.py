from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.generic import TemplateView

from . import feeds, views
from .cache import cached_page
from .sitemaps import SITEMAPS, NewsSitemapView

app_name = "articles"
urlpatterns = [
    path("", cached_page(views.ArticleListView.as_view()), name="front"),
    path("news/<slug:slug>/", cached_page(views.ArticleDetailView.as_view()), name="detail"),
    path("sections/<slug:slug>/", cached_page(views.SectionView.as_view()), name="section"),
    path("tags/<slug:slug>/", cached_page(views.TagView.as_view()), name="tag"),
    path("authors/<slug:slug>/", cached_page(views.AuthorView.as_view()), name="author"),
    path("search/", cached_page(views.SearchView.as_view()), name="search"),
    path("rss/", cached_page(feeds.LatestRss()), name="rss"),
    path("atom/", cached_page(feeds.LatestAtom()), name="atom"),
    path("sections/<slug:slug>/rss/", cached_page(feeds.SectionRss()), name="section-rss"),
    path("sections/<slug:slug>/atom/", cached_page(feeds.SectionAtom()), name="section-atom"),
    path("tags/<slug:slug>/rss/", cached_page(feeds.TagRss()), name="tag-rss"),
    path("tags/<slug:slug>/atom/", cached_page(feeds.TagAtom()), name="tag-atom"),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-news.xml", cached_page(NewsSitemapView.as_view()), name="news-sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
