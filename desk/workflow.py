"""The desk's transitions: who may move an article from which state to
which. The server enforces them (DeskArticleForm.clean); the form only
offers the ones the user may take."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from articles.models import Article, can_publish

Status = Article.Status


@dataclass(frozen=True)
class Transition:
    name: str
    button: str  # what the button says
    done: str  # what the history says
    sources: frozenset
    target: str
    editors_only: bool
    needs_note: bool = False

    def allowed(self, article, user):
        return article.status in self.sources and (can_publish(user) or not self.editors_only)


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit",
            _("Save and send for review"),
            _("Sent for review"),
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.IN_REVIEW,
            editors_only=False,
        ),
        Transition(
            "request_changes",
            _("Send back for changes"),
            _("Sent back for changes"),
            frozenset({Status.IN_REVIEW, Status.APPROVED}),
            Status.CHANGES_REQUESTED,
            editors_only=True,
            needs_note=True,
        ),
        Transition(
            "approve",
            _("Approve"),
            _("Approved"),
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED}),
            Status.APPROVED,
            editors_only=True,
        ),
    ]
}


def available(article, user):
    """The transitions this user may take from the article's stored state."""
    return [t for t in TRANSITIONS.values() if t.allowed(article, user)]


def described(old_status, article):
    """What a status change says in the history, or None if there was none
    (a new article's old status is a draft's)."""
    if old_status == article.status:
        return None
    if article.status == Status.PUBLISHED:
        if article.is_scheduled:
            return article.state_label
        return str(_("Published"))
    if old_status == Status.PUBLISHED:
        return str(_("Unpublished"))
    for transition in TRANSITIONS.values():
        if transition.target == article.status:
            return str(transition.done)
    return str(_("Status: %(status)s") % {"status": article.get_status_display()})
