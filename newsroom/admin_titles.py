"""Admin titles in Ukrainian grammar: Django's "Add %s" and "Select %s to
change" put the model's name in the nominative ("Додати стаття"); these
give it in the accusative ("Додати статтю")."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccusativeTitles:
    """Titles that name the model as the object of a verb ("Додати статтю",
    "Виберіть статтю, щоб змінити"): Django's put it in the nominative."""

    accusative_name = None  # pgettext_lazy("accusative", "<verbose_name>")

    def the_object(self):
        return self.accusative_name or self.model._meta.verbose_name

    def changelist_view(self, request, extra_context=None):
        to_change = self.has_change_permission(request)
        titles = {
            "title": (_("Select %s to change") if to_change else _("Select %s to view"))
            % self.the_object(),
            "add_title": _("Add %s") % self.the_object(),
        }
        return super().changelist_view(request, {**titles, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            context["title"] = _("Add %s") % self.the_object()
        elif self.has_change_permission(request, obj):
            context["title"] = _("Change %s") % self.the_object()
        else:
            context["title"] = _("View %s") % self.the_object()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(
            request, object_id, {"object_name": self.the_object(), **(extra_context or {})}
        )


def title_other_apps(site):
    """The same titles for the models of other apps a superuser manages."""
    for model, accusative in [
        (get_user_model(), pgettext_lazy("accusative", "user")),
        (Group, pgettext_lazy("accusative", "group")),
        (AccessAttempt, pgettext_lazy("accusative", "access attempt")),
        (AccessLog, pgettext_lazy("accusative", "access log")),
        (AccessFailureLog, pgettext_lazy("accusative", "access failure")),
    ]:
        if site.is_registered(model):
            model_admin = type(site.get_model_admin(model))
            site.unregister(model)
            titled = (AccusativeTitles, model_admin)
            site.register(
                model, type(model_admin.__name__, titled, {"accusative_name": accusative})
            )
