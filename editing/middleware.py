import json

from django.conf import settings
from django.urls import Resolver404, resolve

from .admin import UNSAVED_AFTER_LOGOUT
from .models import form_data

ARTICLE_FORMS = {"articles_article_change", "articles_article_add"}


class KeepFormPostedAfterLogout:
    """A save posted after the editor's session expired would meet the login
    page and lose every word. Keep its fields in the new session; once the
    editor logs in again, the form offers them back (EditingArticleAdmin).

    After CsrfViewMiddleware: only a post from our own form is kept, never
    one a hostile page made a logged-out browser send. Only from a browser
    that had a session, at most MAX_KEPT bytes, for an hour: a stranger
    cannot fill the session table."""

    MAX_KEPT = 1_000_000
    KEPT_SECONDS = 3600

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if (
            request.method != "POST"
            or request.user.is_authenticated
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.url_name not in ARTICLE_FORMS:
            return None
        data = form_data(request.POST)
        if len(json.dumps(data)) <= self.MAX_KEPT:
            request.session[UNSAVED_AFTER_LOGOUT] = {"path": request.path, "data": data}
            request.session.set_expiry(self.KEPT_SECONDS)
        return None
