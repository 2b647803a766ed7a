"""Benchmark of the aspiration list's search, its CSV and XLSX exports and the admin
changelists at national scale, through HTTP (gunicorn, one worker).

Run on a copy of the database filled by ``manage.py seed_scale`` (see bench/README.md)::

    export DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_scale_lists
    uv run python bench/bench_lists.py [--port 8611] [--runs 5] [--only search,admin]

It makes (or resets the passwords of) three users: ``bench-lists-programme`` (programme
staff), ``bench-lists-facilitator`` (the facilitator of the regency with the most
aspirations) and ``bench-lists-admin`` (a superuser), and signs them in over HTTP
(``bench/sign_in.py``, second factor included). For every request it then:

- starts a fresh gunicorn worker and times the first request (**cold**: the per-process
  start-up and caches included), then ``--runs`` more (**warm**: their median); the whole
  body is read, so an export is timed to its last byte;
- reads the worker's peak resident memory (``VmHWM``) after those requests;
- serves the same request once more in this process through Django's test client with the
  same session, captures its SQL and runs ``EXPLAIN (ANALYZE)`` on each ``SELECT``: the
  **bare SQL** is the sum of their planning and execution times (what the database alone
  needs for the request), and the ratio is the warm median over it.

It prints one line per request and the load average (``os.getloadavg``) at the start and
the end. Writes only the three users and their sessions (the second factor's devices of
the programme user and the superuser, keys kept in ``bench/out/``).
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from sign_in import sign_in  # noqa: E402

from aspirations.models import Aspiration  # noqa: E402
from kk_portal.models import User  # noqa: E402
from kk_portal.scoping import Role  # noqa: E402

PASSWORD = "bench-lists-2026"
OUT = ROOT / "bench" / "out"

#: ``(name, user key, path, target)``: the requests measured, each at its biggest scope.
SEARCH = [
    ("list search 'Usulan 12345'", "programme", "/aspirations/?q=Usulan+12345", "≤ 200 ms"),
]
#: Beside the targets: a word every title holds, and the header's search.
MORE = [
    ("list search 'Usulan' (every row)", "programme", "/aspirations/?q=Usulan", "–"),
    ("header search 'Usulan 12345'", "programme", "/search/?q=Usulan+12345", "–"),
]
EXPORTS = [
    ("CSV export, busiest regency", "facilitator", "/aspirations/export/?format=csv", "≤ 1 s"),
    ("XLSX export, busiest regency", "facilitator", "/aspirations/export/", "≤ 3 s"),
]
ADMIN = [
    (f"admin {label}", "admin", f"/admin/{path}/", "≤ 300 ms")
    for label, path in (
        ("aspirations", "aspirations/aspiration"),
        ("aspirations, stage filter", "aspirations/aspiration/?stage__exact=recorded"),
        ("timeline events", "aspirations/aspirationevent"),
        ("budget outcomes", "aspirations/budgetoutcome"),
        ("members", "members/member"),
        ("villages", "groups/village"),
        ("groups", "groups/constituentgroup"),
        ("reses meetings", "reses/resesmeeting"),
        ("aspiration summaries", "dashboards/aspirationsummary"),
        ("access log", "audit/accesslog"),
        ("reminders sent", "notifications/delivery"),
    )
]
CASES = {"search": SEARCH, "exports": EXPORTS, "admin": ADMIN, "more": MORE}


def _users():
    """The three bench users, ``{key: username}``, with ``PASSWORD``; the facilitator's
    regency is the one with the most aspirations."""
    busiest = (
        Aspiration.objects.values("village__subdistrict__regency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    fields = {
        "programme": {"role": Role.PROGRAMME},
        "facilitator": {
            "role": Role.FACILITATOR,
            "regency_id": busiest["village__subdistrict__regency"],
        },
        "admin": {"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
    }
    names = {}
    for key, values in fields.items():
        user, _created = User.objects.update_or_create(
            username=f"bench-lists-{key}", defaults=values
        )
        user.set_password(PASSWORD)
        user.save()
        names[key] = user.username
    print(
        f"facilitator's regency: {busiest['village__subdistrict__regency']} "
        f"({busiest['n']:,} aspirations)"
    )
    return names


class Worker:
    """One gunicorn process with one worker, on ``port``, logging to ``bench/out``."""

    def __init__(self, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self):
        OUT.mkdir(exist_ok=True)
        log = open(OUT / f"gunicorn-{self.port}.log", "ab")  # noqa: SIM115 (kept by Popen)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kk_portal.wsgi", "-w", "1", "--timeout", "300"]
            + ["-b", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.time() + 60
        last = None
        while time.time() < deadline:
            time.sleep(0.5)
            pid = self.worker_pid()
            if pid is None:
                continue
            # Booted once the worker has imported the app and sits idle in its accept loop:
            # its CPU time stops growing (the port opens earlier, with the master).
            used = _cpu_ticks(pid)
            if used is not None and used == last:
                return
            last = used
        raise RuntimeError("gunicorn did not start; see bench/out/gunicorn-*.log")

    def worker_pid(self):
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = children.read_text().split()
        except FileNotFoundError:
            return None
        return int(pids[0]) if pids else None

    def peak_mb(self):
        return _status_kb(Path(f"/proc/{self.worker_pid()}/status"), "VmHWM") / 1024

    def stop(self):
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None


def _cpu_ticks(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return int(fields[11]) + int(fields[12])


def _status_kb(path, field):
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise ValueError(field)


def _get(base, path, session):
    """``(ms, status, bytes)`` of one GET with the session cookie, body read to the end."""
    request = urllib.request.Request(
        base + path, headers={"Cookie": f"sessionid={session}; django_language=en"}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            body = answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return (time.perf_counter() - started) * 1000, status, len(body)


def bare_sql(path, session):
    """``(ms, queries)``: the summed planning and execution time of ``EXPLAIN ANALYZE`` of
    every ``SELECT`` the request ``path`` runs (served here, in-process, once)."""
    client = Client(SERVER_NAME="localhost")
    client.cookies["sessionid"] = session
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        elif hasattr(response, "file_to_stream"):
            b"".join(response)
    total = 0.0
    selects = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")
    ]
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            total += plan["Planning Time"] + plan["Execution Time"]
    return total, len(captured.captured_queries)


def measure(worker, name, path, session, runs, target):
    worker.start()
    try:
        cold, status, size = _get(worker.base, path, session)
        warm = [_get(worker.base, path, session)[0] for _run in range(runs)]
        peak = worker.peak_mb()
    finally:
        worker.stop()
    bare, queries = bare_sql(path, session)
    median = statistics.median(warm)
    return {
        "name": name,
        "path": path,
        "status": status,
        "bytes": size,
        "cold": cold,
        "warm": median,
        "bare": bare,
        "queries": queries,
        "ratio": median / bare if bare else None,
        "peak": peak,
        "target": target,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8611)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default=",".join(CASES), help="search, exports, admin, more")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL (set DATABASE_URL); see bench/README.md.")
    print("load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    names = _users()
    connection.close()
    worker = Worker(args.port)
    worker.start()
    try:
        sessions = {key: sign_in(worker.base, name, PASSWORD)[0] for key, name in names.items()}
    finally:
        worker.stop()
    rows = []
    for group in args.only.split(","):
        for name, key, path, target in CASES[group]:
            row = measure(worker, name, path, sessions[key], args.runs, target)
            rows.append(row)
            print(
                f"  {name}: cold {row['cold']:.0f} ms, warm {row['warm']:.0f} ms, "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    print()
    print(
        "| request | status | KB | cold ms | warm ms (median of "
        f"{args.runs}) | bare SQL ms | queries | warm / bare | worker peak MB | target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        ratio = "–" if row["ratio"] is None else f"{row['ratio']:.1f}×"
        print(
            f"| {row['name']} | {row['status']} | {row['bytes'] / 1024:,.0f} | "
            f"{row['cold']:,.0f} | {row['warm']:,.0f} | {row['bare']:,.0f} | "
            f"{row['queries']} | {ratio} | {row['peak']:.0f} | {row['target']} |"
        )
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
