"""The production server in processes of its own, for what one test process
cannot show: app servers sharing a cache, a database going away."""

import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from tests.form_fields import fields_of

PROJECT = Path(__file__).resolve().parent.parent
SHARED_REDIS = "redis://127.0.0.1:6379/14"  # flushed by every site_environment


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_environment(directory, **settings):
    """Production settings for a site whose SQLite database and media live in
    `directory`, sharing SHARED_REDIS; `settings` override any of them."""
    import redis

    redis.Redis.from_url(SHARED_REDIS).flushdb()
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{directory}/site.sqlite3",
        "CACHE_URL": SHARED_REDIS,
        "MEDIA_ROOT": str(directory / "media"),
        "WEB_CONCURRENCY": "1",
        **settings,
    }
    return environment


def recreate_postgres_database(server, name):
    """An empty database `name` on the PostgreSQL at `server` (a URL without
    a database), replacing any left by an earlier run."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def manage(environment, *command):
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A browser without JavaScript on one site: it keeps cookies and shows
    redirects instead of following them."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            NoRedirects, urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def request(self, path, data=None, headers=None):
        """(status, headers, text) of a GET, or of a POST of the form `data`."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path, **kwargs):
        return self.request(path, **kwargs)

    def log_in(self, username, password, admin="/admin/"):
        status, _, page = self.get(f"{admin}login/")
        assert status == 200, page
        status, _, page = self.request(
            f"{admin}login/",
            data={"username": username, "password": password, **csrf_of(page)},
        )
        assert status == 302, page  # to the admin index: logged in

    def post_form(self, path, data):
        """Open the form at `path` (for its CSRF token), then post `data` to it."""
        status, _, page = self.get(path)
        assert status == 200, page
        return self.request(path, data={**data, **csrf_of(page)})

    def submit_form(self, path, form_id, changes):
        """Open the form at `path` and submit it as it stands, with `changes`;
        the answer to the GET if that failed."""
        answer = self.get(path)
        if answer[0] != 200:
            return answer
        return self.request(path, data={**fields_of(answer[2], form_id), **changes})


class AppServer(Browser):
    """gunicorn on 127.0.0.1 (on a free port unless given one), with a
    Browser on it."""

    def __init__(self, environment, port=None, log=subprocess.DEVNULL):
        self.port = port or free_port()
        super().__init__(f"http://127.0.0.1:{self.port}")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=PROJECT,
            env={**environment, "BIND": f"127.0.0.1:{self.port}"},
            stderr=log,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the app server did not start") from None
                time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def csrf_of(page):
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return {"csrfmiddlewaretoken": token}


class TcpProxy:
    """A TCP relay to a local port, on a port of its own, that a test can cut
    (as if that host went down) and restore."""

    def __init__(self, target_port, port=None):
        self.target_port = target_port
        self.port = port or free_port()
        self.connections = []
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # cut
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=relay, args=(source, sink), daemon=True).start()

    def cut(self):
        for connection in [self.listener, *self.connections]:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def restored(self):
        return TcpProxy(self.target_port, port=self.port)


def relay(source, sink):
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
