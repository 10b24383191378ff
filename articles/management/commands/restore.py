import tempfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.backup import BackupError, clashes, put_files_in_place, read_backup
from articles.models import Article

# A backup larger than this when unpacked is refused unless --max-size says more.
DEFAULT_MAX_SIZE = 20 * 1024**3


class Command(BaseCommand):
    help = (
        "Restore a backup made by the backup command into a migrated database that "
        "holds no articles or accounts yet. All or nothing: on any error the database "
        "is unchanged and no photo file is left behind."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by the backup command")
        parser.add_argument(
            "--max-size",
            type=int,
            default=DEFAULT_MAX_SIZE,
            help=f"Refuse a backup that unpacks to more bytes (default {DEFAULT_MAX_SIZE:,}).",
        )

    def handle(self, *args, path, max_size, **options):
        if Article.objects.exists() or get_user_model().objects.exists():
            raise CommandError(
                "This database already has articles or accounts; restore into a new, "
                "migrated one (manage.py migrate), so nothing here is overwritten."
            )
        with tempfile.TemporaryDirectory() as work_dir:
            try:
                data = read_backup(path, work_dir, max_size)
            except BackupError as error:
                raise CommandError(f"{path} is not a backup this site restores: {error}") from error
            if clashing := clashes(work_dir):
                raise CommandError(
                    "The backup would overwrite different files of the same name: "
                    + ", ".join(clashing[:5])
                )
            placed = []
            try:
                with transaction.atomic():
                    # migrate made the role groups; the backup brings them with
                    # their own ids (and any other group the newsroom added).
                    Group.objects.all().delete()
                    call_command("loaddata", str(data), verbosity=0)
                    put_files_in_place(work_dir, placed)
            except BaseException:
                for storage, name in placed:
                    storage.delete(name)
                raise
        self.stdout.write(f"Restored {Article.objects.count()} articles from {path}.")
