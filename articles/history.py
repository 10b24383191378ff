"""Bringing back an article's earlier content, or a deleted article, from its
history (django-reversion), touching nothing but that one article.

A revision can hold other objects (a tag shared by many stories, or several
articles saved together by a bulk action), and its object ids are not unique
across models, so reverting whole revisions would let one article's history
change another. Here every object is chosen by model and article.
"""

from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .models import Article, ArticleNote, Author, Byline, Tag, TaggedArticle

# What a restore brings back. Status, publication time, address and the
# corrections readers were shown are the present's, never the past's.
CONTENT_FIELDS = [
    "headline", "lead", "body",
    "photo", "photo_caption", "photo_credit", "photo_alt", "photo_focal_x", "photo_focal_y",
]  # fmt: skip


def article_versions(article_id):
    """The versions that are this very article (not another model's object
    that happens to have the same id)."""
    return Version.objects.get_for_object_reference(Article, article_id)


def deleted_article_versions():
    return Version.objects.get_deleted(Article)


def versions_in(revision, model):
    content_type = ContentType.objects.get_for_model(model)
    return revision.version_set.filter(content_type=content_type)


@dataclass
class SavedContent:
    """An article's content as one version of its history recorded it."""

    fields: dict
    tag_names: list
    bylines: list  # [(position, Author)], authors since deleted left out

    @classmethod
    def of(cls, version):
        article_id = int(version.object_id)
        revision = version.revision
        tag_names = {
            int(tag.object_id): tag.field_dict["name"] for tag in versions_in(revision, Tag)
        }
        tag_ids = [
            item.field_dict["tag_id"]
            for item in versions_in(revision, TaggedArticle)
            if item.field_dict["content_object_id"] == article_id
        ]
        current_tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
        # A tag renamed since keeps its new name; a deleted one comes back.
        names = [current_tags.get(pk) or tag_names.get(pk) for pk in tag_ids]
        byline_fields = sorted(
            (byline.field_dict["position"], byline.field_dict["author_id"])
            for byline in versions_in(revision, Byline)
            if byline.field_dict["article_id"] == article_id
        )
        authors = Author.objects.in_bulk([author_id for _, author_id in byline_fields])
        return cls(
            fields={name: plain(version.field_dict[name]) for name in CONTENT_FIELDS},
            tag_names=sorted(name for name in names if name),
            bylines=[(pos, authors[pk]) for pos, pk in byline_fields if pk in authors],
        )

    def changes_from(self, article):
        """[(label, now, then)] for what a restore would change."""
        changes = []
        for name in CONTENT_FIELDS:
            field = Article._meta.get_field(name)
            now, then = plain(field.value_from_object(article)), self.fields[name]
            if now != then:
                changes.append((field.verbose_name, display(now), display(then)))
        now_tags = sorted(article.tags.names())
        if now_tags != self.tag_names:
            changes.append((_("Tags"), ", ".join(now_tags), ", ".join(self.tag_names)))
        now_authors = [str(author) for author in article.ordered_authors()]
        then_authors = [str(author) for _, author in self.bylines]
        if now_authors != then_authors:
            changes.append((_("Authors"), ", ".join(now_authors), ", ".join(then_authors)))
        return changes

    def apply_to(self, article):
        for name, value in self.fields.items():
            setattr(article, Article._meta.get_field(name).attname, value)
        article.save()
        article.tags.set(self.tag_names)
        article.bylines.all().delete()
        for position, author in self.bylines:
            Byline.objects.create(article=article, author=author, position=position)


def plain(value):
    """A photo as its file name; other values as they are."""
    return (value.name or "") if isinstance(value, FieldFile) else value


def display(value):
    text = str(value or "—")
    return text if len(text) <= 300 else text[:300] + "…"


def restore(article, version, user, comment):
    """Put the content of `version` (one of this article's own) back, as a
    new version of the history."""
    content = SavedContent.of(version)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        article.updated_by = user
        content.apply_to(article)
    return article


def recover(version, user, comment):
    """Bring back a deleted article, with its bylines, tags and corrections
    as they were when it was deleted; nothing else in that revision."""
    article_id = int(version.object_id)
    content = SavedContent.of(version)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        article = version._object_version.object
        taken = Article.objects.exclude(pk=article_id).filter(slug=article.slug).exists()
        if taken or article.slug_is_reserved(article.slug):
            article.slug = ""  # another article has the address now
        article.updated_by = user
        article.save(force_insert=True)
        content.apply_to(article)
        for note in versions_in(version.revision, ArticleNote):
            if note.field_dict["article_id"] == article_id:
                note._object_version.object.save()
    return article
