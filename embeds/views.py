from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .providers import read_post


@require_GET
@staff_member_required
def check(request):
    """The editor's question "may this link be embedded?", answered with the
    allow-list's own words."""
    try:
        post = read_post(request.GET.get("url", ""))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)})
    return JsonResponse({"provider": post.provider, "url": post.url})
