"""End-to-end fixtures: for every test a real Greenlight server of its own, on its own copy of a SQLite
database with demo data (loaded once per session), and headless Chromium sessions (with and without
JavaScript, at laptop and phone sizes). No test sees what another one did, so any order works: the
tests run in a random order printed as "e2e order seed: N"; GREENLIGHT_E2E_SEED=N replays it."""
import base64
import contextlib
import datetime
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from zoneinfo import ZoneInfo

from fake_instantly import FakeInstantly

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.join(ROOT, ".build", "debug", "greenlight")
SCREENSHOTS = os.environ.get("GREENLIGHT_E2E_SCREENSHOTS", os.path.join(ROOT, ".build", "e2e-screenshots"))
DEMO_EMAIL = "demo@greenlight.example"
DEMO_PASSWORD = "greenlight-demo"
SECOND_EMAIL = "kim@greenlight.example"
SECOND_PASSWORD = "kim-reviews-too"
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_command(*arguments, cwd, env=None):
    """Runs one `greenlight` command to completion; its output goes into the failure message."""
    env = dict(os.environ, GREENLIGHT_ROOT=ROOT, **(env or {}))
    done = subprocess.run([BINARY, *arguments], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"`greenlight {' '.join(arguments)}` failed ({done.returncode}):\n{done.stdout}")


def assert_no_password_in_clear(folder):
    """No password in clear in the database files or the server's log."""
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        for secret in (DEMO_PASSWORD, SECOND_PASSWORD):
            assert secret.encode() not in data, f"{secret!r} found in clear in {name}"


def copy_database(source, target):
    """A consistent copy of one SQLite database through SQLite's backup API: whatever is still in the
    source's write-ahead log is included, and the copy is a single file with no -wal or -shm beside it."""
    with contextlib.closing(sqlite3.connect(source, timeout=10)) as origin, contextlib.closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


