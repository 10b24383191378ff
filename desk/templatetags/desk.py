from django import template

from desk.dashboard import desk_lists, unread

register = template.Library()


@register.inclusion_tag("desk/_dashboard.html", takes_context=True)
def desk_dashboard(context):
    user = context["request"].user
    notifications, summary = unread(user)
    return {"lists": desk_lists(user), "notifications": notifications, "summary": summary}
