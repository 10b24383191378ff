"""The live desk: a live page's admin screen, where several editors post
updates at once (each its own save) with a compact form that stays on the
page; reporters' updates wait for an editor's approval."""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from reversion_compare.admin import CompareVersionAdmin

from articles.admin import NewsroomAdmin, with_editor_nonce

from .forms import UpdateForm
from .models import LiveCoverage, Update

# Updates the desk lists under the form (the page shows them all).
DESK_UPDATES = 50


def may_publish(user):
    return user.has_perm("live.publish_update")


@admin.register(LiveCoverage)
class LiveCoverageAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "live coverage")
    change_form_template = "admin/live/livecoverage/change_form.html"
    list_display = ["article", "is_live", "going_on", "started_at", "ended_at"]
    list_filter = ["is_live"]
    list_select_related = ["article"]
    search_fields = ["article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "started_at"
    fields = ["article", "is_live", "started_at", "ended_at", "leads_front"]

    class Media:
        css = {"all": ["live/desk.css"]}
        # The editor's labels in Ukrainian, and named after their fields.
        js = [
            "admin_newsroom/editor_labels.js",
            "admin_newsroom/accessible_names.js",
            "live/desk.js",
        ]

    @admin.display(boolean=True, description=gettext_lazy("going on"))
    def going_on(self, coverage):
        return coverage.is_on()

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("is_live", True)
        return initial

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("open/<int:article_id>/", view(self.open_view), name="live_livecoverage_open"),
            path(
                "<path:object_id>/updates/",
                view(self.post_update_view),
                name="live_livecoverage_post",
            ),
            path(
                "<path:object_id>/updates/list/",
                view(self.desk_list_view),
                name="live_livecoverage_list",
            ),
            path(
                "<path:object_id>/updates/<int:update_id>/publish/",
                view(self.publish_update_view),
                name="live_livecoverage_publish",
            ),
            *super().get_urls(),
        ]

    def open_view(self, request, article_id):
        """From a story's form: its live page's screen, or a new one for it."""
        if LiveCoverage.objects.filter(pk=article_id).exists():
            return redirect("admin:live_livecoverage_change", article_id)
        return redirect(reverse("admin:live_livecoverage_add") + f"?article={article_id}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.desk_context(request, obj))
            context["media"] += context["update_form"].media
        with_editor_nonce(request, context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def desk_context(self, request, coverage, form=None):
        updates = coverage.article.live_updates.select_related("author__author").order_by(
            "-created_at", "-pk"
        )
        return {
            "update_form": form or UpdateForm(prefix="update"),
            "desk_updates": list(updates[:DESK_UPDATES]),
            "may_post": request.user.has_perm("live.add_update"),
            "may_publish": may_publish(request.user),
            "post_url": reverse("admin:live_livecoverage_post", args=[coverage.pk]),
            "list_url": reverse("admin:live_livecoverage_list", args=[coverage.pk]),
        }

    def coverage_or_404(self, request, object_id):
        coverage = self.get_object(request, unquote(object_id))
        if coverage is None:
            raise Http404
        if not self.has_view_or_change_permission(request, coverage):
            raise PermissionDenied
        return coverage

    @method_decorator(require_POST)
    def post_update_view(self, request, object_id):
        """Post an update and stay on the page: with the page's script, the
        answer is the desk's list (or what to fix, the text kept in the
        form); without it, the page again, or the form with what to fix."""
        coverage = self.coverage_or_404(request, object_id)
        if not request.user.has_perm("live.add_update"):
            raise PermissionDenied
        form = UpdateForm(request.POST, prefix="update")
        wants_json = "application/json" in request.headers.get("Accept", "")
        if not coverage.is_live:
            form.add_error(None, _("This story is not a live page: switch it on first."))
        if not form.is_valid():
            if wants_json:
                return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
            context = {
                **self.admin_site.each_context(request),
                **self.desk_context(request, coverage, form),
                "opts": self.model._meta,
                "original": coverage,
                "title": _("The update was not posted"),
                "media": self.media + form.media,
            }
            with_editor_nonce(request, context)
            return TemplateResponse(request, "admin/live/post_failed.html", context, status=400)
        update = form.save(commit=False)
        update.article, update.author = coverage.article, request.user
        if may_publish(request.user):
            update.status = Update.Status.PUBLISHED
            done = _("Posted.")
        else:
            update.status = Update.Status.DRAFT
            done = _("Sent to an editor for approval.")
        self.save_update(request, update, done)
        if wants_json:
            return JsonResponse({"message": done, "list": self.desk_list(request, coverage)})
        self.message_user(request, done, messages.SUCCESS)
        return redirect(reverse("admin:live_livecoverage_change", args=[coverage.pk]))

    @method_decorator(require_POST)
    def publish_update_view(self, request, object_id, update_id):
        """An editor approves a reporter's update: it is published now, on top."""
        coverage = self.coverage_or_404(request, object_id)
        if not may_publish(request.user):
            raise PermissionDenied
        update = coverage.article.live_updates.filter(pk=update_id).first()
        if update is None:
            raise Http404
        if not update.is_published:
            update.status, update.posted_at = Update.Status.PUBLISHED, timezone.now()
            self.save_update(request, update, _("Approved and published."))
            self.message_user(request, _("The update is published."), messages.SUCCESS)
        return redirect(reverse("admin:live_livecoverage_change", args=[coverage.pk]))

    def save_update(self, request, update, what):
        """One save of one update, in its history and the admin's log."""
        adding = update.pk is None
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(what)
            update.save()
            if adding:
                self.log_addition(request, update, [{"added": {}}])
            else:
                self.log_change(request, update, what)

    def desk_list_view(self, request, object_id):
        """The desk's list as it is now: the page refreshes it to show what
        the other editors posted."""
        coverage = self.coverage_or_404(request, object_id)
        return JsonResponse({"list": self.desk_list(request, coverage)})

    def desk_list(self, request, coverage):
        return render_to_string(
            "admin/live/_desk_list.html", self.desk_context(request, coverage), request=request
        )


@admin.register(Update)
class UpdateAdmin(NewsroomAdmin, CompareVersionAdmin):
    """One update on its own page: edit, delete, its history, and recovering
    a deleted one. Reporters edit their own until an editor publishes it."""

    accusative_name = pgettext_lazy("accusative", "live update")
    form = UpdateForm
    list_display = [
        "__str__",
        "article",
        "status",
        "is_key_event",
        "is_pinned",
        "author",
        "posted_at",
    ]
    list_filter = ["status", "is_key_event"]
    list_select_related = ["article", "author"]
    search_fields = ["title", "body", "article__headline"]
    date_hierarchy = "created_at"
    readonly_fields = ["article", "status", "author", "posted_at"]

    def get_fields(self, request, obj=None):
        return ["article", "status", "author", "posted_at", *UpdateForm._meta.fields]

    def has_add_permission(self, request):
        # New updates are posted from the live page's screen; a deleted one
        # is brought back from its history, by an editor.
        return getattr(request, "recovering", False) and may_publish(request.user)

    def recoverlist_view(self, request, extra_context=None):
        request.recovering = True
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.recovering = request.from_history = True
        return super().recover_view(request, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if getattr(request, "from_history", False) and obj.is_published:
            # The old version is already in the row (django-reversion writes
            # it first), so the save sees no change: open pages must still
            # take it.
            obj.edited_at = timezone.now()
        super().save_model(request, obj, form, change)

    def may_edit(self, request, update):
        if update is None or may_publish(request.user):
            return True
        return not update.is_published and update.author_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A reporter deletes their own update while it waits for approval.
        own_draft = obj is not None and self.may_edit(request, obj)
        return super().has_delete_permission(request, obj) or (
            own_draft and not may_publish(request.user) and request.user.has_perm("live.add_update")
        )

    def render_change_form(self, request, context, *args, **kwargs):
        with_editor_nonce(request, context)
        return super().render_change_form(request, context, *args, **kwargs)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # An older version is put in place before the form's permission is
        # checked: it must not turn a published update back into the
        # reporter's own draft.
        if not self.may_edit(request, self.get_object(request, unquote(object_id))):
            raise PermissionDenied
        request.from_history = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def response_change(self, request, obj):
        if "_continue" in request.POST or "_save" not in request.POST:
            return super().response_change(request, obj)
        self.message_user(request, _("The update is saved."), messages.SUCCESS)
        return redirect("admin:live_livecoverage_change", obj.article_id)
