from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from .cache import PAGE_NUMBER, site_now
from .keys import author_key, page_shows, section_key, tag_key
from .models import Article, Author, Section, Tag, TagRedirect
from .rows import with_rows
from .structured_data import news_article
from .templatetags.articles import SIDEBAR_STORIES, latest_html

ARTICLES_PER_PAGE = 20
# Further back than anyone pages (20,000 articles; older ones are reached by
# section, tag, search and the sitemaps); a larger number is a 404, not a
# deep scan.
MAX_PAGE = 1_000

# Other apps' kinds of story page (live: a live page's updates). Each is a
# function of the request and the article, answering the page's template
# and context for a story of its kind, or None. The rows they need come with
# the article's (DETAIL_RELATED: select_related names), so a story of no
# other kind costs its page nothing.
STORY_FORMATS = []
DETAIL_RELATED = []


def with_bylines(articles, *more):
    """The articles with their section, and their bylines (and any `more`
    relations: tags, notes) read in each article's own row."""
    return with_rows(articles.select_related("section"), "bylines", *more)


class Page:
    """One page of a list, known without counting the whole list: a count
    of a large archive reads every row, while a page reads one more row
    than it shows to know whether an older page follows."""

    def __init__(self, items, number, size):
        self.object_list, self.number = items[:size], number
        self.has_next_page = len(items) > size

    def has_next(self):
        return self.has_next_page

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


class ArticleListView(ListView):
    """Every story, newest first; subclasses narrow it to a section, tag or
    author."""

    paginate_by = ARTICLES_PER_PAGE
    template_name = "articles/article_list.html"
    empty_is_not_found = False
    heading = _("All news")

    def get_queryset(self):
        return with_bylines(Article.objects.published())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("heading", self.heading)
        return super().get_context_data(**kwargs)

    def paginate_queryset(self, queryset, page_size):
        number = self.request.GET.get("page", "1")
        if not PAGE_NUMBER.fullmatch(number) or int(number) > MAX_PAGE:
            raise Http404
        number = int(number)
        offset = (number - 1) * page_size
        page = Page(list(queryset[offset : offset + page_size + 1]), number, page_size)
        if not page.object_list and (number > 1 or self.empty_is_not_found):
            raise Http404
        return None, page, page.object_list, page.has_other_pages()


class FilteredListView(ArticleListView):
    """The articles of one section, tag or author, by its slug."""

    subject_model = None
    lookup = None  # how an article refers to the subject
    feeds = None  # the URL name prefix of the subject's feeds, if any
    list_key = None  # the surrogate key of the subject's stories (articles/keys.py)

    def get_queryset(self):
        self.subject = get_object_or_404(self.subject_model, slug=self.kwargs["slug"])
        page_shows(self.list_key(self.subject.pk))
        return super().get_queryset().filter(**{self.lookup: self.subject})

    def get_context_data(self, **kwargs):
        context = {"heading": str(self.subject), "subject": self.subject}
        if self.feeds:
            context["feed_rss"] = reverse(f"articles:{self.feeds}-rss", args=[self.subject.slug])
            context["feed_atom"] = reverse(f"articles:{self.feeds}-atom", args=[self.subject.slug])
        return super().get_context_data(**context, **kwargs)


class SectionView(FilteredListView):
    subject_model, lookup, feeds = Section, "section", "section"
    list_key = staticmethod(section_key)


class TagView(FilteredListView):
    subject_model, lookup, feeds = Tag, "tags", "tag"
    list_key = staticmethod(tag_key)

    # A tag only drafts use must not confirm an embargoed subject: its page
    # is a 404 (told from the page itself, at no extra cost).
    empty_is_not_found = True

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A tag since renamed or merged into another: send readers on.
            moved = TagRedirect.objects.filter(old_slug=kwargs["slug"]).select_related("tag")
            moved = moved.first()
            if moved is None:
                raise
            return redirect(moved.tag, permanent=True)


class AuthorView(FilteredListView):
    subject_model, lookup = Author, "authors"
    list_key = staticmethod(author_key)


class ArticleDetailView(DetailView):
    def get_queryset(self):
        # Staff preview unpublished articles they may see on their real page.
        articles = Article.objects.visible_to(self.request.user)
        return with_bylines(articles, "tags", "notes").select_related(*DETAIL_RELATED)

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

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if article.published_at is None:
            # A preview shows the article as it would look published now.
            article.published_at = timezone.now()
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            is_preview=not self.object.is_published,
            structured_data=news_article(self.object, self.request.build_absolute_uri),
            **kwargs,
        )
        for story_format in STORY_FORMATS:
            found = story_format(self.request, self.object, context)
            if found is not None:
                self.template_name, more = found
                context.update(more)
                break
        return context


def latest_fragment(request, exclude=None):
    """The "Останні новини" sidebar on its own, for a cache that assembles
    article pages from fragments (ESI: see templatetags.latest_articles)."""
    if exclude is not None:
        exclude = int(exclude)
        if all(article.pk != exclude for article in site_now()["latest"]):
            # Not in the sidebar (any more): the shared fragment's content,
            # answered but not kept, so made-up numbers fill no cache.
            request.page_generation = None
    return HttpResponse(latest_html(SIDEBAR_STORIES, exclude))
