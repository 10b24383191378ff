import re
from datetime import UTC, datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from js_asset import Media
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin
from taggit.models import Tag as UnusedTaggitTag
from taggit.utils import edit_string_for_tags

from newsroom.admin_titles import AccusativeTitles

from . import history
from .models import (
    Article,
    ArticleNote,
    Author,
    Byline,
    Section,
    SlugRedirect,
    Tag,
    TaggedArticle,
    TagRedirect,
    can_publish,
    tag_key,
)

# Articles use our own Tag model (transliterated slugs); hide taggit's default one.
admin.site.unregister(UnusedTaggitTag)

# A publication time typed this long ago still means "now" (the form took a while).
PAST_TOLERANCE = timedelta(minutes=5)
# The years a publication time may have (an archive reaches back, a typo does not).
EARLIEST_YEAR, LATEST_YEAR = 1900, 9998

# What the pre-publish checklist shows, in order: the field each check is about.
CHECKLIST = [
    ("headline", _("Headline of at most %(limit)d characters") % {"limit": Article.HEADLINE_LIMIT}),
    ("lead", _("Lead of at most %(limit)d characters") % {"limit": Article.LEAD_LIMIT}),
    ("section", _("A section")),
    ("tags", _("At least one tag")),
    ("photo_credit", _("Photo credit, if there is a photo")),
    ("photo_alt", _("Photo description (alt), if there is a photo")),
    ("slug", _("A valid address")),
]


def with_editor_nonce(request, context):
    """The rich-text editor's import map is an inline script: the Content-
    Security-Policy lets it run only with this response's nonce."""
    context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)


class TolerantChangeList(ChangeList):
    """A changelist whose address may be anything a user or a crawler types:
    NUL characters (which PostgreSQL refuses in text) are dropped, and dates
    out of range are a bad filter (the admin's "?e=1"), not a server error."""

    def __init__(self, request, *args, **kwargs):
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            request.GET = cleaned
        super().__init__(request, *args, **kwargs)

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        # A date the database cannot hold (?published_at__year=1) fails
        # only when the list is counted.
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class TolerantAutocomplete(AutocompleteSelect):
    """Django's, but a value that cannot be an id (from a hand-made
    request: "abc", a number past any id) shows as no choice, where
    Django's would fail the page."""

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if re.fullmatch(r"[0-9]{1,18}", str(v))]
        return super().optgroups(name, ids, attr)


class TolerantAutocompletes:
    """Autocomplete fields with TolerantAutocomplete, for admins and inlines."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", TolerantAutocomplete(db_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NewsroomAdmin(AccusativeTitles, TolerantAutocompletes, admin.ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return TolerantChangeList


@admin.register(Section)
class SectionAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "section")
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "author")
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


class TagRedirectInline(admin.TabularInline):
    model = TagRedirect
    extra = 0
    verbose_name_plural = _("old addresses that redirect here")


@admin.register(Tag)
class TagAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "tag")
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    inlines = [TagRedirectInline]
    actions = ["merge"]
    SUGGESTIONS = 10

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    @admin.action(permissions=["delete"], description=_("Merge the selected tags into one"))
    def merge(self, request, queryset):
        """Ask which of the selected tags to keep, then move the others'
        articles to it; their pages redirect to it."""
        tags = list(queryset.order_by("name"))
        if len(tags) < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.WARNING)
            return None
        kept = next((tag for tag in tags if str(tag.pk) == request.POST.get("keep")), None)
        if kept is None:
            return TemplateResponse(
                request,
                "admin/articles/tag/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "tags": tags,
                    "title": _("Merge tags"),
                },
            )
        kept.merge(tags)
        self.message_user(
            request,
            _("Merged into “%(tag)s”; the other tags' pages now lead to it.") % {"tag": kept},
            messages.SUCCESS,
        )
        return None

    def get_urls(self):
        suggest = self.admin_site.admin_view(self.suggest)
        return [path("suggest/", suggest, name="articles_tag_suggest"), *super().get_urls()]

    def get_queryset(self, request):
        return self.visible_tags(request).annotate(article_count=Count("tagged_articles"))

    def visible_tags(self, request):
        """A reporter sees the tags of what they may open: a tag only another
        reporter's draft or an embargoed story uses names an embargoed subject.
        Not counted: the suggestions ask on every keystroke."""
        tags = super().get_queryset(request)
        if can_publish(request.user):
            return tags
        open_to_them = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.visible_to(request.user)
        )
        return tags.filter(Exists(open_to_them))

    def suggest(self, request):
        """Existing tag names containing what the editor typed, for the article form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = tag_key(request.GET.get("q", ""))
        if len(term) < 2:
            return JsonResponse([], safe=False)
        names = self.visible_tags(request).filter(key__contains=term).order_by("name")
        names = names.values_list("name", flat=True)
        return JsonResponse(list(names[: self.SUGGESTIONS]), safe=False)


