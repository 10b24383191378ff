from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.generic import TemplateView

from . import feeds, views
from .sitemaps import SITEMAPS, NewsSitemapView

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="front"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("rss/", feeds.LatestRss(), name="rss"),
    path("atom/", feeds.LatestAtom(), name="atom"),
    path("sections/<slug:slug>/rss/", feeds.SectionRss(), name="section-rss"),
    path("sections/<slug:slug>/atom/", feeds.SectionAtom(), name="section-atom"),
    path("tags/<slug:slug>/rss/", feeds.TagRss(), name="tag-rss"),
    path("tags/<slug:slug>/atom/", feeds.TagAtom(), name="tag-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-news.xml", NewsSitemapView.as_view(), name="news-sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
