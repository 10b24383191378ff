from django.urls import path

from articles.cache import cached_page
from articles.keys import FRONT
from articles.urls import PAGED

from . import views

app_name = "frontpage"
urlpatterns = [
    path("", cached_page(views.FrontView.as_view(), PAGED, (FRONT,)), name="front"),
    # Ahead of articles' own section page, which it extends.
    path(
        "sections/<slug:slug>/",
        cached_page(views.SectionFrontView.as_view(), PAGED),
        name="section",
    ),
]
