from django.core.management.base import BaseCommand

from articles.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = "Create the Reporter and Editor groups with exactly their permissions. Safe to rerun."

    def handle(self, *args, **options):
        ensure_roles()
        self.stdout.write(f"Roles up to date: {', '.join(ROLES)}")
