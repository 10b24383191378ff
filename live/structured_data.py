"""schema.org LiveBlogPosting, as Google documents it for its LIVE badge."""

from datetime import datetime

from django.utils.timezone import localtime

# An update without a title is named by the start of its text.
HEADLINE_LENGTH = 110


def live_blog_posting(news_article, coverage, updates):
    """The story's NewsArticle JSON-LD as a LiveBlogPosting with `updates`."""
    data = dict(news_article, **{"@type": "LiveBlogPosting"})
    data["coverageStartTime"] = localtime(coverage.started_at).isoformat()
    if coverage.ended_at and not coverage.is_on():
        data["coverageEndTime"] = localtime(coverage.ended_at).isoformat()
    latest = max((update.posted_at for update in updates), default=None)
    if latest:
        modified = max(datetime.fromisoformat(data["dateModified"]), latest)
        data["dateModified"] = localtime(modified).isoformat()
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": update.title or update.body_text()[:HEADLINE_LENGTH],
            "datePublished": localtime(update.posted_at).isoformat(),
            "dateModified": localtime(max(update.updated_at, update.posted_at)).isoformat(),
            "articleBody": update.body_text(),
            "url": f"{data['url']}#update-{update.pk}",
        }
        for update in updates
    ]
    return data
