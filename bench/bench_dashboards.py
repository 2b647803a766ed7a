"""Every role's dashboard at the biggest scopes, through gunicorn over HTTP, cold and warm,
with the bare SQL beside each figure (issue 14).

Run on a PostgreSQL database filled by ``manage.py seed_scale`` and migrated with this
code (see bench/README.md)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_scale_dash \
        uv run python bench/bench_dashboards.py            # --app-dir DIR serves DIR's code

The scopes are chosen by size, not by convenience: the facilitator of the regency with the
most groups (and so aspirations: 100 each), the staff of the representative whose electoral
district has the most villages, programme staff for the whole country, for a period of days
(``--start``/``--end``, default 2025-03-15 to 2025-09-30) and for that period in the busiest
regency and one topic, and the officer of one group there. The benchmark creates these users
(``bench-*``, password ``DEMO_PASSWORD`` or ``kkportal-demo``) and signs them in over HTTP
once (``bench/sign_in.py``; programme staff pass the TOTP second factor).

For each row it starts gunicorn with one worker (``DEBUG=1``, ``--app-dir``, default this
checkout), empties the cache table (so that no figure cached by an earlier run helps), waits
until the worker has booted and gone idle (its CPU time stops growing: start-up and any
warm-up are done), then times the first request (cold) and the median of the next 5 (warm),
as the client sees them. Beside each: the bare SQL, i.e. the queries the live definition
(``dashboards.figures``, no summaries, no cache) runs for the same figures, replayed through
one psycopg cursor without Django (median of 5 runs of the whole set), and the warm page
over the bare SQL. Last the load average.
"""

import argparse
import http.cookiejar
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import sign_in  # noqa: E402  (bench/sign_in.py)
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.dateparse import parse_date  # noqa: E402

from aspirations.models import Topic  # noqa: E402
from dashboards import summaries  # noqa: E402
from dashboards import views as dashboard_views  # noqa: E402
from dashboards.figures import Filters  # noqa: E402
from groups.models import ConstituentGroup, Regency  # noqa: E402
from kk_portal.models import User  # noqa: E402
from kk_portal.scoping import Role  # noqa: E402
from kk_portal.settings import CACHE_TABLE  # noqa: E402
from reses.models import DistrictVillage, Representative  # noqa: E402

RUNS = 5
PORT = 8621
PASSWORD = os.environ.get("DEMO_PASSWORD", "kkportal-demo")
OUT = ROOT / "bench" / "out"


def user(username, **fields):
    """The bench user ``username`` with ``fields`` and the bench password."""
    account, _created = User.objects.update_or_create(username=username, defaults=fields)
    if not account.check_password(PASSWORD):
        account.set_password(PASSWORD)
        account.save()
    return account


def scopes(start, end):
    """``[(label, User, query dict, Filters)]``: the rows of the table."""
    busiest = (
        ConstituentGroup.objects.values("village__subdistrict__regency")
        .annotate(n=Count("pk"))
        .order_by("-n", "village__subdistrict__regency")
        .first()
    )
    regency = Regency.objects.get(pk=busiest["village__subdistrict__regency"])
    district = (
        DistrictVillage.objects.values("district")
        .annotate(n=Count("pk"))
        .order_by("-n", "district")
        .first()
    )
    representative = Representative.objects.filter(district=district["district"]).first()
    group = ConstituentGroup.objects.filter(village__subdistrict__regency=regency).first()
    topic = Topic.objects.order_by("pk").first()
    programme = user("bench-programme", role=Role.PROGRAMME)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    return [
        ("programme, whole country, all years", programme, {}, Filters()),
        (
            f"programme, {start}…{end}",
            programme,
            period,
            Filters(start=start, end=end),
        ),
        (
            f"programme, same days, regency {regency.code}, topic {topic.pk}",
            programme,
            {**period, "region": regency.code, "topic": topic.pk},
            Filters(region=regency, start=start, end=end, topic=topic),
        ),
        (
            f"DPRD staff, district of {district['n']} villages",
            user("bench-dprd-852", role=Role.DPRD, representative=representative),
            {},
            Filters(),
        ),
        (
            f"facilitator, regency {regency.code} ({busiest['n']} groups)",
            user("bench-facilitator-busiest", role=Role.FACILITATOR, regency=regency),
            {},
            Filters(),
        ),
        (
            "officer, one group there",
            user("bench-officer-busiest", role=Role.OFFICER, group=group),
            {},
            Filters(),
        ),
    ]


