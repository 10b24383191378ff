"""What the front page shows: the stories editors placed, each place left
empty or expired falling to the newest story, every story once."""

from dataclasses import dataclass, field

from django.db.models.expressions import RawSQL

from articles.cache import site_now
from articles.models import Article

from .breaking import Story, breaking_now
from .models import Slot

LATEST_COUNT = 10  # the "Останні новини" column
SECTION_BLOCK = 4  # stories in each section's block


# Other apps' stories that lead the front page now, ahead of its top place
# (live: a live page while it goes on): functions answering their numbers,
# the first leading. The editors' places stay as they are meanwhile.
LEADS = []

# What no teaser shows, and is the bulk of a story's row.
UNSHOWN = ("body",)


def teasers():
    """Published stories with what a teaser shows."""
    return Article.objects.published().select_related("section").defer(*UNSHOWN)


@dataclass
class FrontPage:
    top: Article | None = None
    featured: list = field(default_factory=list)
    latest: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # [(section, [stories])]
    # The breaking story's banner, unless the story leads the page itself.
    banner: Story | None = None
    shown: set = field(default_factory=set)

    def take(self, candidates, count):
        """Up to `count` of the candidates not yet on the page."""
        taken = []
        for article in candidates:
            if len(taken) == count:
                break
            if article.pk not in self.shown:
                self.shown.add(article.pk)
                taken.append(article)
        return taken


def front_page(front):
    slots = list(
        Slot.objects.showing()
        .filter(front=front.pk)
        .select_related("article__section")
        .defer(*(f"article__{name}" for name in UNSHOWN))
    )
    page = FrontPage()
    pinned_top = [slot.article for slot in slots if slot.kind == Slot.Kind.TOP]
    if front.section_id is None and (leading := [pk for leads in LEADS for pk in leads()]):
        stories = teasers().in_bulk(leading)
        pinned_top = [stories[pk] for pk in leading if pk in stories] + pinned_top
    pinned = [slot.article for slot in slots if slot.kind == Slot.Kind.FEATURED]
    # Enough of the newest to fill every place whatever is pinned or breaking.
    wanted = 1 + front.featured_count + LATEST_COUNT + len(slots) + 1
    newest = list(teasers()[:wanted])

    # An empty top place takes the newest story not placed in the row.
    unplaced = [story for story in newest if story not in pinned]
    page.top = next(iter(page.take(pinned_top + unplaced, 1)), None)
    # The banner is its story's one place on the page; a breaking top story
    # carries the mark instead.
    top_pk = page.top.pk if page.top else None
    page.banner = next((s for s in breaking_now() if s.pk != top_pk), None)
    if page.banner is not None:
        page.shown.add(page.banner.pk)
    page.featured = page.take(pinned + newest, front.featured_count)
    page.latest = page.take(newest, LATEST_COUNT)
    page.sections = section_blocks(page.shown)
    return page


def section_blocks(shown):
    """Each section with its newest stories not shown above, in one query:
    a UNION of one short index read per section."""
    sections = site_now()["sections"]
    if not sections:
        return []
    branches = [
        teasers().filter(section=section).exclude(pk__in=shown).values("pk")[:SECTION_BLOCK]
        for section in sections
    ]
    stories = list(teasers().filter(pk__in=union_of(branches)))
    blocks = [
        (section, [story for story in stories if story.section_id == section.pk])
        for section in sections
    ]
    return [(section, stories) for section, stories in blocks if stories]


def union_of(querysets):
    """One subquery of the rows of every queryset, each keeping its own
    ORDER BY and LIMIT (which Django's union() cannot on SQLite)."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS branch{number}")
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)
