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

from articles.admin import NewsroomAdmin, TolerantAutocompletes

from .models import Breaking, Front, Slot, not_over

# What "Терміново" lasts unless the editor says otherwise, and at most.
BREAKING_FOR = timedelta(hours=2)
LONGEST_BREAKING = timedelta(days=7)
# How far ahead a place may be set to end.
LONGEST_PLACE = timedelta(days=365)


def time_to_come(moment, longest):
    """A time in the next `longest`, or a message saying what is wrong."""
    now = timezone.now()
    # A year the clock cannot convert (01.01.0001) is compared by its number.
    if moment.year < now.year or moment > now + longest:
        raise ValidationError(
            _("Set a time within %(days)d days from now.") % {"days": longest.days}
        )
    if moment <= now:
        raise ValidationError(_("This time has passed: set a later one."))
    return moment


class SlotForm(forms.ModelForm):
    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at is not None and "expires_at" in self.changed_data:
            time_to_come(expires_at, LONGEST_PLACE)
        return expires_at


class SlotFormSet(forms.BaseInlineFormSet):
    """The places of one page: one top story, one place per story, and on
    the front page as many featured stories as its row shows. Every place
    still on the page is in the form, so the rules are checked here."""

    def clean(self):
        now = timezone.now()
        kept = [
            place
            for place in (form.cleaned_data for form in self.forms)
            if place.get("article")
            and not place.get("DELETE")
            and not (place.get("expires_at") and place["expires_at"] <= now)  # over
        ]
        kinds = [slot.get("kind") for slot in kept]
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
        articles = [slot["article"] for slot in kept]
        if len(set(articles)) < len(articles):
            raise ValidationError(_("A story takes one place on a page."))
        super().clean()


class SlotInline(TolerantAutocompletes, admin.TabularInline):
    model = Slot
    form = SlotForm
    formset = SlotFormSet
    fields = ["kind", "article", "expires_at", "position"]
    autocomplete_fields = ["article"]
    extra = 1
    classes = ["sortable-slots"]

    def get_queryset(self, request):
        # Places that are over are left out of the form; a form opened
        # before one ran out still sends it, and it is cleared on save.
        queryset = super().get_queryset(request)
        return queryset.filter(not_over()) if request.method == "GET" else queryset

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.section_id is not None:
            # A section's page has its top story only.
            kind = formset.form.base_fields["kind"]
            kind.choices = [(Slot.Kind.TOP, Slot.Kind.TOP.label)]
        return formset


@admin.register(Front)
class FrontAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "curated page")
    list_display = ["__str__", "top_story", "featured"]
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

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["section"]  # the front page exists: a new one is a section's
        return ["featured_count"] if obj.section_id is None else ["section"]

    def get_readonly_fields(self, request, obj=None):
        return ["section"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.base_fields["section"].required = True
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Places that are over were not in the form; they go with this save.
        Slot.objects.filter(front=form.instance).exclude(not_over()).delete()

    def has_delete_permission(self, request, obj=None):
        # The front page's places may be emptied, never the page itself.
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.section_id is not None
        )

    @admin.display(description=_("Top story"))
    def top_story(self, front):
        return front.top_slots[0].article if front.top_slots else _("the newest story")

    @admin.display(description=_("featured stories"))
    def featured(self, front):
        return front.featured_count if front.section_id is None else "—"


class BreakingForm(forms.ModelForm):
    class Meta:
        model = Breaking
        fields = ["article", "ends_at"]

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if "ends_at" in self.changed_data or self.instance.pk is None:
            time_to_come(ends_at, LONGEST_BREAKING)
        return ends_at

    def clean(self):
        cleaned_data = super().clean()
        article = cleaned_data.get("article")
        on = Breaking.objects.filter(article=article, ends_at__gt=timezone.now())
        if article is not None and on.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("This story is already marked breaking: change that mark's time instead.")
            )
        return cleaned_data


@admin.register(Breaking)
class BreakingAdmin(NewsroomAdmin):
    accusative_name = pgettext_lazy("accusative", "breaking news")
    form = BreakingForm
    list_display = ["article", "state", "started_at", "ends_at", "marked_by"]
    list_select_related = ["article", "marked_by"]
    autocomplete_fields = ["article"]
    actions = ["end_now"]

    def get_readonly_fields(self, request, obj=None):
        return ["started_at", "marked_by"] if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["article", "ends_at", *self.get_readonly_fields(request, obj)]

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
