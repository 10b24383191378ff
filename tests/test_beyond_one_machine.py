"""What running as a cluster needs of each node: clients' addresses through
the proxies, health for the load balancer and for deploys, a namespace of
its own in a shared Redis, and the Varnish configuration it ships."""

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from newsroom import errors
from newsroom.client_ip import client_ip
from newsroom.replicas import REPLICA, ReplicaRouter, ReplicaState, reading_replica

pytestmark = pytest.mark.django_db
DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


@pytest.fixture
def behind_varnish(settings):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]


def request_from(address, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=address, **headers)


@pytest.mark.parametrize(
    ("address", "forwarded", "client"),
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),  # through Varnish
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the first is the client's word
        ("127.0.0.1", "203.0.113.7, 127.0.0.1", "203.0.113.7"),  # two of our proxies
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: the header is a lie
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", None, "127.0.0.1"),
    ],
)
def test_the_clients_address_is_read_through_trusted_proxies_only(
    behind_varnish, address, forwarded, client
):
    assert client_ip(request_from(address, forwarded)) == client
    assert client_ip(request_from(address, forwarded)) == client


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def login(client, address, password):
    return client.post(
        "/admin/login/",
        {"username": "editor-user", "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_wrong_passwords_behind_varnish_lock_out_the_guesser_not_the_editor(
    behind_varnish, client, editor
):
    editor.set_password("the right password 1")
    editor.save()
    for _ in range(5):
        login(client, "198.51.100.66", "a wrong guess")
    assert login(client, "198.51.100.66", "the right password 1").status_code == 429
    # The editor, at another address behind the same Varnish, gets in.
    assert login(client, "203.0.113.7", "the right password 1").status_code == 302


def test_alive_says_only_that_the_process_answers(client, monkeypatch):
    monkeypatch.setattr(errors, "migrated", lambda: 1 / 0)  # nothing else is asked
    response = client.get("/health/alive/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_a_node_is_not_ready_before_the_release_step_migrated(client, monkeypatch):
    monkeypatch.setattr(errors, "all_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["database"] == "migrations not applied"
    monkeypatch.undo()
    monkeypatch.setattr(errors, "all_migrated", False)
    assert client.get("/health/ready/").json() == {"database": "ok", "cache": "ok"}


def test_reader_reads_go_to_the_replica_and_nothing_else(settings):
    router = ReplicaRouter()
    assert router.db_for_read(None) is None
    token = reading_replica.set(True)
    try:
        assert router.db_for_read(None) == REPLICA
        assert router.db_for_write(None) is None  # saves go to the primary
    finally:
        reading_replica.reset(token)
    assert not router.allow_migrate(REPLICA, "articles")
    assert router.allow_migrate("default", "articles")


class FakeReplica:
    """A replica connection that has replayed up to `replayed`, or fails."""

    def __init__(self, replayed=None, fails=False):
        self.replayed, self.fails, self.asked = replayed, fails, 0

    @contextlib.contextmanager
    def cursor(self):
        self.asked += 1
        if self.fails:
            raise OperationalError("the replica is down")
        yield self

    def execute(self, sql):
        pass

    def fetchone(self):
        return (self.replayed,)

    def close(self):
        pass


def test_a_page_is_read_from_the_replica_only_once_it_has_replayed_the_generation(
    monkeypatch,
):
    replica = FakeReplica(replayed=100)
    monkeypatch.setattr("newsroom.replicas.connections", {REPLICA: replica})
    state = ReplicaState()
    assert state.caught_up(100)
    assert not state.caught_up(101)  # an edit it has not replayed yet
    replica.replayed = 150
    assert state.caught_up(120)
    asked = replica.asked
    assert state.caught_up(110)  # known already: no question asked
    assert replica.asked == asked
    assert not state.caught_up(None)  # no position: the primary


def test_a_replica_that_fails_is_left_alone_for_a_while(monkeypatch):
    replica = FakeReplica(fails=True)
    monkeypatch.setattr("newsroom.replicas.connections", {REPLICA: replica})
    state = ReplicaState()
    assert not state.caught_up(1)
    replica.fails, replica.replayed = False, 10
    assert not state.caught_up(1)  # not asked again at once
    assert replica.asked == 1
    monkeypatch.setattr(state, "down_until", 0)
    assert state.caught_up(1)  # back


def test_the_varnish_configuration_compiles(tmp_path):
    varnishd = shutil.which("varnishd") or shutil.which("/usr/sbin/varnishd")
    if varnishd is None:
        pytest.fail("varnishd is missing: apt-get install varnish varnish-modules")
    shutil.copy(DEPLOY / "varnish" / "backends.example.vcl", tmp_path / "backends.vcl")
    result = subprocess.run(
        [
            varnishd,
            # The compiler reads the test's folder as this user, not Varnish's.
            *(["-j", "none"] if os.geteuid() == 0 else []),
            "-C",
            "-f",
            DEPLOY / "varnish" / "newsroom.vcl",
            "-p",
            f"vcl_path={tmp_path}:{DEPLOY / 'varnish'}",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_sites_sharing_a_redis_hear_only_their_own_changes():
    from newsroom.redis_cache import ReusedClientRedisCache

    def site(namespace):
        return ReusedClientRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": namespace})

    news, sport = site("news"), site("sport")
    listening = sport.subscribe("content-changed")
    while listening.get_message(timeout=0.2) is not None:
        pass  # the subscription's own confirmation
    news.publish("content-changed")
    assert listening.get_message(timeout=0.5) is None
    sport.publish("content-changed")
    assert listening.get_message(timeout=2)["type"] == "message"


@pytest.mark.parametrize(
    ("address", "forwarded", "client"),
    [
        ("::ffff:127.0.0.1", "203.0.113.7", "203.0.113.7"),  # gunicorn bound to [::]
        ("127.0.0.1", "203.0.113.7:4711", "203.0.113.7"),  # a balancer adding the port
        ("127.0.0.1", "[2001:db8::7]:4711", "2001:db8::7"),
        ("127.0.0.1", "198.51.100.1, garbage, 127.0.0.1", "127.0.0.1"),
    ],
)
def test_the_clients_address_as_proxies_write_it(behind_varnish, address, forwarded, client):
    assert client_ip(request_from(address, forwarded)) == client


def test_a_new_release_never_serves_copies_the_old_one_kept(client, settings):
    from tests.factories import make_article

    url = make_article().get_absolute_url()
    client.get(url)
    settings.RELEASE = "second"
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0  # rendered again by the new release


def test_the_release_step_migrates_collects_and_purges_nothing(settings, tmp_path):
    from delivery.models import Purge

    settings.PURGE_URLS = ["http://127.0.0.1:9/"]
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("release", verbosity=0)
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert not Purge.objects.exists()  # `purge site` comes once every node runs it
