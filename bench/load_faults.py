"""Load with a fault: signed-in readers and writers against gunicorn on PostgreSQL while
PostgreSQL restarts in the middle of the run (issue 15 part 7).

Needs a PostgreSQL database with the demo (see bench/README.md, "Load and faults")::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_ops uv run python bench/load_faults.py

By default it runs ``collectstatic`` and starts gunicorn itself (production settings:
``DEBUG=0``, 3 workers, on a free port); ``--url`` takes a server already running on the
same database instead. ``--readers`` clients (30) sign in as the demo users and read lists
and dashboards; ``--creators`` clients (10) sign in as the two demo officers and create
aspirations through the form's JSON answer, each with a new submission token; a create that
gets no answer or a 5xx is sent again with the same token, as the phone's draft queue does,
until it is acknowledged. No think time: each client sends its next request when the last
one is answered. At half of ``--duration`` (60 s) ``--restart`` (``pg_ctlcluster
--skip-systemctl-redirect 15 main restart``) runs; the database counts as back when a new
connection succeeds.

Printed: requests, their statuses, p50/p95 latency of reads and creates, errors per 5 s,
the aspirations found in the database with the tokens sent against the acknowledged
creates (an acknowledged create without its row is a lost write), the errors of requests
sent after the database was back, and whether the same gunicorn workers served on.
Uses only the standard library and psycopg (in pyproject).
"""

import argparse
import html
import http.client
import os
import re
import secrets
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sign_in  # noqa: E402  (bench/sign_in.py: the TOTP code)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "kkportal-demo"
READER_USERS = ["demo-program", "demo-fasilitator", "demo-dprd", "demo-pengurus", "demo-admin"]
CREATOR_USERS = ["demo-pengurus", "demo-pengurus-2"]
#: Users who must give a TOTP code after the password (``kk_portal.second_factor``).
SECOND_FACTOR_USERS = {"demo-program", "demo-admin"}
#: Lists and dashboards; each reader keeps those its user may open (answer 200 at start).
READ_PATHS = [
    "/",
    "/dashboard/",
    "/aspirations/",
    "/aspirations/?stage=recorded",
    "/aspirations/stuck/",
    "/aspirations/musrenbang/",
    "/groups/",
    "/members/",
    "/reses/",
    "/activities/",
    "/assistance/",
    "/publik/",
]
TIMEOUT = 30


