"""What every page shows of the whole site (the sections, the newest stories,
breaking news) and the times it changes by itself, read in one query when a
content generation begins (articles/cache.py) and kept with it: a page
nobody has asked for yet reads none of it.

Apps add their parts to SITE_PARTS (the front page adds breaking news and
its places' expiries) and name in UPCOMING_CHANGES the parts whose rows are
moments at which readers' pages change with no save.
"""

import json
from typing import Any, NamedTuple

from django.db import connection
from django.db.models.functions import JSONObject

from .rows import moment


class SitePart(NamedTuple):
    # A function answering the part's rows (in order, limited), called when
    # the site is read: "now" is then.
    rows: Any
    # What each row carries: {name: field path}.
    fields: dict
    # What pages get from the part's rows (dicts of `fields`, datetimes as
    # text: see rows.moment).
    build: Any = list


SITE_PARTS = {}
UPCOMING_CHANGES = []


def read_site():
    """Every part, each as one JSON column of one statement."""
    columns, params = [], []
    for number, part in enumerate(SITE_PARTS.values()):
        sql, part_params = part.rows().values(row=JSONObject(**part.fields)).query.sql_with_params()
        if connection.vendor == "postgresql":
            columns.append(f"(SELECT JSONB_AGG(part{number}.row) FROM ({sql}) AS part{number})")
        else:
            columns.append(
                f"(SELECT JSON_GROUP_ARRAY(JSON(part{number}.row)) FROM ({sql}) AS part{number})"
            )
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        values = cursor.fetchone()
    return {
        name: part.build(json.loads(value) if isinstance(value, str) else value or [])
        for (name, part), value in zip(SITE_PARTS.items(), values, strict=True)
    }


def next_change(site):
    """The next moment at which what readers see changes by itself, or None
    (one already past, come since the parts were read, starts a new
    generation at once)."""
    moments = (moment(row["moment"]) for name in UPCOMING_CHANGES for row in site[name])
    return min(moments, default=None)


# The sidebar's five stories and one more, for the story being read.
LATEST_KEPT = 6


def articles_parts():
    from .models import Article, Section
    from .rows import instances

    return {
        "sections": SitePart(
            Section.objects.all,
            {"pk": "pk", "name": "name", "slug": "slug", "position": "position"},
            lambda rows: sorted(instances(Section, rows), key=lambda s: (s.position, s.name)),
        ),
        "latest": SitePart(
            lambda: Article.objects.published().order_by("-published_at", "-pk")[:LATEST_KEPT],
            {f: f for f in ("pk", "headline", "slug", "lead", "published_at")},
            lambda rows: sorted(
                instances(Article, rows), key=lambda a: (a.published_at, a.pk), reverse=True
            ),
        ),
        "next publication": SitePart(
            lambda: Article.objects.scheduled().order_by("published_at")[:1],
            {"moment": "published_at"},
        ),
    }
