from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from articles.admin import NewsroomAdmin
from articles.models import Article, can_publish

from .forms import PhotoForm, UploadForm
from .models import PHOTO_ID, Photo

CHOOSER_PAGE = 24


def described(photo):
    """A photo as the choosers and the upload page show it."""
    return {
        "id": photo.pk,
        "thumbnail": photo.thumbnail_url,
        "caption": photo.caption,
        "credit": photo.credit,
        "alt": photo.alt,
        "focal_x": photo.focal_x,
        "focal_y": photo.focal_y,
        "missing": [str(m) for m in photo.missing.values()],
        "uploaded": date_format(localtime(photo.uploaded_at), "j E Y"),
        "change_url": reverse("admin:photos_photo_change", args=[photo.pk]),
    }


@admin.register(Photo)
class PhotoAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "photo")
    form = PhotoForm
    change_list_template = "admin/photos/photo/change_list.html"
    change_form_template = "admin/photos/photo/change_form.html"
    list_display = ["thumbnail", "caption", "credit", "uploaded_by", "uploaded_at", "use_count"]
    list_per_page = 48
    list_select_related = ["uploaded_by"]
    search_fields = [
        "caption", "credit", "alt", "tags__name",
        "uploaded_by__username", "uploaded_by__first_name", "uploaded_by__last_name",
    ]  # fmt: skip
    list_filter = ["uploaded_at"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["uploaded_by", "uploaded_at", "used_in"]
    fieldsets = [
        (None, {"fields": ["image", "focal_x", "focal_y", "caption", "credit", "alt", "tags"]}),
        (_("In the library"), {"fields": ["uploaded_by", "uploaded_at", "used_in"]}),
    ]
    actions = None  # the grid has no check boxes; delete from a photo's page

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="photos_photo_upload"),
            path("chooser/", view(self.chooser_view), name="photos_photo_chooser"),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        """A reporter may not change what an approved or published story
        shows: such a photo is theirs to view only."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        return not obj.uses.exclude(article__status__in=Article.REPORTER_EDITABLE).exists()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("photo"))
    def thumbnail(self, photo):
        return format_html(
            '<img src="{}" alt="{}" width="160" height="160" loading="lazy">',
            photo.thumbnail_url,
            photo.alt,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("uses", distinct=True))

    @admin.display(description=_("stories"), ordering="use_count")
    def use_count(self, photo):
        return photo.use_count

    @admin.display(description=_("shown in"))
    def used_in(self, photo):
        uses = photo.uses.select_related("article")
        if not uses:
            return _("no story yet")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (reverse("admin:articles_article_change", args=[use.article_id]), use.article)
                    for use in uses
                ),
            ),
        )

    def upload_view(self, request):
        """Several photos at once. The page's script sends them one by one
        with a progress bar each (photos/upload.js); without it, the form
        sends them all together."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        wants_json = request.headers.get("Accept") == "application/json"
        if request.method == "POST":
            if form.is_valid():
                photos = form.save_each(request.user)
                if wants_json:
                    return JsonResponse({"photos": [described(photo) for photo in photos]})
                message = ngettext(
                    "%(count)d photo is in the library.",
                    "%(count)d photos are in the library.",
                    len(photos),
                ) % {"count": len(photos)}
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:photos_photo_changelist")
            if wants_json:
                errors = [message for field in form.errors.values() for message in field]
                return JsonResponse({"errors": errors}, status=400)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Upload photos"),
        }
        return TemplateResponse(request, "admin/photos/photo/upload.html", context)

    def chooser_view(self, request):
        """Photos for the article form's choosers, as JSON: the newest, a
        search's results (as the library's own search), or the ones asked by id."""
        if not self.has_view_permission(request):
            return JsonResponse({"results": []}, status=403)
        photos = Photo.objects.all()
        if ids := request.GET.get("ids"):
            wanted = list(dict.fromkeys(int(n) for n in ids.split(",") if PHOTO_ID.fullmatch(n)))
            wanted = wanted[:CHOOSER_PAGE]
            found = photos.in_bulk(wanted)
            return JsonResponse({"results": [described(found[pk]) for pk in wanted if pk in found]})
        query = request.GET.get("q", "").replace("\x00", "")[:200]  # PostgreSQL refuses NUL
        if query:
            photos, duplicates = self.get_search_results(request, photos, query)
            if duplicates:
                photos = photos.distinct()
        page = Paginator(photos.order_by("-uploaded_at", "-pk"), CHOOSER_PAGE).get_page(
            request.GET.get("page")
        )
        return JsonResponse(
            {
                "results": [described(photo) for photo in page],
                "next": page.next_page_number() if page.has_next() else None,
            }
        )