class FormFields(HTMLParser):
    """The fields of a page's forms as a person would send them: ``forms`` is a list of
    ``{name: value}``, a select at its selected option (a required one left at "- choose -"
    at its first real option); ``options`` holds each select's option values."""

    def __init__(self):
        super().__init__()
        self.forms, self.options = [], {}
        self._form = self._select = None
        self._required, self._selected = False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "file", "button"}:
                self._form[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and "name" in attrs:
            self._form[attrs["name"]] = ""
        elif tag == "select" and "name" in attrs:
            self._select, self._required, self._selected = attrs["name"], "required" in attrs, None
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._selected = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            options = self.options[self._select]
            value = self._selected if self._selected is not None else next(iter(options), "")
            if self._required and not value:
                value = next((option for option in options if option), "")
            self._form[self._select] = value
            self._select = None
        elif tag == "form":
            self._form = None

    def creation_form(self):
        """The form holding a ``submission_token`` (a create form)."""
        return next(form for form in self.forms if "submission_token" in form)


class Client:
    """One signed-in browser: its own cookies, one keep-alive connection, and every request
    recorded as ``(started s, kind, status, ms)`` (status 0: no answer)."""

    def __init__(self, base, record):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"https://{parts.hostname}:{self.port}"
        self.cookies = {}
        self.record = record
        self.conn = None

    def request(self, method, path, kind, body=None, accept="text/html"):
        headers = {
            "Host": f"{self.host}:{self.port}",
            # The reverse proxy's header (README, Production): the site runs as on HTTPS.
            "X-Forwarded-Proto": "https",
            "Accept": accept,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if method == "POST":
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.origin,
                    "Referer": self.origin + path,
                    "X-CSRFToken": self.cookies.get("csrftoken", ""),
                }
            )
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            for raw in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(raw).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            status = response.status
        except (OSError, http.client.HTTPException):
            if self.conn is not None:
                self.conn.close()
            self.conn, status, data = None, 0, b""
        if kind:
            self.record(started, kind, status, (time.monotonic() - started) * 1000)
        return status, data

    def sign_in(self, username):
        """Sign in as ``username``, with the TOTP code where the site asks for one; a user
        signed in before shares that session (``SESSIONS``), as one person's phone and laptop
        would, because django-otp refuses a code twice in its 30-second step."""
        with SESSIONS_LOCK:
            if username in SESSIONS:
                self.cookies = dict(SESSIONS[username])
                return
            status, _page = self.request("POST", "/accounts/login/", None, self._login(username))
            if status != 302:
                sys.exit(
                    f"{username} cannot sign in (status {status}): load the demo with "
                    "manage.py seed_demo (bench/README.md, Load and faults)."
                )
            for attempt in range(3 if username in SECOND_FACTOR_USERS else 0):
                path = "/accounts/code/"
                status, page = self.request("GET", path, None)
                if status == 302:  # no authenticator yet: set one up, or already verified
                    path = "/accounts/code/setup/"
                    status, page = self.request("GET", path, None)
                if status != 200:
                    break
                if attempt:
                    time.sleep(31 - time.time() % 30)
                self.request("POST", path, None, self._code(username, page))
            SESSIONS[username] = dict(self.cookies)

    def _login(self, username):
        _status, page = self.request("GET", "/accounts/login/", None)
        token = FormFields()
        token.feed(page.decode())
        form = next(f for f in token.forms if "csrfmiddlewaretoken" in f)
        return urlencode(
            {
                "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
                "username": username,
                "password": PASSWORD,
            }
        )

    def _code(self, username, page):
        """The form body with the current TOTP code; the key is read from the set-up page
        the first time and kept where ``bench/sign_in.py`` keeps it."""
        fields = FormFields()
        fields.feed(page.decode())
        form = next(f for f in fields.forms if "code" in f)
        keep = sign_in.OUT / f"totp-{username}.txt"
        shown = re.search(r'<code class="secret">([^<]+)</code>', page.decode())
        if shown:
            sign_in.OUT.mkdir(exist_ok=True)
            keep.write_text(html.unescape(shown.group(1)).replace(" ", ""))
        if not keep.exists():
            sys.exit(f"{username} has an authenticator this script did not set up ({keep}).")
        return urlencode({**form, "code": sign_in._code(keep.read_text().strip())})


#: One signed-in session's cookies per user, shared by that user's clients.
SESSIONS = {}
SESSIONS_LOCK = threading.Lock()


class Run:
    """The shared state of one run: the records, the tokens sent and acknowledged."""

    def __init__(self, duration):
        self.lock = threading.Lock()
        self.records = []
        self.sent, self.acknowledged, self.found_before = set(), set(), set()
        self.first_refusal = None
        self.start = time.monotonic()
        self.deadline = self.start + duration
        self.restart = {}

    def record(self, started, kind, status, ms):
        with self.lock:
            self.records.append((started - self.start, kind, status, ms))


def reader(run, client, paths, index):
    turn = index
    while time.monotonic() < run.deadline:
        client.request("GET", paths[turn % len(paths)], "read")
        turn += 1


def creator(run, client, form, number):
    topics = [v for v in form["topic_options"] if v]
    sequence = 0
    while time.monotonic() < run.deadline:
        sequence += 1
        token = str(uuid.uuid4())
        fields = dict(form["fields"])
        fields.update(
            submission_token=token,
            title=f"Uji beban {number}-{sequence} {secrets.token_hex(6)}",
            description="Dibuat oleh bench/load_faults.py.",
            topic=topics[(number + sequence) % len(topics)],
            same_need="different",
        )
        body = urlencode(fields)
        with run.lock:
            run.sent.add(token)
        # Sent again with the same token until answered, as the phone's draft queue does;
        # the last try may finish after the deadline so that no write is left in doubt.
        while time.monotonic() < run.deadline + 20:
            status, data = client.request(
                "POST", "/aspirations/new/", "create", body, accept="application/json"
            )
            if status in (200, 201):
                with run.lock:
                    run.acknowledged.add(token)
                    if status == 200:
                        run.found_before.add(token)
                break
            if status == 400 or status == 403:
                with run.lock:
                    run.first_refusal = run.first_refusal or (status, data[:600])
                break
            time.sleep(0.5)


