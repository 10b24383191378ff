"""The newsroom's roles as permission groups, kept exactly as defined here."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

REPORTER = "Reporter"
EDITOR = "Editor"
ROLE_NAMES = {REPORTER: _("Reporter"), EDITOR: _("Editor")}

CONTENT_MODELS = ["article", "section", "author", "tag", "byline", "articlenote", "slugredirect"]
ROLES = {
    # Writes and edits drafts; cannot publish nor change what is published
    # (ArticleAdmin enforces the second part per article; editing/ lets them
    # prepare a change to their own published story for an editor).
    REPORTER: [
        "add_article", "change_article", "view_article",
        "add_byline", "change_byline", "delete_byline", "view_byline",
        "view_section", "view_author", "view_tag", "view_articlenote", "view_slugredirect",
    ],
    # Everything on the newsroom's content, publishing included.
    EDITOR: [
        f"{action}_{model}"
        for model in CONTENT_MODELS
        for action in ("add", "change", "delete", "view")
    ] + ["publish_article"],
}  # fmt: skip


# Other apps' permissions in each role, {app label: {role: codenames}}, as
# they grant them from their ready() (see grant()).
OTHER_APPS = {}


def grant(app_label, codenames_by_role):
    OTHER_APPS[app_label] = codenames_by_role


def ensure_roles(sender=None, **kwargs):
    """Create the groups and set their permissions to exactly ROLES and what
    other apps granted: those of the app just migrated, or all. Safe to rerun."""
    apps = {"articles": ROLES, **OTHER_APPS}
    if sender is not None:
        apps = {sender.label: apps[sender.label]}
    for app_label, roles in apps.items():
        for name, codenames in roles.items():
            group, _created = Group.objects.get_or_create(name=name)
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise LookupError(f"Unknown permissions for {name}: {sorted(missing)}")
            group.permissions.remove(
                *group.permissions.filter(content_type__app_label=app_label).exclude(
                    pk__in=permissions
                )
            )
            group.permissions.add(*permissions)
