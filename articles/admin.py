from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as UnusedTaggitTag

from .models import Article, Author, Byline, Section, SlugRedirect, Tag

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


class ArticleAdminForm(forms.ModelForm):
    """Enforces the pre-publish checklist; ArticleAdmin supplies model and fields."""

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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status", "is_published", "section", "published_at"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "lead", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section"]
    inlines = [BylineInline, SlugRedirectInline]
    readonly_fields = ["checklist", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "lead", "body"]}),
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

    @admin.display(boolean=True, description=_("on the site"))
    def is_published(self, article):
        return article.is_published

    @admin.display(description=_("Before publishing"))
    def checklist(self, article):
        """The checks as they stand for the saved article; enforced on publish."""
        if article.pk:
            problems = article.publication_problems(article.tags.names())
        else:
            problems = dict.fromkeys(field for field, _label in CHECKLIST)
        return format_html(
            '<ul class="publication-checklist">{}</ul>',
            format_html_join(
                "",
                '<li class="{}">{} {}{}</li>',
                (
                    (
                        "todo" if field in problems else "done",
                        "✗" if field in problems else "✓",
                        label,
                        format_html(": {}", problems[field]) if problems.get(field) else "",
                    )
                    for field, label in CHECKLIST
                ),
            ),
        )