def database_up(url):
    try:
        psycopg.connect(url, connect_timeout=2).close()
        return True
    except psycopg.Error:
        return False


def restarter(run, command, url, at):
    time.sleep(max(0, run.start + at - time.monotonic()))
    run.restart["started"] = time.monotonic() - run.start
    result = subprocess.run(shlex.split(command), capture_output=True, text=True)
    run.restart["command_done"] = time.monotonic() - run.start
    run.restart["exit"] = result.returncode
    run.restart["stderr"] = result.stderr.strip()
    while not database_up(url):
        time.sleep(0.1)
    run.restart["back"] = time.monotonic() - run.start


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url, workers):
    """collectstatic, then gunicorn with production settings; returns ``(process, url)``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kk_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stderr=open(ROOT / "bench" / "out" / "gunicorn.log", "w"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    probe = Client(url, lambda *a: None)
    for _try in range(120):
        if probe.request("GET", "/accounts/login/", None)[0] == 200:
            return process, url
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer within 60 s; see bench/out/gunicorn.log.")


def workers_of(process):
    """The pids of the gunicorn master's worker processes."""
    if process is None:
        return []
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True, text=True
    )
    return sorted(int(pid) for pid in out.stdout.split())


def percentiles(values):
    if len(values) < 2:
        return "-"
    cuts = statistics.quantiles(values, n=100)
    return f"p50 {cuts[49]:,.0f} ms, p95 {cuts[94]:,.0f} ms"


