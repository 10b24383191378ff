"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

The live server serves static files through whitenoise, as production does,
not through Django's development handler.
"""

import os
import secrets
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = PROJECT / "screenshots"
# As root on a closed network: no sandbox, and no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = "Browser tests need Debian's Chromium: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


class RequestsInFlight:
    """Wraps the site: answers one request at a time, and knows when it is
    quiet. The server's threads share the test's one in-memory SQLite
    connection, which two requests must never use at once (the article form
    autosaves and sends heartbeats beside page loads); and they must be
    answered before a test's database is emptied under them."""

    def __init__(self, application):
        self.application, self.active, self.last = application, 0, time.monotonic()
        self.lock = threading.Lock()
        self.one_at_a_time = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.active += 1
        try:
            with self.one_at_a_time:
                return self.application(environ, start_response)
        finally:
            with self.lock:
                self.active -= 1
                self.last = time.monotonic()

    def wait_until_quiet(self, quiet=0.5, longest=10):
        deadline = time.monotonic() + longest
        while time.monotonic() < deadline:
            with self.lock:
                if self.active == 0 and time.monotonic() - self.last > quiet:
                    return
            time.sleep(0.05)


@pytest.fixture(scope="session")
def requests_in_flight():
    return []


@pytest.fixture(scope="session")
def site_server(django_db_setup, django_db_blocker, requests_in_flight):
    """The site on 127.0.0.1, static files by whitenoise (no development handler)."""
    # An in-memory SQLite test database exists only on the connection that made it.
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for connection in shared.values():
        connection.inc_thread_sharing()
    with django_db_blocker.unblock():

        def counted(handler):
            requests_in_flight.append(RequestsInFlight(handler))
            return requests_in_flight[-1]

        server = LiveServerThread("127.0.0.1", static_handler=counted, connections_override=shared)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
        server.terminate()
    for connection in shared.values():
        connection.dec_thread_sharing()


@pytest.fixture
def quiet_server(requests_in_flight):
    """Wait until the site has answered every request in flight. The test
    shares the in-memory database with the server's threads: read or write
    it only when they are not using it (an open form autosaves and sends
    heartbeats)."""

    def wait():
        for requests in requests_in_flight:
            requests.wait_until_quiet()

    return wait


@pytest.fixture
def site(site_server, transactional_db, settings, tmp_path, requests_in_flight):
    settings.MEDIA_ROOT = tmp_path
    call_command("loaddata", "seed", verbosity=0)
    yield site_server
    for requests in requests_in_flight:
        requests.wait_until_quiet()


def cancelled(request):
    # Aborted by the page or the browser itself: select2 drops its previous
    # lookup as the editor types on, a navigation drops the favicon fetch. A
    # missing file still counts (a 4xx response), and so does a server error.
    return request.failure == "net::ERR_ABORTED"


@pytest.fixture
def watched_page(page):
    """A page that notes console errors, script errors and failed requests."""
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda r: cancelled(r) or problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.problems = problems
    return page


@pytest.fixture
def account(django_user_model):
    """Make a staff account in a role, with a fresh random password."""
    from django.contrib.auth.models import Group

    def make(username, role):
        password = secrets.token_urlsafe(12)
        user = django_user_model.objects.create_user(username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return username, password

    return make


def log_in(page, site, username, password):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")


def serious_accessibility_violations(page):
    """axe-core's serious and critical findings on the page as it stands."""
    # Evaluated by the browser's tooling, not as a page script, which the
    # Content-Security-Policy would (rightly) block.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
