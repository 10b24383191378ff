"""Scheduled stories come out exactly once, however many `deliver` workers
watch the clock (delivery/scheduler.py)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from delivery.models import Announcement, Purge
from delivery.scheduler import announce_due
from tests.factories import make_article, make_scheduled, make_section
from tests.test_purges import purged, purging, varnish  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_scheduled_story_is_announced_once_when_its_time_comes(purging):  # noqa: F811
    story = make_scheduled(after=timedelta(minutes=10), section=make_section())
    Purge.objects.all().delete()
    assert announce_due() == []
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert announce_due() == [story.pk]
        assert {f"a{story.pk}", "lists", "front", f"s{story.section_id}"} <= purged()
        Purge.objects.all().delete()
        assert announce_due() == []  # once
    assert not Purge.objects.exists()
    assert Announcement.objects.get().published_at == story.published_at


def test_a_story_published_at_once_is_announced_without_a_second_purge(purging):  # noqa: F811
    story = make_article(ago=timedelta(seconds=0))
    Purge.objects.all().delete()  # its save purged what it is on
    assert announce_due() == [story.pk]
    assert not Purge.objects.exists()


def test_a_story_rescheduled_is_announced_again_at_its_new_time(purging):  # noqa: F811
    story = make_scheduled(after=timedelta(minutes=5))
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert announce_due() == [story.pk]
        story.published_at = timezone.now() + timedelta(minutes=30)
        story.save()
    with time_machine.travel(timezone.now() + timedelta(minutes=40)):
        assert announce_due() == [story.pk]
    assert Announcement.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="workers on several nodes need PostgreSQL"
)
def test_workers_on_many_nodes_announce_a_story_once(purging):  # noqa: F811
    story = make_scheduled(after=timedelta(minutes=10), section=make_section())
    Purge.objects.all().delete()
    results, start = [], threading.Barrier(6)

    def worker():
        start.wait()
        try:
            results.append(announce_due())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results, key=len) == [[]] * 5 + [[story.pk]]
    assert Announcement.objects.count() == 1
    assert Purge.objects.count() == 1


def test_the_worker_announces_and_purges(varnish, capsys):  # noqa: F811
    story = make_article()
    call_command("deliver", "--once")
    output = capsys.readouterr().out
    assert f"announced {story.pk}" in output
    assert f"a{story.pk}" in output.split("purged ", 1)[1]
    assert any(f"a{story.pk}" in keys.split() for keys in varnish)