def report(run, rows_found, duplicates, workers_before, workers_after, args):
    records = sorted(run.records)
    restart = run.restart
    print(
        f"KK Portal load and faults: {args.readers} readers, {args.creators} creators, "
        f"{args.duration} s"
    )
    if restart:
        print(
            f"PostgreSQL restart: began at {restart['started']:.1f} s, command returned at "
            f"{restart['command_done']:.1f} s (exit {restart['exit']}), database accepting "
            f"connections again at {restart['back']:.1f} s"
        )
    reads = [r for r in records if r[1] == "read"]
    creates = [r for r in records if r[1] == "create"]
    print(f"requests: {len(records):,} (reads {len(reads):,}, create posts {len(creates):,})")
    statuses = Counter(r[2] for r in records)
    shown = ", ".join(
        f"{'no answer' if status == 0 else status}: {n:,}" for status, n in sorted(statuses.items())
    )
    print(f"statuses: {shown}")
    errors = [r for r in records if r[2] == 0 or r[2] >= 500]
    by_status = Counter("no answer" if r[2] == 0 else str(r[2]) for r in errors)
    print(f"errors (5xx or no answer): {len(errors):,} {dict(by_status) if errors else ''}")
    print(f"latency, reads answered 200: {percentiles([r[3] for r in reads if r[2] == 200])}")
    print(f"latency, creates answered 2xx: {percentiles([r[3] for r in creates if r[2] < 300])}")
    print(f"latency, all requests: {percentiles([r[3] for r in records])}")
    lost = run.acknowledged - rows_found
    unacknowledged = rows_found - run.acknowledged
    print(
        f"creates: {len(run.sent):,} aspirations sent, {len(run.acknowledged):,} acknowledged "
        f"({len(run.found_before):,} of them on a resend that found the row already made), "
        f"{len(rows_found):,} rows in the database with those tokens, "
        f"{duplicates} tokens with more than one row"
    )
    print(
        f"acknowledged writes lost: {len(lost)}; rows made without an acknowledgement: "
        f"{len(unacknowledged)}; never acknowledged: {len(run.sent - run.acknowledged)}"
    )
    if run.first_refusal:
        print(f"first refused create: {run.first_refusal}")
    if restart:
        after = [r for r in records if r[0] >= restart["back"]]
        failed_after = [r for r in after if r[2] == 0 or r[2] >= 500]
        print(
            f"after the database was back: {len(after):,} requests, {len(failed_after)} errors"
            + (
                f" (last at {failed_after[-1][0]:.1f} s, "
                f"{failed_after[-1][0] - restart['back']:.1f} s after)"
                if failed_after
                else ""
            )
        )
    print("per 5 s (requests / errors):")
    buckets = Counter(int(r[0] // 5) for r in records)
    failing = Counter(int(r[0] // 5) for r in errors)
    print(
        "  " + "  ".join(f"{b * 5}-{b * 5 + 5}s {buckets[b]}/{failing[b]}" for b in sorted(buckets))
    )
    if workers_before:
        same = workers_before == workers_after
        print(
            f"gunicorn workers before {workers_before}, after {workers_after}: "
            f"{'the same processes' if same else 'some were replaced'}"
        )
    tail = [r for r in records if r[0] >= run.deadline - run.start - 10]
    recovered = bool(tail) and all(0 < r[2] < 500 for r in tail)
    print(
        "recovered without restarting the app: "
        + ("yes (no error in the last 10 s)" if recovered else "no")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="A running server on DATABASE_URL's database.")
    parser.add_argument("--readers", type=int, default=30)
    parser.add_argument("--creators", type=int, default=10)
    parser.add_argument("--duration", type=int, default=60, help="Seconds.")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
    parser.add_argument(
        "--restart",
        default="pg_ctlcluster --skip-systemctl-redirect 15 main restart",
        help="The command that restarts PostgreSQL; '' for none.",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to the demo's PostgreSQL database (bench/README.md).")
    driver_url = database_url.replace("postgres://", "postgresql://", 1)
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    process, url = (None, args.url) if args.url else start_gunicorn(database_url, args.workers)
    try:
        run_load(args, url, driver_url, process)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)


def run_load(args, url, driver_url, process):
    probe = Run(0)
    paths = {}
    for username in READER_USERS:
        client = Client(url, probe.record)
        client.sign_in(username)
        paths[username] = [p for p in READ_PATHS if client.request("GET", p, None)[0] == 200]
    readers = []
    for index in range(args.readers):
        username = READER_USERS[index % len(READER_USERS)]
        client = Client(url, None)
        client.sign_in(username)
        readers.append((client, paths[username], index))
    creators = []
    for index in range(args.creators):
        client = Client(url, None)
        client.sign_in(CREATOR_USERS[index % len(CREATOR_USERS)])
        status, page = client.request("GET", "/aspirations/new/", None)
        fields = FormFields()
        fields.feed(page.decode())
        form = {"fields": fields.creation_form(), "topic_options": fields.options["topic"]}
        creators.append((client, form, index))
    print(f"{url}: {len(readers)} readers and {len(creators)} creators signed in; pages read:")
    for username, kept in paths.items():
        print(f"  {username}: {' '.join(kept)}")
    workers_before = workers_of(process)
    run = Run(args.duration)
    for client, *_rest in readers + creators:
        client.record = run.record
    threads = [threading.Thread(target=reader, args=(run, *r)) for r in readers]
    threads += [threading.Thread(target=creator, args=(run, *c)) for c in creators]
    if args.restart:
        threads.append(
            threading.Thread(
                target=restarter, args=(run, args.restart, driver_url, args.duration / 2)
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    workers_after = workers_of(process)
    with psycopg.connect(driver_url) as db:
        rows = db.execute(
            "SELECT submission_token::text, count(*) FROM aspirations_aspiration "
            "WHERE submission_token::text = ANY(%s) GROUP BY 1",
            [list(run.sent)],
        ).fetchall()
    found = {token for token, _n in rows}
    duplicates = sum(1 for _token, n in rows if n > 1)
    report(run, found, duplicates, workers_before, workers_after, args)


if __name__ == "__main__":
    main()
