from datetime import datetime, time, timedelta

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from articles.cache import PAGE_NUMBER
from articles.views import MAX_PAGE, SectionView

from .fronts import front_page
from .models import Front, Slot


def next_midnight():
    """In Kyiv: the front page's "14:32" means today until then."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time()))


class FrontView(TemplateView):
    template_name = "frontpage/front.html"

    def get(self, request, *args, **kwargs):
        number = request.GET.get("page", "1")
        if number != "1":
            # The front page was once a list of pages: send them on.
            if PAGE_NUMBER.fullmatch(number) and int(number) <= MAX_PAGE:
                return redirect(f"{reverse('articles:all')}?page={number}", permanent=True)
            raise Http404
        request.page_expires = next_midnight()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Without its row (never curated) the front page shows the newest.
        front = Front.objects.filter(section=None).first() or Front()
        return super().get_context_data(front=front_page(front), **kwargs)


class SectionFrontView(SectionView):
    """A section's page, led by the story editors placed at its top, or
    else its newest story."""

    template_name = "frontpage/section.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            stories = context["article_list"]
            pinned = (
                Slot.objects.showing()
                .filter(front__section=self.subject, kind=Slot.Kind.TOP)
                .select_related("article__section")
                .first()
            )
            top = pinned.article if pinned else next(iter(stories), None)
            if top is not None:
                context["top_story"] = top
                context["article_list"] = [story for story in stories if story.pk != top.pk]
        return context
