from datetime import timedelta

from django.contrib import admin
from django.db.models import Count, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Tag, TaggedArticle

Status = Article.Status


class StateFilter(admin.SimpleListFilter):
    """The desk's states, with "scheduled" and "unpublished" told apart from
    published and draft as the list shows them."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, Status.DRAFT.label),
            (Status.IN_REVIEW, Status.IN_REVIEW.label),
            (Status.CHANGES_REQUESTED, Status.CHANGES_REQUESTED.label),
            (Status.APPROVED, Status.APPROVED.label),
            ("scheduled", _("Scheduled")),
            (Status.PUBLISHED, Status.PUBLISHED.label),
            ("unpublished", _("Unpublished")),
        ]

    def queryset(self, request, queryset):
        state = self.value()
        if state == "scheduled":
            return queryset.scheduled()
        if state == Status.PUBLISHED:
            return queryset.published()
        if state == "unpublished":
            return queryset.filter(status=Status.DRAFT, first_published_at__isnull=False)
        if state == Status.DRAFT:
            return queryset.filter(status=Status.DRAFT, first_published_at__isnull=True)
        if state in Status.values:
            return queryset.filter(status=state)
        return queryset


class TagFilter(admin.SimpleListFilter):
    """The tags most used in the last week of the user's articles (a list of
    every tag would run to thousands), and the one chosen."""

    title = _("tag")
    parameter_name = "tag"
    SHOWN = 15
    RECENT = timedelta(days=7)

    def lookups(self, request, model_admin):
        # Only tags of articles this user may open: a reporter must not learn
        # of a tag only an embargoed story uses.
        theirs = TaggedArticle.objects.filter(content_object__in=model_admin.get_queryset(request))
        recent = theirs.filter(content_object__updated_at__gte=timezone.now() - self.RECENT)
        popular = (
            recent.values("tag")
            .annotate(uses=Count("pk"))
            .order_by("-uses", "tag")
            .values("tag")[: self.SHOWN]
        )
        chosen = Q(slug=self.value() or "", pk__in=theirs.values("tag"))
        tags = Tag.objects.filter(Q(pk__in=Subquery(popular)) | chosen)
        return [(tag.slug, tag.name) for tag in tags.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tagged_items__tag__slug=self.value())
        return queryset