def bare_sql(account, filters):
    """Median ms of the SQL the live definition runs for every figure of ``account``'s
    dashboard under ``filters``, replayed without Django; and how many statements."""

    def compute(_user, _filters, _name, function):
        return function()

    board = dashboard_views.Dashboard(account, filters)
    board.from_summary = False
    cached = summaries.programme_cached, summaries.scope_cached
    summaries.programme_cached = summaries.scope_cached = compute
    try:
        with translation.override("id"), CaptureQueriesContext(connection) as queries:
            for key in dashboard_views.Dashboard.TABLES:
                board.table(key)
            board.headline(dashboard_views.today_in(account))
    finally:
        summaries.programme_cached, summaries.scope_cached = cached
    statements = [q["sql"] for q in queries.captured_queries]
    times = []
    with connection.cursor() as cursor:
        for _run in range(RUNS + 1):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:]), len(statements)


class Server:
    """gunicorn with one worker serving ``app_dir``'s code on ``PORT``."""

    def __init__(self, app_dir):
        self.app_dir = app_dir
        self.log = OUT / "bench_dashboards_gunicorn.log"

    def __enter__(self):
        OUT.mkdir(exist_ok=True)
        env = {**os.environ, "DEBUG": "1", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        self.process = subprocess.Popen(
            [
                "uv",
                "run",
                "--frozen",
                "gunicorn",
                "kk_portal.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{PORT}",
                "--timeout",
                "120",
            ],
            cwd=self.app_dir,
            env=env,
            stderr=open(self.log, "w"),  # noqa: SIM115
        )
        self.worker = self._wait_for_worker()
        self._wait_until_idle()
        return self

    def _wait_for_worker(self):
        for _try in range(600):
            for line in self.log.read_text().splitlines():
                if "Booting worker with pid:" in line:
                    return int(line.rsplit(":", 1)[1])
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def _wait_until_idle(self):
        """Until the worker's CPU time has not grown for 0.5 s (booted, warmed up)."""
        last, still = None, 0
        for _try in range(600):
            fields = Path(f"/proc/{self.worker}/stat").read_text().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])
            still = still + 1 if ticks == last else 0
            if still >= 5:
                return
            last = ticks
            time.sleep(0.1)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(30)


def opener_for(cookies):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))]
    return opener


def get(opener, url):
    """``(ms, status, bytes)`` of one GET."""
    started = time.perf_counter()
    with opener.open(url, timeout=120) as answer:
        body = answer.read()
        status = answer.status
    return (time.perf_counter() - started) * 1000, status, len(body)


def clear_cache():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CACHE_TABLE}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-dir", default=str(ROOT), help="the checkout gunicorn serves")
    parser.add_argument("--start", default="2025-03-15")
    parser.add_argument("--end", default="2025-09-30")
    parser.add_argument("--only", help="run only rows whose label contains this text")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL (set DATABASE_URL); see bench/README.md.")
    start, end = parse_date(args.start), parse_date(args.end)
    rows = scopes(start, end)
    if args.only:
        rows = [row for row in rows if args.only in row[0]]
    base = f"http://127.0.0.1:{PORT}"
    print("load average at start:", os.getloadavg())
    sessions = {}
    with Server(args.app_dir):
        for _label, account, _query, _filters in rows:
            if account.username not in sessions:
                session, csrf = sign_in.sign_in(base, account.username, PASSWORD)
                sessions[account.username] = {"sessionid": session, "csrftoken": csrf}
    results = []
    for label, account, query, filters in rows:
        bare, statements = bare_sql(account, filters)
        url = f"{base}/dashboard/" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        opener = opener_for(sessions[account.username])
        clear_cache()
        connection.close()
        with Server(args.app_dir):
            cold, status, size = get(opener, url)
            warm = statistics.median(get(opener, url)[0] for _run in range(RUNS))
        results.append((label, cold, warm, bare, statements, status, size))
        print(f"  {label}: cold {cold:.0f}, warm {warm:.0f}, bare SQL {bare:.0f} ms", flush=True)
    print()
    print(
        f"{'dashboard':58} {'cold ms':>8} {'warm ms':>8} {'bare SQL ms':>11} "
        f"{'(stmts)':>7} {'warm/bare':>9} {'status':>6} {'KB':>5}"
    )
    for label, cold, warm, bare, statements, status, size in results:
        print(
            f"{label:58} {cold:8.0f} {warm:8.0f} {bare:11.0f} {statements:7d} "
            f"{warm / bare:9.2f} {status:6d} {size / 1024:5.0f}"
        )
    print("load average at end:", os.getloadavg())


if __name__ == "__main__":
    main()
