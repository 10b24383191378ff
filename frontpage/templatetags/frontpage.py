from django import template
from django.utils import timezone
from django.utils.formats import date_format

from ..breaking import breaking_now

register = template.Library()


@register.inclusion_tag("frontpage/_banner.html", takes_context=True)
def breaking_banner(context):
    """The red banner linking to the latest breaking story, on every page
    but that story's own."""
    story = next(iter(breaking_now()), None)
    own_page = context.get("object")
    if story is not None and own_page is not None and getattr(own_page, "pk", None) == story.pk:
        story = None
    return {"story": story}


@register.filter
def clock(moment):
    """ "14:32" for today in Kyiv, "25 січня, 14:32" for an earlier day."""
    moment = timezone.localtime(moment)
    if moment.date() == timezone.localdate():
        return date_format(moment, "H:i")
    return date_format(moment, "j E, H:i")
