"""Rows read inside another query's rows, as JSON: an article's bylines, tags
and notes come in the article's own row (a prefetch is a query each; a join
would repeat the article per row), and the site-wide lists every page shows
come in one query per content generation (articles/site.py).

Instances made from the JSON are put where a prefetch would have put them,
so `article.tags.all()` and the like read them without a query, sorted in
Python as the page always showed them.
"""

import functools
from datetime import UTC

from django.apps import apps
from django.db import connection
from django.db.models import Aggregate, DateTimeField, JSONField, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.db.models.query import ModelIterable, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class JSONList(Aggregate):
    """The grouped rows' values as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset, group, **fields):
    """A subquery answering, for each `group` value, its rows of `queryset`
    as a JSON list of {name: value} for the given field paths."""
    return Subquery(
        queryset.order_by()
        .values(group)
        .annotate(rows=JSONList(JSONObject(**fields)))
        .values("rows")
    )


def moment(value):
    """A datetime as JSON carries it: SQLite's stored text is UTC without a
    zone, PostgreSQL's has one."""
    if value is None:
        return None
    parsed = parse_datetime(value)
    return timezone.make_aware(parsed, UTC) if timezone.is_naive(parsed) else parsed


def instances(model, rows, **related):
    """Instances of `model` from JSON rows, as if read from the database:
    datetime fields parsed, the fields a row does not carry deferred (read
    if asked for, never a default). `related` maps a relation to the
    related model and {row key: its field}."""
    datetimes = {f.attname for f in model._meta.concrete_fields if isinstance(f, DateTimeField)}
    made = []
    for row in rows or ():
        values = {k: moment(v) if k in datetimes else v for k, v in row.items()}
        relations = {
            name: read(other, {field: values.pop(key) for key, field in keys.items()})
            for name, (other, keys) in related.items()
        }
        instance = read(model, values)
        for name, other in relations.items():
            setattr(instance, name, other)
        made.append(instance)
    return made


def read(model, values):
    """An instance of `model` with only `values` loaded ("pk" is its key).
    from_db takes them in the model's field order, which JSON does not keep
    (PostgreSQL's jsonb orders keys by length)."""
    values = {model._meta.pk.attname if name == "pk" else name: v for name, v in values.items()}
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def put_prefetched(instance, name, model, objects):
    """Put `objects` where prefetch_related("name") would have: a queryset
    that has been read (a bare one: the relation's own costs more to make)."""
    queryset = QuerySet(model)
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def bylines_of(article, rows):
    from .models import Author, Byline

    keys = {"author_id": "pk", "author_name": "name", "author_slug": "slug"}
    bylines = instances(Byline, rows, author=(Author, keys))
    for byline in bylines:
        byline.article = article
    return Byline, sorted(bylines, key=lambda byline: (byline.position, byline.pk))


def tags_of(article, rows):
    from .models import Tag

    # In the order they were first made, as the page always listed them.
    return Tag, sorted(instances(Tag, rows), key=lambda tag: tag.pk)


def notes_of(article, rows):
    from .models import ArticleNote

    notes = instances(ArticleNote, rows)
    for note in notes:
        note.article = article
    return ArticleNote, sorted(notes, key=lambda note: (note.noted_at, note.pk))


# The relations an article's row can carry: name → (the model of its rows,
# the field pointing at the article, {JSON key: field path}, how the rows
# become the relation's model and sorted instances).
COLUMNS = {
    "bylines": (
        "Byline",
        "article",
        {
            "pk": "pk",
            "position": "position",
            "author_id": "author_id",
            "author_name": "author__name",
            "author_slug": "author__slug",
        },
        bylines_of,
    ),
    "tags": (
        "TaggedArticle",
        "content_object",
        {"pk": "tag_id", "name": "tag__name", "slug": "tag__slug"},
        tags_of,
    ),
    "notes": (
        "ArticleNote",
        "article",
        {"pk": "pk", "kind": "kind", "text": "text", "noted_at": "noted_at"},
        notes_of,
    ),
}


class WithRows(ModelIterable):
    """Articles with the relations read in their rows put in place."""

    def __iter__(self):
        annotations = self.queryset.query.annotations
        names = [name for name in COLUMNS if f"{name}_rows" in annotations]
        for article in super().__iter__():
            for name in names:
                rows = getattr(article, f"{name}_rows")
                model, objects = COLUMNS[name][3](article, rows)
                put_prefetched(article, name, model, objects)
            yield article


@functools.cache
def column_sql(name, vendor):
    """The column's subquery as SQL, made once: building it with the ORM
    for every page cost more than the whole query takes to run."""
    model_name, link, fields, _ = COLUMNS[name]
    rows = apps.get_model("articles", model_name).objects.filter(**{link: OuterRef("pk")})
    query = (
        apps.get_model("articles", "Article")
        .objects.annotate(column=json_rows(rows, link, **fields))
        .query
    )
    sql, params = query.get_compiler(connection=connection).compile(query.annotations["column"])
    return sql, tuple(params)


def with_rows(queryset, *names):
    """`queryset` with the named relations (bylines, tags, notes) read in
    each article's own row (an article queryset not joined into another:
    the column's SQL refers to the article table by its name)."""
    columns = {}
    for name in names:
        sql, params = column_sql(name, connection.vendor)
        columns[f"{name}_rows"] = RawSQL(sql, params, output_field=JSONField())
    queryset = queryset.annotate(**columns)
    queryset._iterable_class = WithRows  # kept by every later filter and slice
    return queryset
