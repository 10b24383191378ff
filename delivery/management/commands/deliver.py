import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from delivery.outbox import drain
from delivery.scheduler import announce_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send the purge outbox to the caches in front (PURGE_URLS) and announce "
        "scheduled stories when they come out. Run one on every node, or a few: "
        "they share the work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=0.2, help="Seconds between looks (default 0.2)."
        )
        parser.add_argument("--once", action="store_true", help="Look once, then stop.")

    def handle(self, *args, interval, once, **options):
        while True:
            try:
                announced, purged = announce_due(), drain()
            except (DatabaseError, OSError) as error:
                if once:
                    raise
                # The database or a cache is away: try again, never give up.
                logger.warning("Delivery failed, trying again: %s", error)
                close_old_connections()
                time.sleep(1)
                continue
            for pk in announced:
                self.stdout.write(f"announced {pk}")
            if purged:
                self.stdout.write(f"purged {' '.join(purged)}")
            if once:
                return
            if not purged:
                time.sleep(interval)
