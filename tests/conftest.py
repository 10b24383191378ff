from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from articles.models import Article

SEED_STORY = Path(__file__).parent / "data" / "defence-ministers-story.txt"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached from another test's data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos each test uploads go to folders of its own: the renditions
    readers get (returned), and the private originals beside them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ORIGINALS_ROOT = tmp_path / "originals"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def seed_lines():
    """The seed page as the newsroom gave it, numbered from 1 like its README."""
    return [None, *SEED_STORY.read_text(encoding="utf-8").split("\n")]


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)
    return Article.objects.get(pk=1)


@pytest.fixture
def soup_of(client):
    """GET a URL and parse the page, checking its status code."""

    def get(url, using=client, status=200):
        response = using.get(url)
        assert response.status_code == status, (url, response.status_code)
        return BeautifulSoup(response.content, "html.parser")

    return get


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor}"


def member_of(django_user_model, role):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        f"{role.lower()}-user", password="unused-in-tests", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def reporter(db, django_user_model):
    from articles.roles import REPORTER

    return member_of(django_user_model, REPORTER)


@pytest.fixture
def editor(db, django_user_model):
    from articles.roles import EDITOR

    return member_of(django_user_model, EDITOR)


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
