from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import can_publish
from articles.roles import EDITOR, REPORTER
from editing.forms import EditingArticleForm

from .models import Assignment, EditorialComment
from .workflow import TRANSITIONS

# The submit button that asks for a transition, with its name as the value.
TRANSITION_BUTTON = "_desk"


def people(role):
    """Active staff of a role (superusers count as editors), by name."""
    in_role = Q(groups__name=role) | (Q(is_superuser=True) if role == EDITOR else Q(pk__in=[]))
    users = get_user_model().objects.filter(in_role, is_active=True, is_staff=True).distinct()
    return users.order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class DeskArticleForm(EditingArticleForm):
    """The article form with the desk's part: who the story is assigned to,
    a note for the desk, and the transition button pressed."""

    assigned_editor = PersonChoiceField(
        people(EDITOR), required=False, label=_("Editor"), help_text=_("Who reviews the story.")
    )
    assigned_reporter = PersonChoiceField(
        people(REPORTER), required=False, label=_("Reporter"), help_text=_("Who writes it.")
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
    STATE_FIELDS = (*EditingArticleForm.STATE_FIELDS, "desk_note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_editor"].queryset = people(EDITOR)
        self.fields["assigned_reporter"].queryset = people(REPORTER)
        assignment = Assignment.objects.filter(article_id=self.instance.pk).first()
        if assignment:
            self.initial.setdefault("assigned_editor", assignment.editor_id)
            self.initial.setdefault("assigned_reporter", assignment.reporter_id)
        if self.user is not None and not can_publish(self.user):
            # A reporter may ask for an editor; who writes is the editors' call.
            self.fields["assigned_reporter"].disabled = True
        self.transition = None

    def clean(self):
        cleaned = super().clean()
        name = self.data.get(TRANSITION_BUTTON)
        if name:
            transition = TRANSITIONS.get(name)
            # self.instance is still the article as stored: the form's values
            # go into it only after clean().
            if transition is None or not transition.allowed(self.instance, self.user):
                raise PermissionDenied
            if transition.needs_note and not (cleaned.get("desk_note") or "").strip():
                self.add_error("desk_note", _("Say what to change: the reporter gets this note."))
            self.transition = transition
        return cleaned


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
