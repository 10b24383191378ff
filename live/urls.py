from django.urls import path, re_path

from articles.cache import cached_page

from . import feeds, views

app_name = "live"
urlpatterns = [
    re_path(
        r"^live/(?P<article_pk>[1-9][0-9]{0,17})/after/(?P<after>0|[1-9][0-9]{0,17})/$",
        cached_page(views.whats_new),
        name="since",
    ),
    path("live/<int:article_pk>/update/<int:update_pk>/", views.update_on_page, name="update"),
    path("news/<slug:slug>/live/rss/", cached_page(feeds.LiveRss()), name="rss"),
    path("news/<slug:slug>/live/atom/", cached_page(feeds.LiveAtom()), name="atom"),
]
