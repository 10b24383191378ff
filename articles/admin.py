from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as UnusedTaggitTag

from .models import Article, Author, Byline, Section, Tag

# Articles use our own Tag model (transliterated slugs); hide taggit's default one.
admin.site.unregister(UnusedTaggitTag)


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "is_published", "section", "published_at"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "lead", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section"]
    inlines = [BylineInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "lead", "body"]}),
        (_("Photo"), {"fields": ["photo", "photo_caption", "photo_credit", "photo_alt"]}),
        (_("Publication"), {"fields": ["status", "published_at", "section", "tags"]}),
        (
            _("Address and record"),
            {"fields": ["slug", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(boolean=True, description=_("on the site"))
    def is_published(self, article):
        return article.is_published
