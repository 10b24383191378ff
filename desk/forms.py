from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, can_publish
from articles.roles import EDITOR, REPORTER
from editing.forms import EditingArticleForm

from .models import Assignment, EditorialComment
from .workflow import TRANSITIONS

# The submit button that asks for a transition, with its name as the value.
TRANSITION_BUTTON = "_desk"


def staff_in_role(role):
    """Active staff of a role (superusers count as editors), by name."""
    in_role = Q(groups__name=role)
    if role == EDITOR:
        in_role |= Q(is_superuser=True)
    users = get_user_model().objects.filter(in_role, is_active=True, is_staff=True).distinct()
    return users.order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class DeskArticleForm(EditingArticleForm):
    """The article form with the desk's part: who the story is assigned to,
    a note for the desk, and the transition button pressed."""

    # Their people are chosen anew for each form (__init__).
    assigned_editor = PersonChoiceField(
        None, required=False, label=_("Editor"), help_text=_("Who reviews the story.")
    )
    assigned_reporter = PersonChoiceField(
        None, required=False, label=_("Reporter"), help_text=_("Who writes it.")
    )
    desk_note = forms.CharField(
        label=_("Note for the desk"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Goes with the button you press below: what to check when sending for "
            "review, what to fix when sending back."
        ),
    )
    DESK_FIELDS = ("assigned_editor", "assigned_reporter", "desk_note")
    # Not changes to the article: the history's "changed" list leaves them out.
    STATE_FIELDS = (*EditingArticleForm.STATE_FIELDS, "base", "desk_note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_editor"].queryset = staff_in_role(EDITOR)
        self.fields["assigned_reporter"].queryset = staff_in_role(REPORTER)
        assignment = Assignment.objects.filter(article_id=self.instance.pk).first()
        if assignment:
            self.initial.setdefault("assigned_editor", assignment.editor_id)
            self.initial.setdefault("assigned_reporter", assignment.reporter_id)
        if self.user is not None and not can_publish(self.user):
            # A reporter may ask for an editor; who writes is the editors' call.
            self.fields["assigned_reporter"].disabled = True
        if "status" in self.fields:
            # The review's own steps go through the buttons, which ask for a
            # note and tell the people of the story; the list offers the rest.
            kept = {Article.Status.DRAFT, Article.Status.PUBLISHED, self.instance.status}
            self.fields["status"].choices = [
                (value, label) for value, label in self.fields["status"].choices if value in kept
            ]
        self.transition = None

    def clean(self):
        cleaned = super().clean()
        name = self.data.get(TRANSITION_BUTTON)
        if name:
            transition = TRANSITIONS.get(name)
            if transition is None or (transition.editors_only and not can_publish(self.user)):
                raise PermissionDenied
            # The state as stored now, locked until this save commits: of two
            # people pressing at once, the second sees the first one's step.
            # A story that moved on meanwhile (another tab, a double click)
            # keeps what was typed in the form.
            current = Article(status=self.current_status())
            if not transition.allowed(current, self.user):
                raise forms.ValidationError(
                    _("The story is already “%(state)s”: save your changes, then see where it is.")
                    % {"state": current.get_status_display()},
                    code="moved_on",
                )
            if transition.needs_note and not (cleaned.get("desk_note") or "").strip():
                self.add_error("desk_note", _("Say what to change: the reporter gets this note."))
            self.transition = transition
        return cleaned

    def current_status(self):
        if self.instance.pk is None:
            return Article.Status.DRAFT
        stored = Article.objects.select_for_update().filter(pk=self.instance.pk)
        return stored.values_list("status", flat=True).get()


class CommentForm(forms.ModelForm):
    class Meta:
        model = EditorialComment
        fields = ["field", "text", "parent"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        # A reply answers a comment on the same article, and stays one level deep.
        self.fields["parent"].queryset = article.editorial_comments.filter(parent=None)
        self.fields["parent"].widget = forms.HiddenInput()
        self.fields["field"].label = _("About")
