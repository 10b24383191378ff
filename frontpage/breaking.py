"""Breaking news as every page shows it: read once per content generation
(articles/cache.py), so the banner costs a warm page nothing."""

from typing import NamedTuple

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.cache import content_generation

from .models import Breaking, Slot

KEPT = 3600  # a new generation makes the copy unreachable anyway


class Story(NamedTuple):
    pk: int
    headline: str
    url: str


# This process's copy: (generation, stories), as lists read it once per card.
last_read = (None, [])


def breaking_now():
    """The stories marked breaking now, the latest mark first."""
    global last_read
    generation = content_generation()
    if generation is not None and last_read[0] == generation:
        return last_read[1]
    key = f"frontpage:breaking:{generation}"
    stories = cache.get(key) if generation is not None else None
    if stories is None:
        marks = (
            Breaking.objects.on()
            .select_related("article")
            .only("article__headline", "article__slug")
        )
        stories = [
            Story(m.article_id, m.article.headline, m.article.get_absolute_url()) for m in marks
        ]
        if generation is not None:
            cache.set(key, stories, KEPT)
    last_read = (generation, stories)
    return stories


def breaking_mark(article):
    """The "Терміново" mark on a story wherever it is listed (articles/marks.py)."""
    if any(story.pk == article.pk for story in breaking_now()):
        return [("breaking", _("Breaking"))]
    return []


def next_expiry():
    """When a slot's time or a breaking mark's next runs out: readers' pages
    change then with no save (articles.cache.UPCOMING_CHANGES)."""
    now = timezone.now()
    slots = Slot.objects.filter(expires_at__gt=now).order_by().values_list("expires_at")
    marks = Breaking.objects.filter(ends_at__gt=now).order_by().values_list("ends_at")
    return min((moment for (moment,) in slots.union(marks)), default=None)
