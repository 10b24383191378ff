from django.core.management.base import BaseCommand, CommandError

from articles.cache import new_generation
from articles.keys import SITE
from delivery.outbox import queue_purge


class Command(BaseCommand):
    help = (
        "Purge pages by surrogate key (articles/keys.py) from the app servers' page cache "
        "and the caches in front, e.g. `purge site` after a rollout changed templates."
    )

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="+", help="Keys such as site, front, a12.")

    def handle(self, *args, keys, **options):
        if any(not key.isalnum() for key in keys):
            raise CommandError("A key is letters and digits only, e.g. site, front, a12.")
        queue_purge(set(keys))
        # The app servers' own copies live under the content generation.
        new_generation()
        where = "every cache" if SITE in keys else "the pages carrying them"
        self.stdout.write(f"Queued a purge of {' '.join(keys)} from {where}.")
