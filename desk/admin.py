"""The desk in the article admin: review transitions, assignments, editorial
comments and the list's columns. Replaces editing's article admin with a
subclass, as editing replaced articles'."""

import json

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import admin as articles_admin
from articles.models import Article, Byline, TaggedArticle, can_publish
from editing.admin import EditingArticleAdmin

from . import workflow
from .filters import StateFilter, TagFilter
from .forms import TRANSITION_BUTTON, CommentForm, DeskArticleForm
from .models import Assignment, EditorialComment, Notification, reporters_stories
from .notify import notify

# What a transition tells the article's people.
NOTIFIED_AS = {
    "submit": Notification.Kind.SUBMITTED,
    "request_changes": Notification.Kind.CHANGES_REQUESTED,
    "approve": Notification.Kind.APPROVED,
}


class OwnBylineInline(articles_admin.BylineInline):
    """A reporter's new article starts with their own byline (the Author
    linked to their account); they may remove it or add others."""

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None and own_author(request.user) else 0


def own_author(user):
    return getattr(user, "author", None)


def assigned_reporter_id(article):
    assignment = getattr(article, "assignment", None)
    return assignment and assignment.reporter_id


class DeskArticleAdmin(EditingArticleAdmin):
    form = DeskArticleForm
    change_form_template = "desk/change_form.html"
    inlines = [
        OwnBylineInline if inline is articles_admin.BylineInline else inline
        for inline in EditingArticleAdmin.inlines
    ]
    list_display = [
        "headline",
        "state",
        "section",
        "byline",
        "created_by",
        "last_edited",
        "published_at",
    ]
    list_filter = [StateFilter, "section", TagFilter, "authors", "created_by"]
    list_select_related = ["section", "created_by", "updated_by"]
    search_fields = ["headline", "lead"]  # and tag and author names: get_search_results
    readonly_fields = [*EditingArticleAdmin.readonly_fields, "desk_state"]

    class Media:
        css = {"all": ["desk/desk.css"]}

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/comments/<int:comment_id>/resolve/",
                view(self.resolve_comment_view),
                name="articles_article_resolve_comment",
            ),
            path(
                "<path:object_id>/comments/",
                view(self.comment_view),
                name="articles_article_comment",
            ),
            *super().get_urls(),
        ]

    # Who may see and change what: a reporter also works on the drafts an
    # editor assigned to them.

    def get_queryset(self, request):
        # The assignment comes with the article: permission checks read it
        # often. (A queryset that selects related objects is left as it is by
        # the list, so the list's own go here too.)
        articles = admin.ModelAdmin.get_queryset(self, request).select_related(
            "assignment", *self.list_select_related
        )
        if can_publish(request.user):
            return articles
        return articles.filter(reporters_stories(request.user))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or (
            obj is not None
            and obj.status in Article.REPORTER_EDITABLE
            and assigned_reporter_id(obj) == request.user.pk
            and admin.ModelAdmin.has_change_permission(self, request, obj)
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        bylines = Prefetch("bylines", Byline.objects.select_related("author"))
        changelist.result_list = changelist.result_list.prefetch_related(bylines)
        return changelist

    def get_search_results(self, request, queryset, search_term):
        """Every word in the headline, the lead, a tag's or an author's name.
        Subqueries, not joins: no duplicate rows, so no DISTINCT over the archive."""
        for word in smart_split(search_term):
            if word[0] in "\"'" and word[-1] == word[0]:
                word = unescape_string_literal(word)
            tagged = TaggedArticle.objects.filter(
                content_object=OuterRef("pk"), tag__name__icontains=word
            )
            signed = Byline.objects.filter(article=OuterRef("pk"), author__name__icontains=word)
            queryset = queryset.filter(
                Q(headline__icontains=word)
                | Q(lead__icontains=word)
                | Exists(tagged)
                | Exists(signed)
            )
        return queryset, False

    @admin.display(description=_("State"), ordering="status")
    def state(self, article):
        return article.state_label

    @admin.display(description=_("Byline"))
    def byline(self, article):
        return ", ".join(str(author) for author in article.ordered_authors())

    @admin.display(description=_("Last edited"), ordering="updated_at")
    def last_edited(self, article):
        when = date_format(localtime(article.updated_at), "SHORT_DATETIME_FORMAT")
        if article.updated_by is None:
            return when
        return format_html("{}<br><small>{}</small>", article.updated_by, when)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fields = ["desk_state"]
        else:
            fields = ["desk_state", *DeskArticleForm.DESK_FIELDS]
        return [*fieldsets, (_("Desk"), {"fields": fields})]

    @admin.display(description=_("State"))
    def desk_state(self, article):
        if article.pk is None:
            return Article.Status.DRAFT.label
        return article.state_label

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.desk_context(request, obj if change else None))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def desk_context(self, request, article):
        # The transitions leave the state as stored, not as a refused form has it.
        stored = Article(status=getattr(article, "stored_status", Article.Status.DRAFT))
        may_change = article is None or self.has_change_permission(request, article)
        context = {
            "transitions": workflow.available(stored, request.user) if may_change else [],
            "transition_button": TRANSITION_BUTTON,
        }
        if article is None:
            return context
        if request.method == "GET":
            # Opening the article is reading what it says.
            Notification.objects.filter(user=request.user, article=article, read_at=None).update(
                read_at=timezone.now()
            )
        comments = article.editorial_comments.select_related("author", "resolved_by")
        threads = [comment for comment in comments if comment.parent_id is None]
        replies = {}
        for comment in comments:
            if comment.parent_id:
                replies.setdefault(comment.parent_id, []).append(comment)
        for thread in threads:
            thread.thread_replies = replies.get(thread.pk, [])
        context.update(
            comment_threads=threads,
            comment_form=CommentForm(article=article, auto_id="id_comment_%s"),
            open_comments=sum(1 for thread in threads if thread.resolved_at is None),
        )
        return context

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        author = own_author(request.user)
        adding = obj is None or obj.pk is None
        if isinstance(inline, OwnBylineInline) and adding and author and "data" not in kwargs:
            kwargs["initial"] = [{"author": author.pk}]
        return kwargs

    def save_model(self, request, obj, form, change):
        stored_status = getattr(obj, "stored_status", Article.Status.DRAFT)
        if form.transition:
            obj.status = form.transition.target
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if not getattr(request, "editing_pending", None):
            request.desk_step = workflow.described(stored_status, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if pending := getattr(request, "editing_pending", None):
            self.note_from_a_prepared_change(request, pending)
            return
        article = form.instance
        newly_assigned = self.save_assignment(article, form)
        transition, note = form.transition, form.cleaned_data.get("desk_note", "").strip()
        told = set()
        if note:
            # A note goes to the comments, with a step or without one.
            EditorialComment.objects.create(article=article, author=request.user, text=note)
        if transition:
            if note:
                request.desk_step = f"{request.desk_step}: «{note[:200]}»"
            told = notify(article, request.user, NOTIFIED_AS[transition.name], note)
        elif note:
            told = notify(article, request.user, Notification.Kind.COMMENT, note)
        if newly_assigned - told:
            notify(article, request.user, Notification.Kind.ASSIGNED, to=newly_assigned - told)

    def note_from_a_prepared_change(self, request, pending):
        """A note is its writer's comment now, never part of the prepared
        change (whoever opens that must not send it under their own name)."""
        note = (pending.data.pop("desk_note", None) or [""])[0].strip()
        if note:
            pending.save(update_fields=["data"])
            EditorialComment.objects.create(
                article=pending.article, author=request.user, text=note[:5000]
            )
            notify(pending.article, request.user, Notification.Kind.COMMENT, note)

    def save_assignment(self, article, form):
        """Save who the form assigns the story to; the ids of those newly assigned."""
        chosen = {
            role: form.cleaned_data.get(f"assigned_{role}")
            for role in ("editor", "reporter")
            if f"assigned_{role}" in form.cleaned_data
            and not form.fields[f"assigned_{role}"].disabled
        }
        assignment = Assignment.objects.filter(article=article).first()
        if assignment is None:
            if not any(chosen.values()):
                return set()  # no row for a story nobody is assigned to
            assignment = Assignment(article=article)
        newly = {
            user.pk
            for role, user in chosen.items()
            if user is not None and getattr(assignment, f"{role}_id") != user.pk
        }
        for role, user in chosen.items():
            setattr(assignment, role, user)
        assignment.save()
        return newly

    # The history says which step of the desk a save was.
    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj, self.with_desk_step(request, message))

    def log_change(self, request, obj, message):
        return super().log_change(request, obj, self.with_desk_step(request, message))

    @staticmethod
    def with_desk_step(request, message):
        step = getattr(request, "desk_step", None)
        if not step:
            return message
        if isinstance(message, list):
            message = LogEntry(change_message=json.dumps(message)).get_change_message()
        return f"{step}. {message}" if message else f"{step}."

    @method_decorator(require_POST)
    def comment_view(self, request, object_id):
        """Anyone who may open the article may comment on it."""
        article = self.article_or_404(request, unquote(object_id))
        form = CommentForm(request.POST, article=article)
        if not form.is_valid():
            self.message_user(
                request, _("The comment was not saved: write something."), messages.ERROR
            )
            return redirect(self.comments_url(article))
        with transaction.atomic():
            comment = form.save(commit=False)
            comment.article, comment.author = article, request.user
            comment.save()
            notify(article, request.user, Notification.Kind.COMMENT, str(comment))
        return redirect(self.comments_url(article, comment))

    @method_decorator(require_POST)
    def resolve_comment_view(self, request, object_id, comment_id):
        article = self.article_or_404(request, unquote(object_id))
        comment = article.editorial_comments.filter(pk=comment_id, parent=None).first()
        if comment is None:
            raise PermissionDenied
        # Said, not toggled: two people resolving at once leave it resolved.
        if request.POST.get("resolved") == "1":
            comment.resolved_at, comment.resolved_by = timezone.now(), request.user
        else:
            comment.resolved_at, comment.resolved_by = None, None
        comment.save(update_fields=["resolved_at", "resolved_by"])
        return redirect(self.comments_url(article, comment))

    @staticmethod
    def comments_url(article, comment=None):
        anchor = f"#comment-{comment.pk}" if comment else "#comments"
        return reverse("admin:articles_article_change", args=[article.pk]) + anchor


admin.site.unregister(Article)
admin.site.register(Article, DeskArticleAdmin)
# The admin's front page is the desk's dashboard, above the list of models.
admin.site.index_template = "desk/admin_index.html"
