import re
from datetime import date, timedelta

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from articles.cache import PAGE_NUMBER, site_now

from . import backends, suggest
from .backends import SearchTimeout
from .query import MAX_QUERY_LENGTH, display, parse
from .results import MAX_PAGE, Filters, Results, count, find

# The results page's filters, besides q and page.
FILTERS = ("section", "from", "to")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 1900, 2999
# Any reader can ask for new words, so results are kept briefly.
SEARCH_KEPT = timedelta(minutes=5)


def read_filters(params):
    """The filters asked for, and whether they were all written as the
    page's own form writes them (only then is the page kept: anyone could
    otherwise fill the cache with spellings of one page). A filter that
    means nothing (a section that does not exist, a date that is not one)
    is left out."""
    filters, canonical = Filters(), True
    slug = params.get("section", "")
    if slug:
        filters.section = next((s for s in site_now()["sections"] if s.slug == slug), None)
        canonical = filters.section is not None
    for name, attribute in (("from", "since"), ("to", "until")):
        value = params.get(name, "")
        if value:
            day = calendar_day(value)
            setattr(filters, attribute, day)
            canonical = canonical and day is not None
    return filters, canonical


def calendar_day(value):
    """A date written 2026-01-05, within the years a newsroom writes in."""
    if not DAY.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get(self, request, *args, **kwargs):
        request.page_expires = timezone.now() + SEARCH_KEPT
        number = request.GET.get("page", "1")
        if not PAGE_NUMBER.fullmatch(number) or int(number) > MAX_PAGE:
            raise Http404
        self.number = int(number)
        self.text = display(request.GET.get("q", "").replace("\x00", ""))
        self.filters, canonical = read_filters(request.GET)
        if not canonical:
            request.page_generation = None  # answered, not kept
        try:
            context = self.search()
        except SearchTimeout:
            context = {"results": Results(), "too_slow": True}
        context = self.get_context_data(**context)
        if self.number > 1 and not context["results"].articles and not context.get("too_slow"):
            raise Http404
        return self.render_to_response(context, status=503 if context.get("too_slow") else 200)

    def search(self):
        query = parse(self.text)
        results = find(query, self.filters, self.number)
        context = {"results": results, "searched": self.text, "asked": bool(query)}
        context["nothing_wanted"] = bool(self.text) and not query and bool(query.exclude)
        context["phrase"] = query.has_long_phrases
        if results.total or self.number > 1 or not query:
            return context
        # Nothing: the same keys in the Ukrainian layout, or a Russian spelling,
        # answer instead; a typo gets a "did you mean".
        for other in (suggest.in_layout(self.text), suggest.in_ukrainian(self.text)):
            if other:
                found = find(parse(other), self.filters, 1)
                if found.total:
                    return {**context, "results": found, "searched": other, "instead_of": self.text}
        other = suggest.corrected(self.text)
        if other and count(parse(other), self.filters):
            context["did_you_mean"] = other
        return context

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.text,
            number=self.number,
            filters=self.filters,
            sections=site_now()["sections"],
            max_length=MAX_QUERY_LENGTH,
            count_limit=backends.COUNT_LIMIT,
            **kwargs,
        )
