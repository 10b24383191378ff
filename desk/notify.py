"""Telling the people of an article what happened to it: a notification on
their dashboard, and an e-mail through Django's mail framework (the backend
EMAIL_URL names; the console by default)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Assignment, EditorialComment, Notification

logger = logging.getLogger(__name__)


def people_of(article):
    """Who follows an article: who wrote it, who it is assigned to, and
    everyone who has commented on it."""
    people = {article.created_by_id}
    assignment = Assignment.objects.filter(article=article).first()
    if assignment:
        people |= {assignment.editor_id, assignment.reporter_id}
    people |= set(
        EditorialComment.objects.filter(article=article).values_list("author_id", flat=True)
    )
    return people


def notify(article, actor, kind, text="", to=None):
    """Notify `to` (by default everyone following the article) but the actor,
    and only those who may open the article now: someone taken off a story
    hears nothing more of it."""
    recipients = (people_of(article) if to is None else set(to)) - {actor.pk, None}
    recipients = set(may_open(article).filter(pk__in=recipients).values_list("pk", flat=True))
    Notification.objects.bulk_create(
        Notification(user_id=user_id, article=article, kind=kind, actor=actor, text=text)
        for user_id in sorted(recipients)
    )
    if recipients:
        transaction.on_commit(lambda: send_emails(article, actor, kind, text, recipients))
    return recipients


def may_open(article):
    """The active staff who may open the article in the admin: editors, its
    writer, and the reporter it is assigned to."""
    editors = Q(groups__permissions__codename="publish_article") | Q(is_superuser=True)
    writers = Q(pk=article.created_by_id) | Q(
        pk__in=Assignment.objects.filter(article=article).values("reporter_id")
    )
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    return users.filter(editors | writers).distinct()


def send_emails(article, actor, kind, text, recipients):
    addresses = get_user_model().objects.filter(pk__in=recipients, is_active=True)
    addresses = [address for address in addresses.values_list("email", flat=True) if address]
    if not addresses:
        return
    # One line: a line break in a header is refused by the mail framework.
    subject = " ".join(f"{Notification.Kind(kind).label.capitalize()}: {article.headline}".split())
    body = _("%(who)s on “%(headline)s”:\n\n%(text)s\n\n%(url)s") % {
        "who": actor.get_full_name() or actor.get_username(),
        "headline": article.headline,
        "text": text or Notification.Kind(kind).label,
        "url": settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk]),
    }
    messages = [(subject[:200], body, None, [address]) for address in addresses]
    try:
        send_mass_mail(messages)
    except (OSError, ValueError):
        # A mail server that is down must not undo the comment already saved.
        logger.exception("Could not send desk notifications for article %s", article.pk)
