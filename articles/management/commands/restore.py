import shutil
import tarfile
import tempfile

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.backup import read_backup
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Restore a backup made by the backup command into a migrated database that "
        "holds no articles yet. All or nothing: on any error the database is unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by the backup command")

    def handle(self, *args, path, **options):
        if Article.objects.exists():
            raise CommandError(
                "This database already has articles; restore into a new, migrated one "
                "(manage.py migrate), so nothing here is overwritten."
            )
        with tempfile.TemporaryDirectory() as work_dir:
            try:
                data, media = read_backup(path, work_dir)
            except (OSError, EOFError, tarfile.TarError) as error:
                raise CommandError(f"{path} is not a backup made by this site: {error}") from error
            with transaction.atomic():
                # migrate made the role groups; the backup brings them with
                # their own ids (and any other group the newsroom added).
                Group.objects.all().delete()
                call_command("loaddata", str(data), verbosity=0)
            if media.is_dir():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        self.stdout.write(f"Restored {Article.objects.count()} articles from {path}.")
