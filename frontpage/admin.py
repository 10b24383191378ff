from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from articles.admin import NewsroomAdmin

from .models import Breaking, Front, Slot

# What "Терміново" lasts unless the editor says otherwise.
BREAKING_FOR = timedelta(hours=2)


class SlotFormSet(forms.BaseInlineFormSet):
    """The places of one page: one top story, and on the front page as many
    featured stories as its row shows."""

    def clean(self):
        # Ours first: they say what is wrong in an editor's words.
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("article") and not form.cleaned_data.get("DELETE")
        ]
        kinds = [slot["kind"] for slot in kept]
        if kinds.count(Slot.Kind.TOP) > 1:
            raise ValidationError(_("A page has one top story."))
        featured = kinds.count(Slot.Kind.FEATURED)
        if self.instance.section_id is not None and featured:
            raise ValidationError(_("A section's page has a top story only."))
        if featured > self.instance.featured_count:
            raise ValidationError(
                ngettext(
                    "The featured row shows %(count)d story; you placed %(placed)d.",
                    "The featured row shows %(count)d stories; you placed %(placed)d.",
                    self.instance.featured_count,
                )
                % {"count": self.instance.featured_count, "placed": featured}
            )
        articles = [slot["article"] for slot in kept if slot.get("article")]
        if len(set(articles)) < len(articles):
            raise ValidationError(_("A story takes one place on a page."))
        super().clean()


class SlotInline(admin.TabularInline):
    model = Slot
    formset = SlotFormSet
    fields = ["kind", "article", "expires_at", "position"]
    autocomplete_fields = ["article"]
    extra = 1
    classes = ["sortable-slots"]


@admin.register(Front)
class FrontAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "curated page")
    list_display = ["__str__", "top_story", "featured_count"]
    inlines = [SlotInline]

    class Media:
        js = ["frontpage/sortable_slots.js"]
        css = {"all": ["frontpage/admin.css"]}

    def get_queryset(self, request):
        top = Slot.objects.showing().filter(kind=Slot.Kind.TOP).select_related("article")
        return (
            super()
            .get_queryset(request)
            .select_related("section")
            .prefetch_related(Prefetch("slots", queryset=top, to_attr="top_slots"))
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:  # the front page exists: a new one is a section's
            form.base_fields["section"].required = True
        return form

    def get_fields(self, request, obj=None):
        if obj is not None and obj.section_id is None:
            return ["featured_count"]  # the front page is no section's
        return ["section"] if obj is None else ["section", "featured_count"]

    def get_readonly_fields(self, request, obj=None):
        return ["section"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # The front page's places may be emptied, never the page itself.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.section_id is not None
        )

    @admin.display(description=_("Top story"))
    def top_story(self, front):
        return front.top_slots[0].article if front.top_slots else _("the newest story")


class BreakingForm(forms.ModelForm):
    class Meta:
        model = Breaking
        fields = ["article", "ends_at"]

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if self.instance.pk is None and ends_at <= timezone.now():
            raise ValidationError(_("Breaking news ends in the future: set a later time."))
        return ends_at


@admin.register(Breaking)
class BreakingAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "breaking news")
    form = BreakingForm
    list_display = ["article", "state", "started_at", "ends_at", "marked_by"]
    list_select_related = ["article", "marked_by"]
    autocomplete_fields = ["article"]
    readonly_fields = ["started_at", "marked_by"]
    actions = ["end_now"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("ends_at", timezone.localtime() + BREAKING_FOR)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.marked_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("State"))
    def state(self, breaking):
        if breaking.is_on:
            until = date_format(timezone.localtime(breaking.ends_at), "j E, H:i")
            return format_html('<strong class="breaking-on">{}</strong>', _("On until %s") % until)
        if breaking.ends_at > timezone.now():
            return _("Waits for the story to be published")
        return _("Over")

    @admin.action(description=_("End the selected breaking news now"), permissions=["change"])
    def end_now(self, request, queryset):
        now = timezone.now()
        ended = 0
        for breaking in queryset.filter(ends_at__gt=now):
            breaking.ends_at = now
            breaking.save(update_fields=["ends_at"])  # its signal renews the pages
            ended += 1
        self.message_user(
            request,
            ngettext("%(count)d breaking news ended.", "%(count)d breaking news ended.", ended)
            % {"count": ended},
            messages.SUCCESS,
        )