class BylineInline(TolerantAutocompletes, admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    ordering = ["position"]


class SlugRedirectInline(admin.TabularInline):
    model = SlugRedirect
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name_plural = _("old addresses that redirect here")


class ArticleNoteInline(admin.TabularInline):
    model = ArticleNote
    extra = 0
    fields = ["kind", "text", "noted_at"]


class ArticleAdminForm(forms.ModelForm):
    """Enforces the pre-publish checklist and refuses to overwrite someone
    else's newer save; ArticleAdmin supplies model and fields."""

    # The compared fields as they were when this form was opened, signed so
    # that what came back is what we sent.
    base = forms.CharField(widget=forms.HiddenInput, required=False)
    BASE_SALT = "articles.edit-base"

    # What an edit conflict compares.
    COMPARED_FIELDS = [
        "headline", "lead", "body", "photo", "photo_caption", "photo_credit", "photo_alt",
        "photo_focal_x", "photo_focal_y", "status", "published_at", "section", "slug", "tags",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base"].initial = signing.dumps(
                self.snapshot(self.instance), salt=self.BASE_SALT, compress=True
            )

    def compared_fields(self):
        """The compared model fields this user edits in this form."""
        return [
            Article._meta.get_field(name) for name in self.COMPARED_FIELDS if name in self.fields
        ]

    def snapshot(self, article):
        return {field.name: self.comparable(field, article) for field in self.compared_fields()}

    @staticmethod
    def comparable(field, article):
        """A field's value as the form can hold it: times to the second, in
        one time zone; tags as their sorted names."""
        if field.name == "tags":
            return sorted(article.tags.names()) if article.pk else []
        value = field.value_from_object(article)
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(microsecond=0).isoformat()
        return field.value_to_string(article)

    def what_i_typed(self):
        """The snapshot of what this form would save (photos aside: an
        upload is a change, no upload keeps whatever is stored)."""
        mine = Article()
        names = [f.name for f in self.compared_fields() if f.name not in ("photo", "tags")]
        forms.models.construct_instance(self, mine, fields=names)
        typed = {name: self.comparable(Article._meta.get_field(name), mine) for name in names}
        if "tags" in self.cleaned_data:
            typed["tags"] = sorted(self.cleaned_data["tags"])
        return typed

    def check_for_conflict(self):
        """If someone saved since this form was opened, say who, when and
        exactly which fields they changed. Where this editor left a field as
        it was, the form now holds the other editor's value, so saving again
        keeps their change; where both changed it, this editor's text is kept
        in the form for them to decide."""
        if self.instance.pk is None:
            return
        try:
            base = signing.loads(self.cleaned_data.get("base") or "", salt=self.BASE_SALT)
        except signing.BadSignature:
            return
        theirs = self.snapshot(self.instance)
        # A field the base does not hold (another role's form made it) tells nothing.
        changed = [name for name, value in theirs.items() if name in base and base[name] != value]
        if not changed:
            return
        mine = self.what_i_typed()
        self.data = self.data.copy()
        for name in changed:
            if name in mine and mine[name] == base.get(name):
                self.put_in_data(name, self.their_value(name))
        self.data["base"] = signing.dumps(theirs, salt=self.BASE_SALT, compress=True)
        latest = (
            Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        )
        raise forms.ValidationError(
            _(
                "While you were editing, %(user)s saved this article at %(time)s "
                "(changed: %(fields)s). Nothing of yours was saved. The form now "
                "holds their version of the fields you had not touched, and your text "
                "where you both changed something: check it, then save again."
            ),
            code="edit_conflict",
            params={
                "user": latest.revision.user if latest and latest.revision.user else _("someone"),
                "time": date_format(localtime(self.instance.updated_at), "DATETIME_FORMAT"),
                "fields": ", ".join(
                    str(Article._meta.get_field(name).verbose_name) for name in changed
                ),
            },
        )

    def their_value(self, name):
        if name == "tags":
            return edit_string_for_tags(self.instance.tags.all())
        return getattr(self.instance, Article._meta.get_field(name).attname)

    def put_in_data(self, name, value):
        """Put a model value into the submitted data, as its widget would send it."""
        field = self.fields[name]
        value = field.prepare_value(value)
        if isinstance(field.widget, forms.MultiWidget):
            parts = field.widget.decompress(value)
            for index, (widget, part) in enumerate(zip(field.widget.widgets, parts, strict=True)):
                self.data[f"{name}_{index}"] = widget.format_value(part) or ""
        else:
            self.data[name] = "" if value is None else str(value)

    def clean_tags(self):
        # taggit's field does not check the length the database will insist on.
        limit = Tag._meta.get_field("name").max_length
        too_long = [name for name in self.cleaned_data["tags"] if len(name) > limit]
        if too_long:
            raise forms.ValidationError(
                _("A tag may be at most %(limit)d characters long: %(tags)s")
                % {"limit": limit, "tags": ", ".join(f"«{name[:40]}…»" for name in too_long)}
            )
        return self.cleaned_data["tags"]

    def clean_published_at(self):
        # Kyiv's year 1 is UTC's year 0, which no database stores.
        published_at = self.cleaned_data.get("published_at")
        if published_at and not EARLIEST_YEAR <= published_at.year <= LATEST_YEAR:
            raise forms.ValidationError(
                _("Enter a year from %(first)d to %(last)d.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            )
        return published_at

    def check_publication_time(self, published_at):
        """A first publication happens now or at a time to come: a time in
        the past would put the story below older ones, and in feeds late."""
        if (
            published_at
            and published_at < timezone.now() - PAST_TOLERANCE
            and self.instance.never_public()
        ):
            self.add_error(
                "published_at",
                _(
                    "The article has not been published yet: leave the time empty to "
                    "publish it now, or set a time to come to schedule it."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        self.check_for_conflict()
        if cleaned.get("status") == Article.Status.PUBLISHED:
            self.check_publication_time(cleaned.get("published_at"))
            checked = Article(
                headline=cleaned.get("headline") or "",
                lead=cleaned.get("lead") or "",
                section=cleaned.get("section"),
                photo=cleaned.get("photo") or "",
                photo_credit=cleaned.get("photo_credit") or "",
                photo_alt=cleaned.get("photo_alt") or "",
                slug=cleaned.get("slug") or "",
            )
            for field, problem in checked.publication_problems(cleaned.get("tags")).items():
                if field in cleaned:
                    self.add_error(field, problem)
        return cleaned


def swap_body(field):
    return "body_as_readers_see_it" if field == "body" else field


@admin.register(Article)
class ArticleAdmin(NewsroomAdmin, CompareVersionAdmin):
    """Editors do everything; a reporter writes and edits their own drafts,
    and cannot publish by any path (form, bulk action, crafted request)."""

    accusative_name = pgettext_lazy("accusative", "article")
    # Not content: what pages derive, and who saved last.
    compare_exclude = ["photo_renditions", "updated_by"]

    form = ArticleAdminForm
    list_display = ["headline", "status", "is_published", "section", "published_at"]
    list_filter = ["status", "section", "authors", "published_at"]
    list_select_related = ["section"]
    # One COUNT over the whole archive per page view is enough.
    show_full_result_count = False
    search_fields = ["headline", "lead"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section"]
    inlines = [BylineInline, ArticleNoteInline, SlugRedirectInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["checklist", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "lead", "body", "base"]}),
        (
            _("Photo"),
            {
                "fields": [
                    "photo",
                    "photo_caption",
                    "photo_credit",
                    "photo_alt",
                    ("photo_focal_x", "photo_focal_y"),
                ]
            },
        ),
        (_("Publication"), {"fields": ["checklist", "status", "published_at", "section", "tags"]}),
        (
            _("Address and record"),
            {"fields": ["slug", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        css = {"all": ["admin_newsroom/article_form.css"]}
        js = [
            "admin_newsroom/tag_suggestions.js",
            "admin_newsroom/accessible_names.js",
            "admin_newsroom/editor_labels.js",
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        with_editor_nonce(request, context)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "published_at" in form.base_fields:
            # The split date and time inputs have no label of their own.
            date_input, time_input = form.base_fields["published_at"].widget.widgets
            date_input.attrs["aria-label"] = _("Publication date")
            time_input.attrs["aria-label"] = _("Publication time of day")
        if "tags" in form.base_fields:
            form.base_fields["tags"].widget.attrs.update(
                {
                    "data-suggest-url": reverse("admin:articles_tag_suggest"),
                    "data-suggest-label": _("Existing tags"),
                    "autocomplete": "off",
                }
            )
        return form

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        if can_publish(request.user):
            return articles
        return articles.filter(created_by=request.user)

    # History: every view of it answers only for an article the user may open
    # (get_queryset), and only with that article's own versions. The history
    # list itself is ModelAdmin.history_view's, which checks the same.

    def article_or_404(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def compare_view(self, request, object_id, extra_context=None):
        # The versions compared are then this article's own (reversion-compare).
        self.article_or_404(request, object_id)
        return super().compare_view(request, object_id, extra_context)

    def may_restore(self, request, article):
        """Editors restore any article; a reporter only their own article that
        has never been published (readers saw nothing of it)."""
        if can_publish(request.user):
            return True
        return (
            self.has_change_permission(request, article)
            and article.first_published_at is None
            and article.status in Article.REPORTER_EDITABLE
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Confirm, then restore one of this article's own versions: its
        content only, as a new version (history.restore)."""
        article = self.article_or_404(request, object_id)
        if not self.may_restore(request, article):
            raise PermissionDenied
        version = get_object_or_404(history.article_versions(article.pk), pk=version_id)
        saved_at = date_format(localtime(version.revision.date_created), "DATETIME_FORMAT")
        if request.method == "POST":
            comment = _("Content restored from the version of %(time)s") % {"time": saved_at}
            history.restore(article, version, request.user, comment)
            self.message_user(request, comment, messages.SUCCESS)
            return redirect("admin:articles_article_change", article.pk)
        content = history.SavedContent.of(version)
        return self.confirm_page(
            request,
            article,
            title=_("Restore the version of %(time)s?") % {"time": saved_at},
            changes=content.changes_from(article),
            kept=_(
                "Status, publication time, address and corrections stay as they are now. "
                "The restore is saved as a new version, so it can be undone."
            ),
        )

    # Reversion's list offers "recover deleted" to anyone who may add; here
    # only to editors, who alone may use it.
    change_list_template = "admin/articles/article/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_recover": can_publish(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """Confirm, then bring back a deleted article (editors only)."""
        if not (can_publish(request.user) and self.has_add_permission(request)):
            raise PermissionDenied
        version = get_object_or_404(history.deleted_article_versions(), pk=version_id)
        if request.method == "POST":
            article = history.recover(version, request.user, _("Recovered after deletion"))
            self.message_user(
                request, _("“%(headline)s” is back.") % {"headline": article}, messages.SUCCESS
            )
            return redirect("admin:articles_article_change", article.pk)
        return self.confirm_page(
            request,
            None,
            title=_("Recover “%(headline)s”?") % {"headline": version.object_repr},
            changes=[],
            kept=_(
                "The article comes back with its address, status, bylines, tags and "
                "corrections as they were when it was deleted."
            ),
        )

    def confirm_page(self, request, article, **context):
        return TemplateResponse(
            request,
            "admin/articles/article/restore_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                **context,
            },
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or can_publish(request.user):
            return allowed
        return (
            allowed
            and obj.created_by_id == request.user.pk
            and obj.status in Article.REPORTER_EDITABLE
        )

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the body as readers see it, not its HTML source.
        return [
            (name, {**options, "fields": [swap_body(f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @admin.display(description=_("Body"))
    def body_as_readers_see_it(self, article):
        return mark_safe(article.body)  # safe: sanitised on its way into the database

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "status"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Article.Status.PUBLISHED:
            if not can_publish(request.user):
                raise PermissionDenied
            obj.publish()
        super().save_model(request, obj, form, change)

    @admin.action(permissions=["publish"], description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        published, refused = 0, []
        for article in queryset:
            if article.publication_problems(article.tags.names()):
                refused.append(article.headline)
                continue
            article.publish()
            article.updated_by = request.user
            article.save()
            published += 1
        if published:
            self.message_user(
                request,
                ngettext("%(count)d article published.", "%(count)d articles published.", published)
                % {"count": published},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("Not published, the checklist is not complete: %(headlines)s")
                % {"headlines": "; ".join(refused)},
                messages.WARNING,
            )

    @admin.action(permissions=["publish"], description=_("Unpublish the selected articles"))
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.updated_by = request.user
            article.save()
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d article taken down.", "%(count)d articles taken down.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(boolean=True, description=_("on the site"))
    def is_published(self, article):
        return article.is_published

    @admin.display(description=_("Before publishing"))
    def checklist(self, article):
        """The checks as they stand for the saved article; enforced on publish.
        Before the first save nothing has been checked yet."""
        problems = article.publication_problems(article.tags.names()) if article.pk else None

        def item(field, label):
            if problems is None:
                return "pending", field, "•", label, ""
            if field in problems:
                return "todo", field, "✗", label, format_html(": {}", problems[field])
            return "done", field, "✓", label, ""

        # data-field and the spans let the form update the list as fields are filled.
        return format_html(
            '<ul class="publication-checklist">{}</ul>',
            format_html_join(
                "",
                '<li class="{}" data-field="{}"><span class="mark">{}</span> {}'
                '<span class="problem">{}</span></li>',
                (item(*check) for check in CHECKLIST),
            ),
        )
