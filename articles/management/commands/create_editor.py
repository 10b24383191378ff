import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from articles.roles import EDITOR, REPORTER, ensure_roles


class Command(BaseCommand):
    help = (
        "Create a newsroom account for the admin with a random password and print it. "
        "Safe to rerun: an existing account keeps its password unless --reset-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument(
            "--role",
            choices=["editor", "reporter"],
            default="editor",
            help="editor: publishes and edits everything; reporter: writes and edits own drafts.",
        )
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Also every permission, accounts included (for the site's administrator).",
        )
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args, username, role, superuser, reset_password, **options):
        ensure_roles()
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        if superuser and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        user.groups.add(Group.objects.get(name=EDITOR if role == "editor" else REPORTER))
        if not (created or reset_password):
            self.stdout.write(
                f"Account '{username}' exists; its password is unchanged. Run "
                f"'python manage.py create_editor --username {username} --reset-password' "
                "for a new one."
            )
            return
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login ({role}): http://127.0.0.1:8000/admin/  "
                f"username: {username}  password: {password}"
            )
        )
