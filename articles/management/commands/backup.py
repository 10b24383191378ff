from django.core.management.base import BaseCommand

from articles.backup import write_backup


class Command(BaseCommand):
    help = "Write the whole site (database and uploaded photos) to one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write, e.g. newsroom-2026-11-26.tar.gz")

    def handle(self, *args, path, **options):
        write_backup(path)
        self.stdout.write(f"Backup written to {path}.")
