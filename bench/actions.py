"""Reviewer actions under load, for bench/run: throughput of approve / edit / reject with 16
concurrent reviewers on distinct emails (wrk + actions.lua), and correctness under contention
(16 reviewers racing on the same 100 emails: exactly 100 decisions, 1,500 clean conflicts)."""
import http.cookiejar
import json
import os
import random
import re
import sqlite3
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench-reviewer-1"


class Database:
    """Reads the bench database directly (sqlite3 module or psql) to pick emails and check outcomes."""

    def __init__(self, url):
        self.url = url

    def rows(self, sql):
        if self.url.startswith("postgres"):
            out = subprocess.run(["psql", self.url, "-At", "-F", "\t"], input=sql + ";\n", check=True, capture_output=True, text=True).stdout
            return [line.split("\t") for line in out.splitlines() if line]
        with sqlite3.connect(self.url) as db:
            return [[str(v) for v in row] for row in db.execute(sql).fetchall()]

    def pending_ids(self, count, offset):
        sql = ("SELECT id FROM generated_emails WHERE status IN ('pending_review','sampled') AND claimed_by IS NULL "
               f"ORDER BY id LIMIT {count} OFFSET {offset}")
        return [int(row[0]) for row in self.rows(sql)]

    def decided(self, ids):
        listed = ",".join(map(str, ids))
        status = self.rows(f"SELECT COUNT(*) FROM generated_emails WHERE id IN ({listed}) AND status NOT IN ('pending_review','sampled')")[0][0]
        events = self.rows(f"SELECT COUNT(*) FROM review_events WHERE email_id IN ({listed}) AND action IN ('approve','edit','reject')")[0][0]
        per_email = self.rows(f"SELECT COUNT(*) FROM (SELECT email_id FROM review_events WHERE email_id IN ({listed}) "
                              "AND action IN ('approve','edit','reject') GROUP BY email_id HAVING COUNT(*) > 1) AS twice")[0][0]
        return int(status), int(events), int(per_email)


class Reviewer:
    """One logged-in reviewer: a session cookie and its CSRF token."""

    def __init__(self, base, email):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = self.opener.open(base + "/login").read().decode()
        token = re.search(r'name="_csrf" value="([^"]*)"', page).group(1)
        form = urllib.parse.urlencode({"_csrf": token, "email": email, "password": PASSWORD}).encode()
        self.opener.open(base + "/login", data=form)
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "greenlight_session")
        assert self.cookie, f"login failed for {email}"
        page = self.opener.open(base + "/review?client=1").read().decode()
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]*)"', page).group(1)

    def act(self, email_id, action):
        bodies = {"approve": "", "edit": "body=" + urllib.parse.quote("Rewritten in the race. " * 20), "reject": "reason=low_quality"}
        request = urllib.request.Request(f"{self.base}/review/{email_id}/{action}", data=bodies[action].encode(), method="POST", headers={
            "Cookie": self.cookie, "X-CSRF-Token": self.csrf, "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


def add_reviewers(bin_path, url, count):
    """Creates count SDRs assigned to every bench client (bcrypt makes this take a few seconds)."""
    clients = [f"Bench Client {c:02d}" for c in range(1, 21)]
    emails = []
    for n in range(1, count + 1):
        email = f"reviewer{n:02d}@greenlight.example"
        args = [bin_path, "user", "add", "--database", url, "--email", email, "--password", PASSWORD, "--role", "sdr", "--name", f"Reviewer {n:02d}"]
        for client in clients:
            args += ["--client", client]
        subprocess.run(args, check=True, capture_output=True)
        emails.append(email)
    return emails


def throughput(base, url, emails, seconds, wrk_parse):
    """16 reviewers (one wrk thread and connection each) deciding distinct emails for `seconds`."""
    database = Database(url)
    reviewers = [Reviewer(base, email) for email in emails]
    pending = int(database.rows("SELECT COUNT(*) FROM generated_emails WHERE status IN ('pending_review','sampled') AND claimed_by IS NULL")[0][0])
    per_reviewer = min(20_000, (pending - 200) // len(reviewers))  # the race takes 100 afterwards
    work = tempfile.mkdtemp(prefix="greenlight-actions-")
    all_ids = []
    for index, reviewer in enumerate(reviewers):
        ids = database.pending_ids(per_reviewer, index * per_reviewer)
        assert len(ids) == per_reviewer, f"not enough pending emails for reviewer {index + 1}"
        all_ids += ids
        with open(os.path.join(work, f"reviewer-{index + 1}.txt"), "w") as f:
            f.write(reviewer.cookie + "\n" + reviewer.csrf + "\n" + "\n".join(map(str, ids)) + "\n")
    out = subprocess.run(["wrk", "-t", str(len(reviewers)), "-c", str(len(reviewers)), "-d", f"{seconds}s", "--latency", "-s", os.path.join(HERE, "actions.lua"), base],
                         env=dict(os.environ, BENCH_ACTIONS_DIR=work), check=True, capture_output=True, text=True).stdout
    rps, p50, p99, errors = wrk_parse(out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    decided, events, twice = database.decided(all_ids)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests, "decided": decided, "events": events, "twice": twice}


def race(base, url, emails, size=100):
    """Every reviewer tries to decide the same `size` emails, each in its own random order, all at once."""
    database = Database(url)
    reviewers = [Reviewer(base, email) for email in emails]
    ids = database.pending_ids(size, 0)
    assert len(ids) == size, "not enough pending emails for the race"
    answers = {}
    lock = threading.Lock()
    start = threading.Barrier(len(reviewers))

    def run(index, reviewer):
        rng = random.Random(index)
        order = ids[:]
        rng.shuffle(order)
        start.wait()
        for email_id in order:
            status, body = reviewer.act(email_id, rng.choice(["approve", "approve", "edit", "reject"]))
            message = (body.get("error") or {}).get("message", "") if isinstance(body, dict) else ""
            with lock:
                answers.setdefault(status, []).append(message)

    threads = [threading.Thread(target=run, args=(index, reviewer)) for index, reviewer in enumerate(reviewers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    decided, events, twice = database.decided(ids)
    conflicts = answers.get(409, [])
    clean = sum(1 for message in conflicts if message.startswith("already reviewed by") or message.startswith("being reviewed by"))
    return {"ok": len(answers.get(200, [])), "conflicts": len(conflicts), "clean": clean,
            "other": {status: len(v) for status, v in answers.items() if status not in (200, 409)},
            "decided": decided, "events": events, "twice": twice, "attempts": size * len(reviewers)}
