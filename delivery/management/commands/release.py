from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "The release step, run once per release before nodes start on the new code: "
        "migrations, and static files kept beside the last release's (so that pages of "
        "either release find theirs during a rolling deploy). Once every node runs the new "
        "code, `manage.py purge site` drops the pages the old one rendered."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        # No --clear: the last release's hashed files stay.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Released: migrations applied, static files collected.")
