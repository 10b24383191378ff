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


class SectionView(ArticleListView):
    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.section.name,
            feed_rss=reverse("articles:section-rss", args=[self.section.slug]),
            feed_atom=reverse("articles:section-atom", args=[self.section.slug]),
            **kwargs,
        )


class TagView(ArticleListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.tag.name,
            feed_rss=reverse("articles:tag-rss", args=[self.tag.slug]),
            feed_atom=reverse("articles:tag-atom", args=[self.tag.slug]),
            **kwargs,
        )


class AuthorView(ArticleListView):
    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.author.name, author=self.author, **kwargs)


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
