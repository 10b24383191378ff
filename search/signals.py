"""Every change that alters what search reads re-indexes the articles it
touches, in the change's own transaction (loaddata's raw saves included)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Author, Byline, Tag, TaggedArticle, tags_merged

from .index import index_article, remove


@receiver(post_save, sender=Article, dispatch_uid="search-article-saved")
def article_saved(sender, instance, **kwargs):
    index_article(instance)


@receiver(post_delete, sender=Article, dispatch_uid="search-article-deleted")
def article_deleted(sender, instance, **kwargs):
    remove(instance.pk)


def reindex(articles):
    for article in articles:
        index_article(article)


@receiver(post_save, sender=TaggedArticle, dispatch_uid="search-tagged")
@receiver(post_delete, sender=TaggedArticle, dispatch_uid="search-untagged")
def tags_changed(sender, instance, **kwargs):
    reindex(Article.objects.filter(pk=instance.content_object_id))


@receiver(post_save, sender=Byline, dispatch_uid="search-byline-saved")
@receiver(post_delete, sender=Byline, dispatch_uid="search-byline-deleted")
def bylines_changed(sender, instance, **kwargs):
    reindex(Article.objects.filter(pk=instance.article_id))


@receiver(post_save, sender=Tag, dispatch_uid="search-tag-renamed")
def tag_renamed(sender, instance, created, raw, **kwargs):
    if not created and not raw:
        reindex(Article.objects.filter(tagged_items__tag=instance))


@receiver(tags_merged, dispatch_uid="search-tags-merged")
def tags_merged_into(sender, tag, **kwargs):
    reindex(Article.objects.filter(tagged_items__tag=tag))


@receiver(post_save, sender=Author, dispatch_uid="search-author-renamed")
def author_renamed(sender, instance, created, raw, **kwargs):
    if not created and not raw:
        reindex(Article.objects.filter(bylines__author=instance))
