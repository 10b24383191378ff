"""A live page's updates as RSS and Atom, newest first."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.html import plain_body
from articles.models import Article

from .page import updates_of

FEED_ITEMS = 50


class LiveRss(Feed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published().filter(live__is_live=True), slug=slug)

    def title(self, article):
        return _("%(headline)s: live") % {"headline": article.headline}

    def link(self, article):
        return article.get_absolute_url()

    def description(self, article):
        return article.lead

    def items(self, article):
        return updates_of(article.pk).select_related("article").newest_first()[:FEED_ITEMS]

    def item_title(self, update):
        return str(update)

    def item_description(self, update):
        return plain_body(update.body)

    def item_link(self, update):
        return f"{update.article.get_absolute_url()}#update-{update.pk}"

    def item_pubdate(self, update):
        return update.posted_at

    def item_updateddate(self, update):
        return max(update.updated_at, update.posted_at)

    def item_author_name(self, update):
        return update.signature


class LiveAtom(LiveRss):
    feed_type = Atom1Feed
    subtitle = LiveRss.description
