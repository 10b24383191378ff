"""Telling the people of an article what happened to it: a notification on
their dashboard, and an e-mail through Django's mail framework (the backend
EMAIL_URL names; the console by default)."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
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
    """Notify `to` (by default everyone following the article) but the actor."""
    recipients = (people_of(article) if to is None else set(to)) - {actor.pk, None}
    Notification.objects.bulk_create(
        Notification(user_id=user_id, article=article, kind=kind, actor=actor, text=text)
        for user_id in sorted(recipients)
    )
    if recipients:
        transaction.on_commit(lambda: send_emails(article, actor, kind, text, recipients))


def send_emails(article, actor, kind, text, recipients):
    from django.contrib.auth import get_user_model

    addresses = get_user_model().objects.filter(pk__in=recipients, is_active=True)
    addresses = [address for address in addresses.values_list("email", flat=True) if address]
    if not addresses:
        return
    subject = f"{Notification.Kind(kind).label.capitalize()}: {article.headline}"
    body = _("%(who)s on “%(headline)s”:\n\n%(text)s\n\n%(url)s") % {
        "who": actor.get_full_name() or actor.get_username(),
        "headline": article.headline,
        "text": text or Notification.Kind(kind).label,
        "url": settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk]),
    }
    messages = [(subject[:200], body, None, [address]) for address in addresses]
    try:
        send_mass_mail(messages)
    except OSError:
        # A mail server that is down must not undo the comment already saved.
        logger.exception("Could not send desk notifications for article %s", article.pk)
