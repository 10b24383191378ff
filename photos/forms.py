import os

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from articles.images import validate_photo
from articles.text import slugify_uk

from .models import Photo

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def stored_name(upload):
    """Whatever the file was called, it is kept as what it is: a photo whose
    extension says its format (an original is served by its extension)."""
    with Image.open(upload) as image:
        extension = EXTENSIONS[image.format]
    upload.seek(0)
    stem = slugify_uk(os.path.splitext(upload.name or "")[0])[:60] or "photo"
    return f"{stem}.{extension}"


class ManyFilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ManyPhotosField(forms.FileField):
    """Several photos in one field, each checked as an article photo is."""

    widget = ManyFilesInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for upload in files:
            try:
                validate_photo(upload)
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
            else:
                upload.name = stored_name(upload)
        if errors:
            raise ValidationError(errors)
        return files


class UploadForm(forms.ModelForm):
    """Photos uploaded together share what is typed here (a shoot's credit,
    its tags); each can be described on its own afterwards."""

    images = ManyPhotosField(label=_("Photos"), help_text=_("JPEG, PNG or WebP; several at once."))

    class Meta:
        model = Photo
        fields = ["caption", "credit", "alt", "tags"]

    def save_each(self, user):
        photos = []
        for upload in self.cleaned_data["images"]:
            photo = Photo(
                image=upload,
                caption=self.cleaned_data["caption"],
                credit=self.cleaned_data["credit"],
                alt=self.cleaned_data["alt"],
                uploaded_by=user,
            )
            photo.save()
            photo.tags.set(self.cleaned_data["tags"])
            photos.append(photo)
        return photos


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "caption", "credit", "alt", "tags", "focal_x", "focal_y"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An upload only: choosing a stored original is the article form's.
        # (A user who may only view the photo gets a form without fields.)
        if "image" in self.fields:
            self.fields["image"].widget = AdminFileWidget()

    def clean_image(self):
        image = self.cleaned_data["image"]
        if isinstance(image, UploadedFile):  # a new file, not the stored one
            image.name = stored_name(image)
        return image

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "image" in self.changed_data and self.instance.uses.exists():
            self.add_error(
                "image",
                _("Stories show this photo: upload the new one as a photo of its own."),
            )
        # A photo a story shows must stay credited and described.
        if self.instance.pk and self.instance.uses.exists():
            for field, message in {
                "credit": _("Stories show this photo: it needs its credit."),
                "alt": _("Stories show this photo: it needs its alt text."),
            }.items():
                if not (cleaned.get(field) or "").strip():
                    self.add_error(field, message)
        return cleaned
