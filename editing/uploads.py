"""Photos uploaded with a form that was then refused: held on the server,
named in the form by a signed token, so that the next save takes them
without the editor choosing the file again."""

import os
import secrets
from datetime import timedelta

from django.core import signing
from django.core.files import File

from articles.images import originals_storage

HELD = "held"
SALT = "editing.held-photo"
# A prepared change may wait for an editor a while; its photo with it.
KEPT = timedelta(days=30)


def hold(upload, user, article=None):
    """Keep an upload. Its token is for this user's forms; or, with no user,
    for the forms of this article (a prepared change's photo)."""
    extension = os.path.splitext(upload.name or "")[1][:10].lower()
    upload.seek(0)
    stored = originals_storage().save(f"{HELD}/{secrets.token_hex(8)}/photo{extension}", upload)
    return token_for(stored, user, article)


def token_for(name, user, article=None):
    return signing.dumps(
        {"name": name, "user": user and user.pk, "article": article and article.pk}, salt=SALT
    )


def held_name(token, user, article=None):
    """The stored name a token stands for, if it is for this user or this
    article's forms; None if forged, expired or someone else's."""
    held = token_contents(token)
    if held is None:
        return None
    if held["user"] is not None and held["user"] != user.pk:
        return None
    if held["user"] is None and (article is None or held.get("article") != article.pk):
        return None
    return held["name"] if originals_storage().exists(held["name"]) else None


def token_contents(token):
    """What a token says. A user's token lasts KEPT; a prepared change's (no
    user) as long as the change: pruning keeps the files changes name."""
    try:
        return signing.loads(token, salt=SALT, max_age=KEPT)
    except signing.SignatureExpired:
        held = signing.loads(token, salt=SALT)
        return held if held.get("user") is None else None
    except signing.BadSignature:
        return None


def held_file(name):
    storage = originals_storage()
    return File(storage.open(name), name=os.path.basename(name))