class DemoTemplate:
    """The demo data, loaded once per session by the real binary: every journey starts from a copy."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="greenlight-e2e-template-")
        self.database = os.path.join(self.folder, "demo.sqlite")
        started = time.monotonic()
        try:
            run_command("demo", "--no-serve", "--database", self.database, cwd=self.folder)
            run_command("user", "add", "--database", self.database, "--email", SECOND_EMAIL, "--password", SECOND_PASSWORD,
                        "--role", "sdr", "--name", "Kim Second", "--client", "Northwind Ledger", cwd=self.folder)
            assert_no_password_in_clear(self.folder)
        except BaseException:
            self.remove()
            raise
        self.seconds = time.monotonic() - started

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)


class Server:
    """One Greenlight process serving its own copy of the demo data from its own folder."""

    def __init__(self, template, name="e2e", env=None, prepare=None):
        """`env` is added to the server's environment; `prepare(server)` runs on the copied database before it starts."""
        started = time.monotonic()
        self.env = env or {}
        self.folder = tempfile.mkdtemp(prefix=f"greenlight-e2e-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)[:60]}-")
        self.database = os.path.join(self.folder, "e2e.sqlite")
        self.log_path = os.path.join(self.folder, "server.log")
        self.process = None
        try:
            copy_database(template.database, self.database)
            if prepare:
                prepare(self)
            self.start()
        except BaseException:
            self.stop()
            self.remove()
            raise
        self.seconds = time.monotonic() - started

    def start(self):
        env = dict(os.environ, GREENLIGHT_ROOT=ROOT, **self.env)
        for _ in range(3):
            self.port = free_port()
            self.base = f"http://127.0.0.1:{self.port}"
            with open(self.log_path, "a") as log:
                self.process = subprocess.Popen([BINARY, "serve", "--database", self.database, "--port", str(self.port)],
                                                env=env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
            if self.wait_until_healthy():
                return
            if self.process.poll() is None:
                break
            # The process ended (say, someone took the free port in the meantime): try another port.
        self.stop()
        raise RuntimeError("Greenlight did not start:\n" + self.log_text())

    def wait_until_healthy(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=1) as answer:
                    # ...and our process still runs: not another one that took the port in the meantime.
                    if answer.status == 200 and self.process.poll() is None:
                        return True
            except OSError:
                time.sleep(0.05)
        return False

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return "(no log)"

    def query(self, sql, *args):
        with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as db:
            return db.execute(sql, args).fetchall()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_template():
    if not os.path.exists(BINARY):
        pytest.fail(f"{BINARY} is missing: run `swift build` first (Tests/run does)")
    template = DemoTemplate()
    print(f"\ne2e: demo data loaded in {template.seconds:.1f}s into {template.database}; screenshots in {SCREENSHOTS}")
    yield template
    template.remove()


@pytest.fixture
def server(demo_template, request):
    """A server of the test's own, on a copy of the demo data: no journey sees what another one did."""
    yield from serving(Server(demo_template, request.node.name), request)


@pytest.fixture
def export_server(demo_template, request):
    """A server of the test's own that can export to a fake Instantly on loopback: it has a secret key
    but no sequencer key yet (the journey connects Instantly from the export page), and today's and
    yesterday's scheduled runs are recorded as done, so only the journey's "run now" exports (the
    schedule would otherwise catch up once a key is connected whenever the export hour has passed).
    The fake is `server.sequencer`."""
    fake = FakeInstantly("e2e-instantly-key-3f9a")
    env = {"GREENLIGHT_SECRET_KEY": base64.b64encode(os.urandom(32)).decode(), "GREENLIGHT_INSTANTLY_BASE_URL": fake.base}

    def prepare(instance):
        with contextlib.closing(sqlite3.connect(instance.database, timeout=10)) as db, db:
            client_id, zone = db.execute("SELECT id, timezone FROM clients WHERE name = 'Northwind Ledger'").fetchone()
            today = datetime.datetime.now(ZoneInfo(zone)).date()
            for day in (today - datetime.timedelta(days=1), today):
                db.execute("INSERT INTO export_runs (client_id, kind, status, run_trigger, local_day, started_at, finished_at) "
                           "VALUES (?, 'instantly', 'finished', 'schedule', ?, ?, ?)", (client_id, day.isoformat(), int(time.time() * 1000), int(time.time() * 1000)))

    try:
        instance = Server(demo_template, request.node.name, env=env, prepare=prepare)
        instance.sequencer = fake
        yield from serving(instance, request)
    finally:
        fake.stop()


def serving(instance, request):
    """Yields the running server; then stops it, keeps its log when the test failed, checks that no
    password is in clear in its files, and removes it."""
    try:
        yield instance
    finally:
        instance.stop()
        try:
            if failed(request):
                kept = kept_path(request, "-server.log")
                shutil.copyfile(instance.log_path, kept)
                print(f"e2e: the server's log is kept in {kept}")
            assert_no_password_in_clear(instance.folder)
        finally:
            instance.remove()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Lets the server fixture know whether the test itself failed (then it keeps the server's log)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


ORDER_SEED = pytest.StashKey[int]()


def pytest_configure(config):
    """The journeys run in a random order, a new one each run unless GREENLIGHT_E2E_SEED names it:
    each journey has its own server and data, so the order must not matter, and a failure that
    depends on it can be replayed with the seed printed at the start and the end of the run."""
    text = os.environ.get("GREENLIGHT_E2E_SEED", "").strip()
    if text and not text.isdigit():
        raise pytest.UsageError(f"GREENLIGHT_E2E_SEED={text!r}: use a whole number, such as the one a run printed")
    config.stash[ORDER_SEED] = int(text) if text else random.randrange(10**6)


def order_line(config):
    seed = config.stash[ORDER_SEED]
    return f"e2e order seed: {seed} (GREENLIGHT_E2E_SEED={seed} replays this order with the same selection of tests)"


def pytest_report_header(config):
    return order_line(config)


def pytest_collection_modifyitems(config, items):
    random.Random(config.stash[ORDER_SEED]).shuffle(items)


def pytest_terminal_summary(terminalreporter, config):
    """The seed again at the end, beside the failures (`-q` leaves out the header)."""
    terminalreporter.write_line(order_line(config))


def make_browser(javascript=True, size="laptop"):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    width, height = SIZES[size]
    browser.set_window_size(width, height)
    browser.javascript = javascript
    browser.size_name = size
    return browser


@pytest.fixture(params=[("js", "laptop"), ("js", "phone"), ("nojs", "laptop"), ("nojs", "phone")], ids=lambda p: f"{p[0]}-{p[1]}")
def browser(request):
    mode, size = request.param
    instance = make_browser(javascript=(mode == "js"), size=size)
    try:
        yield instance
        keep_failure_screenshot(request, instance)
    finally:
        instance.quit()


@pytest.fixture(params=["laptop", "phone"], ids=lambda size: f"js-{size}")
def js_browser(request):
    """A browser with JavaScript, at laptop and phone sizes: for what only the script does (keyboard shortcuts)."""
    instance = make_browser(javascript=True, size=request.param)
    try:
        yield instance
        keep_failure_screenshot(request, instance)
    finally:
        instance.quit()


def failed(request):
    report = getattr(request.node, "rep_call", None)
    return report is not None and report.failed


def kept_path(request, suffix):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    return os.path.join(SCREENSHOTS, re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-") + suffix)


def keep_failure_screenshot(request, browser):
    """A failed test leaves the page it failed on, and the browser's console, next to the screenshots."""
    if not failed(request):
        return
    try:
        path = kept_path(request, "-failure.png")
        browser.save_screenshot(path)
        with open(kept_path(request, "-failure-console.txt"), "w") as f:
            f.write(browser.current_url + "\n" + "\n".join(f"{e['level']} {e['message']}" for e in browser.get_log("browser")))
        print(f"e2e: the page the test failed on is kept in {path}")
    except Exception as error:  # the browser may be gone; the failure itself is what matters
        print(f"e2e: no failure screenshot ({error})")


def login(browser, server, email=DEMO_EMAIL, password=DEMO_PASSWORD):
    browser.get(server.base + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/review" in b.current_url, f"logging in as {email} did not open the queue")
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return document.readyState") == "complete", "the queue did not finish loading")
