from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.keys import SITE
from delivery.models import Purge


class Command(BaseCommand):
    help = (
        "The release step, run once per release before nodes start on the new code: "
        "migrations, static files (kept beside the last release's, so that pages of "
        "either release find theirs during a rolling deploy), and a purge of every page "
        "the cache in front holds (templates may have changed)."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        # No --clear: the last release's hashed files stay.
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.PURGE_URLS:
            Purge.objects.create(keys=SITE)
        self.stdout.write("Released: migrations applied, static files collected, pages purged.")
