import json

from django.conf import settings

from .admin import UNSAVED_AFTER_LOGOUT
from .models import form_data

ARTICLE_FORMS = {"articles_article_change", "articles_article_add"}
# Who last edited in this browser, signed; it outlives the session.
EDITOR_COOKIE = "newsroom_editor"
EDITOR_SALT = "editing.editor-cookie"
EDITOR_COOKIE_AGE = 30 * 24 * 3600


class KeepFormPostedAfterLogout:
    """A save posted after the editor's session expired would meet the login
    page and lose every word. Keep its fields in the new session; once the
    same editor logs in again, the form offers them back (EditingArticleAdmin).

    Kept only for a browser an editor worked in (a signed cookie names them)
    and given back only to that editor: a stranger can neither fill the
    session table nor read what someone else typed. After CsrfViewMiddleware:
    a post a hostile page made a logged-out browser send is never kept."""

    MAX_KEPT = 1_000_000

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            return response  # reader pages: nobody's session is looked up for this
        user = getattr(request, "user", None)
        is_editor = user is not None and user.is_authenticated and user.is_staff
        if is_editor and self.editor_of(request) != user.pk:
            response.set_signed_cookie(
                EDITOR_COOKIE,
                user.pk,
                salt=EDITOR_SALT,
                max_age=EDITOR_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def editor_of(request):
        """The id of the editor who last worked in this browser, or None."""
        value = request.get_signed_cookie(
            EDITOR_COOKIE, default="", salt=EDITOR_SALT, max_age=EDITOR_COOKIE_AGE
        )
        return int(value) if value.isdigit() else None

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST" or request.user.is_authenticated:
            return None
        editor = self.editor_of(request)
        if editor is None or request.resolver_match.url_name not in ARTICLE_FORMS:
            return None
        data = form_data(request.POST)
        if len(json.dumps(data)) <= self.MAX_KEPT:
            request.session[UNSAVED_AFTER_LOGOUT] = {
                "path": request.path,
                "user": editor,
                "data": data,
            }
        return None
