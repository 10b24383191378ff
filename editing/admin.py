"""The article form, made safe to work in: it autosaves, keeps refused
uploads, prepares changes to live stories, previews as readers will see,
and says who else is editing. It replaces articles' ArticleAdmin with a
subclass, so that articles knows nothing of it."""

import re
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from PIL import Image

from articles import admin as articles_admin
from articles.models import Article, can_publish

from . import presence, uploads
from .compare import changed_fields
from .forms import EditingArticleForm, kept_fields, omitted
from .models import Autosave, PendingChange, as_post, form_data
from .preview import preview_response, unsaved_article

AUTOSAVES_KEPT = timedelta(days=30)
AUTOSAVES_PER_USER = 20  # the newest; older forms' copies go
# What a save posted after the session had expired carried (see middleware.py).
UNSAVED_AFTER_LOGOUT = "editing.unsaved-form"
THUMBNAIL = (480, 480)
ID = r"\d{1,18}"


class EditingArticleAdmin(articles_admin.ArticleAdmin):
    form = EditingArticleForm
    change_form_template = "editing/change_form.html"

    class Media:  # added to ArticleAdmin's
        css = {"all": ["editing/editing.css"]}
        js = ["editing/article_form.js"]

    def get_urls(self):
        def view(function, name, *routes):
            # The first route is an article's; a second, a new article's form ("_new").
            wrapped = self.admin_site.admin_view(function)
            names = [f"articles_article_{name}", f"articles_article_{name}_new"]
            return [path(route, wrapped, name=n) for route, n in zip(routes, names, strict=False)]

        pending = "<path:object_id>/pending/<int:change_id>"
        return [
            # An object id is a path: the longer routes go first.
            *view(self.pending_preview_view, "pending_preview", f"{pending}/preview/"),
            *view(self.pending_compare_view, "pending_compare", f"{pending}/compare/"),
            *view(self.pending_discard_view, "pending_discard", f"{pending}/discard/"),
            *view(self.held_photo_view, "held_photo", "held/<str:token>/"),
            *view(
                self.discard_autosave_view,
                "discard_autosave",
                "<path:object_id>/autosave/discard/",
                "autosave/discard/",
            ),
            *view(self.autosave_view, "autosave", "<path:object_id>/autosave/", "autosave/"),
            *view(self.live_preview_view, "live_preview", "<path:object_id>/preview/", "preview/"),
            *view(
                self.checklist_view,
                "live_checklist",
                "<path:object_id>/checklist/",
                "checklist/",
            ),
            *view(self.presence_view, "presence", "<path:object_id>/presence/"),
            *super().get_urls(),
        ]

    # Who may do what. A reporter may prepare changes to their own published
    # story (saved as a prepared change for an editor, never live).

    def may_propose(self, request, article):
        return (
            article is not None
            and not can_publish(request.user)
            and article.created_by_id == request.user.pk
            and article.status == Article.Status.PUBLISHED
            and super().has_change_permission(request, None)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.may_propose(request, obj)

    def saves_as_pending(self, request, article):
        """A save of a published story becomes a prepared change when the
        editor asks for it, and always when a reporter saves it."""
        if getattr(article, "stored_status", None) != Article.Status.PUBLISHED:
            return False
        return "_save_pending" in request.POST or not can_publish(request.user)

    def get_fieldsets(self, request, obj=None):
        """The form's own state goes with the first fieldset's hidden "base"."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *others = fieldsets
        first = (
            name,
            {**options, "fields": [*options["fields"], *EditingArticleForm.STATE_FIELDS]},
        )
        return [first, *others]

    def editable_article(self, request, object_id):
        """The article a form endpoint is about, if this user may edit it
        (None for a new article's form)."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self.article_or_404(request, unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def unsaved(self, request, article, data):
        """The article with submitted fields in it, through this user's form, unsaved."""
        form_class = self.get_form(request, article, change=article is not None)
        return unsaved_article(form_class(data, instance=article), article)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name, limit in (("headline", Article.HEADLINE_LIMIT), ("lead", Article.LEAD_LIMIT)):
            if name in form.base_fields:
                form.base_fields[name].widget.attrs["data-limit"] = limit  # a live counter
        # The class is made anew for each call: what is set on it is this request's.
        form.user = request.user
        form.restored = self.restored_initial(request, obj, form) or {}
        return form

    # Filling the form again: an autosave, a prepared change, or what a save
    # posted after the session expired carried; only into the fields this
    # user's form and inlines take (forms.kept_fields).

    def restored_data(self, request, article, form_class):
        if request.method != "GET":
            return None
        if not hasattr(request, "editing_restored"):
            found = self.find_restored(request, article)
            request.editing_restored = found and as_post(
                kept_fields(
                    found, form_class(instance=article), self.inline_formsets(request, article)
                )
            )
        return request.editing_restored

    def find_restored(self, request, article):
        """The stored fields the address asks for, if this user may have them."""
        if "autosave" in request.GET:
            autosave = self.own_autosaves(request, article).filter(
                pk=as_number(request.GET["autosave"])
            )
            autosave = autosave.first()
            return autosave and autosave.data
        if "pending" in request.GET and article is not None:
            # Gone once published or discarded: the form then shows the article.
            change = self.pending_changes(request, article).filter(
                pk=as_number(request.GET["pending"])
            )
            change = change.first()
            if change is None:
                return None
            # This form autosaves under a key of its own, not the preparer's.
            data = {name: values for name, values in change.data.items() if name != "form_key"}
            return {**data, "pending_change": [str(change.pk)]}
        return None

    def inline_formsets(self, request, article):
        """Unbound formsets of the inlines this user may edit, with their
        prefixes (as ModelAdmin._create_formsets names them)."""
        formsets = []
        args = [request, article] if article else [request]
        for formset_class, inline in self.get_formsets_with_inlines(*args):
            if inline.has_change_permission(request, article) or inline.has_add_permission(
                request, article
            ):
                prefix = formset_class.get_default_prefix()
                formsets.append(formset_class(instance=article, prefix=prefix))
        return formsets

    def restored_initial(self, request, article, form_class):
        data = self.restored_data(request, article, form_class)
        if data is None:
            return None
        bound = form_class(data, instance=article)
        return {name: bound[name].data for name in bound.fields if not omitted(bound, name)}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        data = getattr(request, "editing_restored", None) if request.method == "GET" else None
        if data is not None and f"{prefix}-TOTAL_FORMS" in data:
            kwargs["data"] = data
        return kwargs

    def own_autosaves(self, request, article):
        return Autosave.objects.filter(
            user=request.user, article=article, saved_at__gte=timezone.now() - AUTOSAVES_KEPT
        )

    def pending_changes(self, request, article):
        """The prepared changes of the article this user may see: all of
        them for an editor, their own for a reporter."""
        changes = PendingChange.objects.filter(article=article).select_related("created_by")
        if not can_publish(request.user):
            changes = changes.filter(created_by=request.user)
        return changes

    def pending_change(self, request, article, change_id):
        return get_object_or_404(self.pending_changes(request, article), pk=change_id)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        article = None
        if object_id is not None:
            article = self.get_object(request, unquote(object_id))
        if request.method == "GET":
            after_logout = self.keep_what_was_posted_before_login(request, article)
            if after_logout:
                return after_logout
        extra_context = {**(extra_context or {}), **self.editing_context(request, article)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def keep_what_was_posted_before_login(self, request, article):
        """A save posted after the session had expired: its fields were kept
        (middleware.py); now that the editor is back, fill the form with them."""
        unsaved = request.session.pop(UNSAVED_AFTER_LOGOUT, None)
        if not unsaved or unsaved["path"] != request.path or unsaved["user"] != request.user.pk:
            return None
        if article is not None and not self.has_change_permission(request, article):
            return None
        key = (unsaved["data"].get("form_key") or [""])[0][:40]
        if not key:
            return None
        keep(request.user, article, key, unsaved["data"], timezone.now())
        autosave = Autosave.objects.get(user=request.user, key=key)
        messages.warning(
            request,
            _(
                "Your session had expired, so your last save did not go through. "
                "Everything you had typed is back in the form (a photo you had chosen "
                "must be chosen again): check it and save again."
            ),
        )
        return redirect(f"{request.path}?autosave={autosave.pk}")

    def editing_context(self, request, article):
        """What the form's template and script need; nothing for a user who
        may only view the article."""
        if article and not self.has_change_permission(request, article):
            return {}
        args, suffix = ([article.pk], "") if article else ([], "_new")
        urls = {
            name: reverse(f"admin:articles_article_{name}{suffix}", args=args)
            for name in ("autosave", "discard_autosave", "live_preview", "live_checklist")
        }
        context = {"editing_urls": urls, "heartbeat": presence.heartbeat_seconds()}
        if request.method == "GET":
            form_class = self.get_form(request, article, change=article is not None)
            restored = self.restored_data(request, article, form_class) is not None
            # A prepared change is stored; what an autosave brings back is not.
            context["opened_pending"] = restored and "pending" in request.GET
            context["restored"] = restored and not context["opened_pending"]
            if not restored:
                offer = self.own_autosaves(request, article).order_by("-saved_at").first()
                context["autosave_offer"] = offer and {
                    "id": offer.pk,
                    "time": presence.clock(offer.saved_at),
                }
        else:
            context["restored"] = True  # a refused save: what the form holds is not stored
        if article is not None:
            urls["presence"] = reverse("admin:articles_article_presence", args=args)
            context["photo_url"] = photo_thumbnail_url(article)
            context["presence"] = presence.arrive(article, request.user)
            context["pending_changes"] = self.pending_changes(request, article)
            context["may_prepare_change"] = article.status == Article.Status.PUBLISHED
            context["proposing"] = self.may_propose(request, article)
        return context

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST":
            # Refused, by the form or an inline: hold the photo for the next save.
            context["adminform"].form.hold_photo()
        return super().render_change_form(request, context, *args, **kwargs)

    # Saving: a prepared change never touches the article; a real save
    # clears this editor's autosaves of it and the prepared change it published.

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None:
            # The article as stored, before a form changes the instance.
            article.stored_status = article.status
        return article

    def save_model(self, request, obj, form, change):
        if change and self.saves_as_pending(request, obj):
            request.editing_pending = True  # stored with its inlines (save_related)
            return
        super().save_model(request, obj, form, change)
        mine = Autosave.objects.filter(user=request.user)
        if key := form.cleaned_data.get("form_key"):
            mine.filter(key=key).delete()
        if change:
            mine.filter(article=obj).delete()
        if form.cleaned_data.get("pending_change"):
            self.pending_changes(request, obj).filter(
                pk=form.cleaned_data["pending_change"]
            ).delete()

    def save_related(self, request, form, formsets, change):
        if getattr(request, "editing_pending", None):
            request.editing_pending = self.save_pending(request, form.instance, form, formsets)
            return
        super().save_related(request, form, formsets, change)

    def save_pending(self, request, article, form, formsets):
        """Keep the change as a prepared one: the fields this user's form
        takes, and the inlines they changed (the others stay as they are)."""
        changed = [formset for formset in formsets if formset.has_changed()]
        data = kept_fields(form_data(request.POST), form, changed)
        # The photo goes with the change, to whoever may open the article.
        if form.held:
            data["held_photo"] = [uploads.token_for(form.held, None, article)]
        elif form.files.get("photo") is not None:
            data["held_photo"] = [uploads.hold(form.files["photo"], None, article)]
        change = self.pending_changes(request, article).filter(
            pk=form.cleaned_data.get("pending_change") or 0
        )
        change = change.first() or PendingChange(article_id=article.pk, created_by=request.user)
        change.data = data
        change.save()
        Autosave.objects.filter(user=request.user, article=article.pk).delete()
        return change

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "editing_pending", None):
            return []  # log_change says what happened; nothing was saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "editing_pending", None):
            message = _("Prepared a change; readers do not see it yet.")
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        change = getattr(request, "editing_pending", None)
        if change is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("Your change is kept as a prepared change; readers still see the article as it was."),
            messages.SUCCESS,
        )
        # Back to the prepared change, so that further work goes on from it.
        return redirect(
            f"{reverse('admin:articles_article_change', args=[obj.pk])}?pending={change.pk}"
        )

    # The form's endpoints.

    @method_decorator(require_POST)
    def autosave_view(self, request, object_id=None):
        article = self.editable_article(request, object_id)
        key = request.POST.get("form_key", "").replace("\x00", "")[:40]
        if not key:
            return JsonResponse({"error": "form_key"}, status=400)
        now = timezone.now()
        keep(request.user, article, key, form_data(request.POST), now)
        return JsonResponse({"saved_at": now.isoformat(), "time": presence.clock(now)})

    @method_decorator(require_POST)
    def discard_autosave_view(self, request, object_id=None):
        article = self.editable_article(request, object_id)
        self.own_autosaves(request, article).filter(
            pk=as_number(request.POST.get("autosave", ""))
        ).delete()
        if article is None:
            return redirect("admin:articles_article_add")
        return redirect("admin:articles_article_change", article.pk)

    @method_decorator(require_POST)
    def live_preview_view(self, request, object_id=None):
        article = self.editable_article(request, object_id)
        return preview_response(request, self.unsaved(request, article, request.POST))

    @method_decorator(require_POST)
    def checklist_view(self, request, object_id=None):
        article = self.editable_article(request, object_id)
        preview = self.unsaved(request, article, request.POST)
        if request.POST.get("has_new_photo") and not preview.photo:
            preview.photo = "new"  # chosen in the browser, not uploaded yet
        tags = [tag.name for tag in preview.tags.all()]
        problems = preview.publication_problems(tags)
        return JsonResponse({field: str(problem) for field, problem in problems.items()})

    @method_decorator(require_POST)
    def presence_view(self, request, object_id):
        article = self.editable_article(request, object_id)
        action = request.POST.get("action", "heartbeat")
        if action == "leave":
            presence.leave(article, request.user)
            return JsonResponse({})
        if action == "take_over":
            return JsonResponse(presence.take_over(article, request.user))
        return JsonResponse(presence.heartbeat(article, request.user))

    def pending_preview_view(self, request, object_id, change_id):
        article = self.editable_article(request, object_id)
        change = self.pending_change(request, article, change_id)
        return preview_response(request, self.unsaved(request, article, change.as_post()))

    def pending_compare_view(self, request, object_id, change_id):
        article = self.editable_article(request, object_id)
        change = self.pending_change(request, article, change_id)
        prepared = self.unsaved(request, article, change.as_post())
        return TemplateResponse(
            request,
            "editing/pending_compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "change": change,
                "changes": changed_fields(article, prepared),
                "title": _("The prepared change and the article readers see"),
            },
        )

    @method_decorator(require_POST)
    def pending_discard_view(self, request, object_id, change_id):
        article = self.editable_article(request, object_id)
        self.pending_change(request, article, change_id).delete()
        self.message_user(request, _("The prepared change is discarded."), messages.SUCCESS)
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def held_photo_view(self, request, token):
        """A small copy of a held photo, for the form that holds it."""
        held = uploads.token_contents(token) or {}
        article = None
        if held.get("user") is None and held.get("article"):
            article = self.editable_article(request, str(held["article"]))
        name = uploads.held_name(token, request.user, article)
        if name is None:
            raise Http404
        response = HttpResponse(content_type="image/jpeg")
        try:
            with uploads.held_file(name) as file, Image.open(file) as image:
                image.thumbnail(THUMBNAIL)
                image.convert("RGB").save(response, "JPEG", quality=80)
        except OSError as error:  # a damaged file that passed the upload's checks
            raise Http404 from error
        response["Cache-Control"] = "private, max-age=3600"
        return response


def keep(user, article, key, data, now):
    """Write a form's autosave: one UPDATE, as it is every few seconds while
    an editor types; the first time, an INSERT (and a user's oldest copies go)."""
    copies = Autosave.objects.filter(user=user, key=key)
    if copies.update(article=article, data=data, saved_at=now):
        return
    try:
        with transaction.atomic():
            Autosave.objects.create(user=user, article=article, key=key, data=data, saved_at=now)
    except IntegrityError:  # the same form's other request made it first
        copies.update(article=article, data=data, saved_at=now)
        return
    oldest = Autosave.objects.filter(user=user).order_by("-saved_at")[AUTOSAVES_PER_USER:]
    Autosave.objects.filter(pk__in=list(oldest.values_list("pk", flat=True))).delete()


def photo_thumbnail_url(article):
    """The smallest rendition of the article's photo, for the focal-point picker."""
    sources = article.photo_renditions.get("sources", {}).get("image/jpeg")
    return default_storage.url(sources[0][1]) if article.photo and sources else ""


def as_number(text):
    """An id from an address, or 0 (which no row has) for anything else."""
    return int(text) if re.fullmatch(ID, str(text), re.ASCII) else 0


admin.site.unregister(Article)
admin.site.register(Article, EditingArticleAdmin)
