from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from .models import Article, Author, Byline, Section, Tag
from .search import MAX_QUERY_LENGTH, search
from .structured_data import news_article

ARTICLES_PER_PAGE = 20


def with_bylines(articles):
    return articles.select_related("section").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author"))
    )


class ArticleListView(ListView):
    """The front page; subclasses narrow it to a section, tag or author."""

    paginate_by = ARTICLES_PER_PAGE
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return with_bylines(Article.objects.published())


class FilteredListView(ArticleListView):
    """The articles of one section, tag or author, by its slug."""

    subject_model = None
    lookup = None  # how an article refers to the subject
    feeds = None  # the URL name prefix of the subject's feeds, if any

    def get_queryset(self):
        self.subject = get_object_or_404(self.subject_model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{self.lookup: self.subject})

    def get_context_data(self, **kwargs):
        context = {"heading": str(self.subject), "subject": self.subject}
        if self.feeds:
            context["feed_rss"] = reverse(f"articles:{self.feeds}-rss", args=[self.subject.slug])
            context["feed_atom"] = reverse(f"articles:{self.feeds}-atom", args=[self.subject.slug])
        return super().get_context_data(**context, **kwargs)


class SectionView(FilteredListView):
    subject_model, lookup, feeds = Section, "section", "section"


class TagView(FilteredListView):
    subject_model, lookup, feeds = Tag, "tags", "tag"


class AuthorView(FilteredListView):
    subject_model, lookup = Author, "authors"


class SearchView(ArticleListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "")
        return search(super().get_queryset(), self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class ArticleDetailView(DetailView):
    def get_queryset(self):
        # Staff preview unpublished articles they may see on their real page.
        articles = Article.objects.visible_to(self.request.user)
        return with_bylines(articles).prefetch_related("tags", "notes")

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            # An address the article had before its slug changed: send readers on.
            moved = self.get_queryset().filter(old_slugs__old_slug=kwargs["slug"]).first()
            if moved is None:
                raise
            return redirect(moved, permanent=True)
        if not self.object.is_published:
            # A preview must never be cached by a proxy nor indexed by a search engine.
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            is_preview=not self.object.is_published,
            structured_data=news_article(self.object, self.request.build_absolute_uri),
            **kwargs,
        )
