from django import template
from django.utils import timezone
from django.utils.formats import date_format

from ..breaking import breaking_now

register = template.Library()


@register.inclusion_tag("frontpage/_banner.html", takes_context=True)
def breaking_banner(context):
    """The red banner linking to the latest breaking story, on every page
    but that story's own (which links to the one before it, if any)."""
    own_page = getattr(context.get("object"), "pk", None)
    return {"story": next((s for s in breaking_now() if s.pk != own_page), None)}


@register.filter
def clock(moment):
    """In Kyiv: "14:32" today, "25 листопада, 14:32" earlier this year,
    "25 січня 2025, 14:32" before."""
    moment, today = timezone.localtime(moment), timezone.localdate()
    if moment.date() == today:
        return date_format(moment, "H:i")
    return date_format(moment, "j E, H:i" if moment.year == today.year else "j E Y, H:i")
