"""RSS 2.0 and Atom feeds: the whole site, a section, a tag."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .html import plain_body
from .keys import page_shows, section_key, tag_key
from .marks import marks_of
from .models import Article, Section, Tag
from .views import with_bylines

FEED_LENGTH = 30


class RssWithContent(Rss201rev2Feed):
    """RSS whose items carry the full body in content:encoded, beside the lead."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(Atom1Feed):
    """Atom whose entries carry the full body as content, the lead as summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestRss(Feed):
    feed_type = RssWithContent

    def description(self, obj=None):
        return settings.SITE_DESCRIPTION if obj is None else _("Latest news: %s") % obj

    def title(self, obj=None):
        return settings.SITE_NAME if obj is None else f"{settings.SITE_NAME}: {obj}"

    def link(self, obj=None):
        # The site's feed is the home page's (its id in Atom: never to change).
        return "/" if obj is None else obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return with_bylines(self.articles(obj), "tags", "notes")[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Feed readers take the description (RSS) and summary (Atom) as HTML;
        # the lead is plain text, so its markup characters must stay text.
        return escape(item.lead)

    def item_pubdate(self, item):
        return localtime(item.published_at)

    def item_updateddate(self, item):
        return localtime(item.revised_at or item.published_at)

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.ordered_authors()) or _("Editorial staff")

    def item_categories(self, item):
        return [text for _, text in marks_of(item)] + [tag.name for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        return {"content": plain_body(item.body)}


class FilteredRss(LatestRss):
    """The feed of one section or tag, by its slug."""

    subject_model = None
    lookup = None  # how an article refers to the subject
    list_key = None  # the surrogate key of the subject's stories (articles/keys.py)

    def get_object(self, request, slug):
        return get_object_or_404(self.subject_model, slug=slug)

    def articles(self, obj):
        page_shows(self.list_key(obj.pk))
        return Article.objects.published().filter(**{self.lookup: obj})


class SectionRss(FilteredRss):
    subject_model, lookup = Section, "section"
    list_key = staticmethod(section_key)


class TagRss(FilteredRss):
    subject_model, lookup = Tag, "tags"
    list_key = staticmethod(tag_key)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        if not feed.items:
            raise Http404  # as its page: a tag only drafts use is not public
        return feed


class AsAtom:
    feed_type = AtomWithContent

    def subtitle(self, obj=None):
        return self.description(obj)


class LatestAtom(AsAtom, LatestRss):
    pass


class SectionAtom(AsAtom, SectionRss):
    pass


class TagAtom(AsAtom, TagRss):
    pass
