from django.apps import apps
from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Index every published article for site search anew (after a bulk import, say)."

    def handle(self, *args, **options):
        count = rebuild(
            apps.get_model("articles", "Article"),
            apps.get_model("search", "Entry"),
            apps.get_model("search", "Word"),
            apps.get_model("articles", "TaggedArticle"),
            apps.get_model("articles", "Byline"),
        )
        if options["verbosity"]:
            self.stdout.write(f"Indexed {count} articles.")
