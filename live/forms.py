from django import forms

from .models import Update


class UpdateForm(forms.ModelForm):
    """A live update, as the live page's compact form and its own page post it."""

    class Meta:
        model = Update
        fields = ["title", "body", "is_key_event", "is_pinned"]
