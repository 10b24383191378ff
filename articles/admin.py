from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin
from taggit.models import Tag as UnusedTaggitTag

from .models import (
    Article,
    ArticleNote,
    Author,
    Byline,
    Section,
    SlugRedirect,
    Tag,
    can_publish,
)

# Articles use our own Tag model (transliterated slugs); hide taggit's default one.
admin.site.unregister(UnusedTaggitTag)

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


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    SUGGESTIONS = 10

    def get_urls(self):
        suggest = self.admin_site.admin_view(self.suggest)
        return [path("suggest/", suggest, name="articles_tag_suggest"), *super().get_urls()]

    def suggest(self, request):
        """Existing tag names containing what the editor typed, for the article form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()[:100]
        if len(term) < 2:
            return JsonResponse([], safe=False)
        # SQLite folds only ASCII case, so try the spellings an editor means.
        spellings = {term, term.lower(), term.capitalize(), term.upper()}
        matches = Q(*(Q(name__contains=spelling) for spelling in spellings), _connector=Q.OR)
        names = Tag.objects.filter(matches).order_by("name").values_list("name", flat=True)
        return JsonResponse(list(names[: self.SUGGESTIONS]), safe=False)


class BylineInline(admin.TabularInline):
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

    # When the article had last been saved as this form was opened. Every
    # save stamps "now", so the value never comes back (not even by a revert).
    base_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    # What an edit conflict reports as changed.
    COMPARED_FIELDS = [
        Article._meta.get_field(name)
        for name in (
            "headline", "lead", "body", "photo", "photo_caption", "photo_credit", "photo_alt",
            "status", "published_at", "section", "slug",
        )
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_updated_at"].initial = self.saved_at()

    def saved_at(self):
        updated_at = self.instance.updated_at
        return updated_at.isoformat() if updated_at else ""

    def check_for_conflict(self):
        """If someone saved since this form was opened, say who, when and what,
        keep everything the editor typed, and let a second save go through."""
        base = self.cleaned_data.get("base_updated_at")
        current = self.saved_at()
        if self.instance.pk is None or not base or base == current:
            return
        versions = list(
            Version.objects.get_for_object(self.instance).select_related("revision__user")
        )
        latest = versions[0].revision if versions else None
        base_fields = next(
            (v.field_dict for v in versions if v.field_dict["updated_at"].isoformat() == base),
            None,
        )
        changed = [
            str(field.verbose_name)
            for field in self.COMPARED_FIELDS
            if base_fields is None
            or base_fields.get(field.attname) != getattr(self.instance, field.attname)
        ]
        self.data = self.data.copy()
        self.data["base_updated_at"] = current
        raise forms.ValidationError(
            _(
                "While you were editing, %(user)s saved this article at %(time)s "
                "(changed: %(fields)s). Nothing of yours was saved, and all you typed "
                "is still in the form: compare it with the history, then save again "
                "to keep your version."
            ),
            code="edit_conflict",
            params={
                "user": (latest.user if latest and latest.user else _("someone")),
                "time": date_format(localtime(latest.date_created), "DATETIME_FORMAT")
                if latest
                else "?",
                "fields": ", ".join(changed) or "—",
            },
        )

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

    def clean(self):
        cleaned = super().clean()
        self.check_for_conflict()
        if cleaned.get("status") == Article.Status.PUBLISHED:
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


@admin.register(Article)
class ArticleAdmin(CompareVersionAdmin):
    """Editors do everything; a reporter writes and edits their own drafts,
    and cannot publish by any path (form, bulk action, crafted request)."""

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
        (None, {"fields": ["headline", "lead", "body", "base_updated_at"]}),
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
        js = ["admin_newsroom/tag_suggestions.js", "admin_newsroom/accessible_names.js"]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: the Content-Security-
        # Policy lets it run only with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
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

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or can_publish(request.user):
            return allowed
        return allowed and obj.created_by_id == request.user.pk and obj.status == "draft"

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "status"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Article.Status.PUBLISHED and not can_publish(request.user):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    @admin.action(permissions=["publish"], description=_("Publish the selected articles"))
    def publish(self, request, queryset):
        published, refused = 0, []
        for article in queryset:
            if article.publication_problems(article.tags.names()):
                refused.append(article.headline)
                continue
            article.status = Article.Status.PUBLISHED
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
                return "pending", "•", label, ""
            if field in problems:
                return "todo", "✗", label, format_html(": {}", problems[field])
            return "done", "✓", label, ""

        return format_html(
            '<ul class="publication-checklist">{}</ul>',
            format_html_join(
                "", '<li class="{}">{} {}{}</li>', (item(*check) for check in CHECKLIST)
            ),
        )
