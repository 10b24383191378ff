import re
import secrets

from django import forms

from articles import admin as articles_admin
from articles.images import PhotoInput

from . import uploads

# An inline formset's fields arrive as "<prefix>-<number>-<field>".
INLINE_FIELD = re.compile(r"(?P<prefix>.+)-(?P<index>\d+)-(?P<field>[^-]+)")
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
# More rows than any story has (bylines, corrections): such an inline is not kept.
MAX_INLINE_FORMS = 50


class EditingArticleForm(articles_admin.ArticleAdminForm):
    """The article form, with what it needs to lose nothing: a held photo,
    the prepared change it continues, and its own autosave key."""

    held_photo = forms.CharField(widget=forms.HiddenInput, required=False)
    pending_change = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    # Fields that carry the form's own state, never a change to the article.
    STATE_FIELDS = ("held_photo", "pending_change", "form_key")
    # Set per request (EditingArticleAdmin.get_form): the editor, and the
    # fields an unbound form starts from when unsaved work is restored.
    user = None
    restored = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_key"].initial = secrets.token_urlsafe(16)
        if not self.is_bound:
            self.initial.update(self.restored)
        self.held = None

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name not in self.STATE_FIELDS]

    def full_clean(self):
        if self.is_bound and "photo" in self.fields:
            self.take_held_photo()
        super().full_clean()

    def take_held_photo(self):
        """No new upload, but one was held from a refused save: take it."""
        if self.files.get("photo") or self.data.get("photo-clear"):
            return
        name = uploads.held_name(self.data.get("held_photo", ""), self.user, self.instance)
        if name:
            self.files = self.files.copy()
            self.files["photo"] = uploads.held_file(name)
            self.held = name

    def hold_photo(self):
        """The save was refused (by this form or an inline): keep its
        accepted upload for the next save."""
        upload = self.files.get("photo")
        if upload is None or self.held or "photo" in self.errors:
            return
        self.data = self.data.copy()
        self.data["held_photo"] = uploads.hold(upload, self.user)

    def held_photo_token(self):
        token = self.data.get("held_photo") if self.is_bound else self.initial.get("held_photo")
        if token and uploads.held_name(token, self.user, self.instance):
            return token
        return None


def omitted(form, name):
    """Whether the submitted data leaves a field out (it then keeps its value)."""
    widget = form.fields[name].widget
    return widget.value_omitted_from_data(form.data, form.files, form.add_prefix(name))


def field_names(form):
    """{name a browser sends: the form field it belongs to}, for every
    field of an unbound form the user may change (a split date and time
    sends two names)."""
    names = {}
    for bound in form:
        if bound.field.disabled:
            continue  # the user may not change it: it is never theirs to keep
        widget = bound.field.widget
        if isinstance(widget, PhotoInput):  # the library photo chosen, by its name
            names[widget.stored_name(bound.html_name)] = forms.CharField()
        if isinstance(widget, forms.MultiWidget):
            for suffix in widget.widgets_names:
                names[bound.html_name + suffix] = bound.field
        elif not isinstance(widget, forms.FileInput):  # a file is never in the data
            names[bound.html_name] = bound.field
    return names


def names_a_choice(field, value):
    """Whether a choice field can show this value (a hand-typed id cannot)."""
    if not isinstance(field, forms.ModelChoiceField) or value in field.empty_values:
        return True
    try:
        field.to_python(value)
    except (forms.ValidationError, ValueError, TypeError):
        return False
    return True


def values_for(field, values):
    """The values a field takes: one, unless it takes several; None if any
    names a choice that cannot be shown."""
    if not isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        values = values[:1]
    return values if all(names_a_choice(field, value) for value in values) else None


def kept_fields(data, form, formsets):
    """Of submitted fields, only those this form and these inline formsets
    take, with values their fields can show: what a crafted request adds,
    an inline the user may only view, or one with more rows than any story
    has, is not kept.

    `formsets` are unbound, each with the prefix its form uses."""
    kept = {}
    main = field_names(form)
    inline_fields = {
        formset.prefix: formset.empty_form.fields
        for formset in formsets
        if rows(data, formset.prefix) <= MAX_INLINE_FORMS
    }
    for name, values in data.items():
        prefix, _, rest = name.rpartition("-")
        match = INLINE_FIELD.fullmatch(name)
        if name in main:
            field = main[name]
        elif prefix in inline_fields and rest in MANAGEMENT:
            field = forms.IntegerField()
        elif match and match["prefix"] in inline_fields:
            field = inline_fields[match["prefix"]].get(match["field"])
        else:
            continue
        if field is not None and (taken := values_for(field, values)) is not None:
            kept[name] = taken
    return kept


def rows(data, prefix):
    total = (data.get(f"{prefix}-TOTAL_FORMS") or ["0"])[0]
    return int(total) if total.isdigit() else MAX_INLINE_FORMS + 1
