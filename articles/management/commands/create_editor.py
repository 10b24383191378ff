import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create an editor account for the admin with a random password and print it. "
        "Safe to rerun: an existing account keeps its password unless --reset-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args, username, reset_password, **options):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if not (created or reset_password):
            self.stdout.write(
                f"Editor account '{username}' exists; its password is unchanged. "
                "Run 'python manage.py create_editor --reset-password' for a new one."
            )
            return
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: http://127.0.0.1:8000/admin/  "
                f"username: {username}  password: {password}"
            )
        )
