from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    """The photo library: photos with their caption, credit, alt text and focal
    point, reused by any number of stories, and the renditions readers get."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"
    verbose_name = _("Photo library")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from articles.cache import content_changed
        from articles.html import register_body_block
        from articles.images import STORED_PHOTOS
        from articles.keys import TOUCHES
        from articles.models import Article
        from articles.roles import EDITOR, REPORTER, ensure_roles, grant

        from .blocks import PHOTO_BLOCK
        from .models import Photo, library_original, photo_touches, record_uses

        register_body_block(PHOTO_BLOCK)
        # An article's lead photo may be a library photo: its original, shared.
        STORED_PHOTOS["library"] = library_original
        # Reporters upload and describe photos; only editors delete them.
        everything = ["add_photo", "change_photo", "view_photo"]
        grant(self.label, {REPORTER: everything, EDITOR: [*everything, "delete_photo"]})
        post_migrate.connect(ensure_roles, sender=self)
        # Which stories show which photo: a used photo cannot be deleted.
        post_save.connect(record_uses, sender=Article, dispatch_uid="photo-uses")
        # A photo's caption or crop changed: the stories showing it did too.
        post_save.connect(content_changed, sender=Photo, dispatch_uid="photo-saved")
        post_delete.connect(content_changed, sender=Photo, dispatch_uid="photo-deleted")
        TOUCHES.update(photo_touches())
