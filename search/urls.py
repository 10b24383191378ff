from django.urls import path

from articles.cache import cached_page
from articles.urls import ALL

from . import views

app_name = "search"
urlpatterns = [
    path(
        "search/",
        cached_page(views.SearchView.as_view(), ("page", "q", *views.FILTERS), ALL),
        name="results",
    ),
]
