from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from articles.models import Article
from frontpage.views import next_midnight

from .models import LiveCoverage
from .page import POLL_SECONDS, UPDATES_PER_PAGE, current, page_of, since


def whats_new(request, article_pk, after):
    """What a reader's live page polls for: the updates published after its
    newest, as HTML, and what became of those it shows (edited, deleted).
    Every reader with the same newest update gets the same answer, kept
    until the next change of an update (articles/cache.py's page_uses)."""
    coverage = (
        LiveCoverage.objects.filter(
            pk=article_pk, is_live=True, article__in=Article.objects.published()
        )
        .only("ended_at", "is_live")
        .first()
    )
    if coverage is None:
        raise Http404
    found = since(article_pk, int(after))
    if found is None:
        # Not an update of this page (deleted, or made up): answered, but not
        # kept, so made-up numbers fill no cache. The page asks again after
        # an update it still has, and gets the edits then.
        request.page_generation = None
    updates, latest, edited_since = found or ([], int(after), timezone.now())
    present, whole_since, edited = current(article_pk, edited_since)
    request.page_browser_max_age = POLL_SECONDS
    request.page_expires = next_midnight()  # "14:32" means today
    return render(
        request,
        "live/_since.html",
        {
            "updates": updates[:UPDATES_PER_PAGE],
            # More than a page, or a newest update the page cannot place.
            "reload": found is None or len(updates) > UPDATES_PER_PAGE,
            "ended": not coverage.is_on(),
            "latest": latest,
            "present": present,
            "whole_since": whole_since,
            "edited": edited,
        },
    )


def update_on_page(request, article_pk, update_pk):
    """An update on the page of the live page that shows it (a key event's
    link from another page of updates)."""
    article = get_object_or_404(Article.objects.published(), pk=article_pk)
    number = page_of(article_pk, update_pk)
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{article.get_absolute_url()}{query}#update-{update_pk}")
