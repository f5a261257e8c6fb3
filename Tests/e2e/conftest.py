"""End-to-end fixtures: a real Greenlight server on a fresh SQLite database with demo data,
and headless Chromium sessions (with and without JavaScript, at laptop and phone sizes)."""
import os
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


class Server:
    """One Greenlight process serving the demo data from its own SQLite file."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="greenlight-e2e-")
        self.database = os.path.join(self.folder, "e2e.sqlite")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.folder, "server.log"), "w")
        env = dict(os.environ, GREENLIGHT_ROOT=ROOT)
        subprocess.run([BINARY, "demo", "--no-serve", "--database", self.database], check=True, env=env, cwd=self.folder, stdout=subprocess.DEVNULL)
        subprocess.run([BINARY, "user", "add", "--database", self.database, "--email", SECOND_EMAIL, "--password", SECOND_PASSWORD,
                        "--role", "sdr", "--name", "Kim Second", "--client", "Northwind Ledger"], check=True, env=env, cwd=self.folder, stdout=subprocess.DEVNULL)
        self.process = subprocess.Popen([BINARY, "serve", "--database", self.database, "--port", str(self.port)],
                                        env=env, cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("Greenlight did not start; see " + self.log.name)

    def query(self, sql, *args):
        with sqlite3.connect(self.database, timeout=10) as db:
            return db.execute(sql, args).fetchall()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def server():
    if not os.path.exists(BINARY):
        pytest.fail(f"{BINARY} is missing: run `swift build` first (Tests/run does)")
    instance = Server()
    print(f"\ne2e: Greenlight at {instance.base}, database {instance.database}; screenshots in {SCREENSHOTS}")
    yield instance
    instance.stop()
    instance.log.close()
    # After the whole journey: no password in clear in the database files or the server's log.
    for name in os.listdir(instance.folder):
        with open(os.path.join(instance.folder, name), "rb") as f:
            data = f.read()
        for secret in (DEMO_PASSWORD, SECOND_PASSWORD):
            assert secret.encode() not in data, f"{secret!r} found in clear in {name}"


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
    yield instance
    instance.quit()


@pytest.fixture
def second_browser():
    instance = make_browser(javascript=True, size="laptop")
    yield instance
    instance.quit()


def login(browser, server, email=DEMO_EMAIL, password=DEMO_PASSWORD):
    browser.get(server.base + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/review" in b.current_url)
