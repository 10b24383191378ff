"""A large generated archive, for scale tests and the benchmark."""

from datetime import timedelta

from django.utils import timezone

from .cache import new_generation
from .models import Article, Byline, Tag, TaggedArticle


def generate_archive(count, sections, author, tag_name, every=timedelta(minutes=1)):
    """`count` articles in a few queries, one `every` so long back from now:
    four in five published, the rest drafts; every third by `author`, every
    second tagged `tag_name`."""
    now = timezone.now()
    articles = []
    for n in range(count):
        article = Article(
            headline=f"Архівна новина {n}",
            slug=f"arkhivna-novyna-{n}",
            lead=f"Лід архівної новини {n}.",
            body=f"<p>Текст архівної новини {n}.</p>",
            section=sections[n % len(sections)],
            status=Article.Status.PUBLISHED if n % 5 else Article.Status.DRAFT,
            published_at=now - every * (n + 1),
        )
        # As save() would record it: when readers first saw it.
        article.first_published_at = article.published_at if n % 5 else None
        articles.append(article)
    articles = Article.objects.bulk_create(articles)
    Byline.objects.bulk_create(Byline(article=a, author=author) for a in articles[::3])
    tag = Tag.objects.get_or_create(name=tag_name)[0]
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=a, tag=tag) for a in articles[::2]
    )
    # Bulk writes send no signal: readers see the archive from now on, as
    # after a save.
    new_generation()
    return articles
