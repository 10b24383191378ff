"""What readers get when something fails: a page in Ukrainian, never a trace."""

import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)
# How long browsers and crawlers should wait before asking again.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exception):
    return isinstance(exception, OperationalError | InterfaceError)


def server_error(request):
    """handler500: the database being unreachable is a 503 (come back soon),
    anything else a 500. Rendered without context processors or the
    database, which may be what failed."""
    if database_unavailable(sys.exc_info()[1]):
        logger.error("The database is unavailable: answering 503 to %s", request.path)
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def alive(request):
    """For the load balancer or Varnish: this process answers. It says
    nothing of the database or Redis, which every node shares: if they fail,
    every node would be dropped at once, while the cache in front could
    still answer with the pages it holds."""
    response = JsonResponse({"process": "ok"})
    add_never_cache_headers(response)
    return response


def ready(request):
    """For a deploy or an orchestrator: may this node take readers now?
    The database answers with every migration of this release applied (the
    release step runs them: README), and the cache answers."""
    state = {}
    try:
        state["database"] = "ok" if migrated() else "migrations not applied"
    except DatabaseError as error:
        state["database"] = f"unavailable: {type(error).__name__}"
    try:
        if hasattr(cache, "ping"):  # Redis; its reads and writes never raise
            cache.ping()
        cache.set("newsroom:health", 1, 10)
        state["cache"] = "ok" if cache.get("newsroom:health") == 1 else "not storing"
    except Exception as error:  # any backend's failure means the same here
        state["cache"] = f"unavailable: {type(error).__name__}"
    healthy = all(value == "ok" for value in state.values())
    response = JsonResponse(state, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


def migrated():
    """Every migration this code has is applied (remembered once true: a
    release never un-applies one under a running node)."""
    global all_migrated
    if all_migrated:
        with connection.cursor() as cursor:  # still reachable?
            cursor.execute("SELECT 1")
    else:
        executor = MigrationExecutor(connection)
        all_migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return all_migrated


all_migrated = False
