"""Who has an article open, and who holds it for editing.

Every open form says it is still there every heartbeat (a setting); one not
heard from for six heartbeats has gone. The first to open an article holds
it; the others are told who and since when, and may take it over (the
holder is told at their next heartbeat). The conflict check on save stays
the last line of defence."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.timezone import localtime

from .models import Presence


def heartbeat_seconds():
    return settings.EDITING_HEARTBEAT_SECONDS


def fresh_since():
    """A form not heard from for six heartbeats has been closed (a browser
    runs a background tab's timers only once a minute)."""
    return timezone.now() - timedelta(seconds=6 * heartbeat_seconds())


def name_of(user):
    return user.get_full_name() or user.get_username()


def fresh_others(article, user):
    return (
        Presence.objects.filter(article=article, seen_at__gte=fresh_since())
        .exclude(user=user)
        .select_related("user")
        .order_by("opened_at")
    )


@transaction.atomic
def arrive(article, user):
    """This user opened the article's form: they hold it unless someone
    who is still there does."""
    now = timezone.now()
    holder = fresh_others(article, user).filter(editing=True).first()
    Presence.objects.update_or_create(
        article=article,
        user=user,
        defaults={
            "opened_at": now,
            "seen_at": now,
            "editing": holder is None,
            "taken_over_by": None,
        },
    )
    return state(article, user)


@transaction.atomic
def heartbeat(article, user):
    """Still here. If the holder has gone, this user holds the article now."""
    now = timezone.now()
    mine, _created = Presence.objects.get_or_create(
        article=article, user=user, defaults={"opened_at": now, "seen_at": now}
    )
    mine.seen_at = now
    if not mine.editing and not fresh_others(article, user).filter(editing=True).exists():
        mine.editing, mine.opened_at, mine.taken_over_by = True, now, None
    mine.save()
    return state(article, user)


@transaction.atomic
def take_over(article, user):
    now = timezone.now()
    Presence.objects.filter(article=article, editing=True).exclude(user=user).update(
        editing=False, taken_over_by=user
    )
    Presence.objects.update_or_create(
        article=article,
        user=user,
        defaults={"opened_at": now, "seen_at": now, "editing": True, "taken_over_by": None},
    )
    return state(article, user)


def leave(article, user):
    Presence.objects.filter(article=article, user=user).delete()


def state(article, user):
    """What this user's form shows: whether they hold the article, who does
    if not (and since when), who else has it open, who took it over."""
    mine = Presence.objects.filter(article=article, user=user).select_related("taken_over_by")
    mine = mine.first()
    others = list(fresh_others(article, user))
    holder = next((p for p in others if p.editing), None)
    return {
        "editing": bool(mine and mine.editing),
        "holder": holder and {"name": name_of(holder.user), "since": clock(holder.opened_at)},
        "others": [name_of(p.user) for p in others if not p.editing],
        "taken_over_by": mine and mine.taken_over_by and name_of(mine.taken_over_by),
    }


def clock(moment):
    return time_format(localtime(moment), "H:i")
