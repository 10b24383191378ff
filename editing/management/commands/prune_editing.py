from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.images import originals_storage
from editing import uploads
from editing.admin import AUTOSAVES_KEPT
from editing.models import Autosave, PendingChange, Presence


class Command(BaseCommand):
    help = (
        "Delete what editing keeps only for a while: old autosaves, presence of "
        "closed forms, and held photos no form or prepared change names. Run daily."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        autosaves, _ = Autosave.objects.filter(saved_at__lt=now - AUTOSAVES_KEPT).delete()
        presences, _ = Presence.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
        photos = self.prune_held_photos(now - uploads.KEPT)
        self.stdout.write(
            f"Deleted {autosaves} autosaves, {presences} presences, {photos} held photos."
        )

    def prune_held_photos(self, before):
        storage = originals_storage()
        if not storage.exists(uploads.HELD):
            return 0
        named = {
            held["name"]
            for change in PendingChange.objects.only("data")
            for token in change.data.get("held_photo", [])
            if (held := uploads.token_contents(token))
        }
        deleted = 0
        for folder in storage.listdir(uploads.HELD)[0]:
            for file in storage.listdir(f"{uploads.HELD}/{folder}")[1]:
                name = f"{uploads.HELD}/{folder}/{file}"
                if name not in named and storage.get_modified_time(name) < before:
                    storage.delete(name)
                    deleted += 1
        return deleted
