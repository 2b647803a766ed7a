"""Benchmark of the programme dashboard, the aspiration list and the reses agenda builder.

Run on a PostgreSQL database filled by ``manage.py seed_scale`` (see bench/README.md)::

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_scale \
        uv run python bench/bench_dashboard.py

For each page it prints the median server time over 5 requests (after one warm-up
request), the number of SQL queries, and beside the dashboard the median time of the bare
SQL aggregate that computes the funnel live from the base table. Last it prints the peak
resident memory of this process, which serves the requests in-process through Django's test
client (the same code path as one server worker, without the network).
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from dashboards.figures import Filters  # noqa: E402
from dashboards.views import Dashboard  # noqa: E402
from groups.models import ConstituentGroup  # noqa: E402
from kk_portal.models import User  # noqa: E402
from kk_portal.scoping import Role  # noqa: E402
from reses.models import ResesMeeting  # noqa: E402

RUNS = 5
BARE_FUNNEL_SQL = """
SELECT count(*),
       count(*) FILTER (WHERE furthest_rank >= 2),
       count(*) FILTER (WHERE furthest_rank >= 3),
       count(*) FILTER (WHERE furthest_rank >= 6),
       count(*) FILTER (WHERE furthest_rank >= 7),
       count(*) FILTER (WHERE furthest_rank >= 8),
       count(*) FILTER (WHERE stage = 'not_accommodated'),
       count(*) FILTER (WHERE stage = 'withdrawn')
FROM aspirations_aspiration
"""


def client_for(username, **fields):
    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def measure(client, url):
    """``(median ms, queries of the last request, status)`` over ``RUNS`` requests."""
    client.get(url)
    times = []
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries.captured_queries), response.status_code


def bare_sql():
    times = []
    with connection.cursor() as cursor:
        cursor.execute(BARE_FUNNEL_SQL)
        for _run in range(RUNS):
            started = time.perf_counter()
            cursor.execute(BARE_FUNNEL_SQL)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL (set DATABASE_URL); see bench/README.md.")
    counts = {}
    with connection.cursor() as cursor:
        for table in (
            "groups_village",
            "groups_constituentgroup",
            "members_member",
            "aspirations_aspiration",
            "aspirations_aspirationevent",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    print("rows:", ", ".join(f"{table} {count:,}" for table, count in counts.items()))

    programme = client_for("bench-programme", role=Role.PROGRAMME)
    meeting = ResesMeeting.objects.order_by("pk").first()
    rows = []
    bare = bare_sql()
    median, queries, status = measure(programme, reverse("dashboard:index"))
    rows.append(("programme dashboard", median, queries, status, f"bare SQL funnel {bare:.0f} ms"))
    busiest = (
        ConstituentGroup.objects.values("village__subdistrict__regency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    facilitator = client_for(
        "bench-facilitator",
        role=Role.FACILITATOR,
        regency_id=busiest["village__subdistrict__regency"],
    )
    median, queries, status = measure(facilitator, reverse("dashboard:index"))
    rows.append(("facilitator dashboard (busiest regency)", median, queries, status, ""))
    if meeting:
        staff = client_for(
            "bench-dprd", role=Role.DPRD, representative_id=meeting.representative_id
        )
        median, queries, status = measure(staff, reverse("dashboard:index"))
        rows.append(("DPRD staff dashboard", median, queries, status, ""))
    median, queries, status = measure(programme, reverse("aspirations:list"))
    rows.append(("aspiration list (programme)", median, queries, status, ""))
    try:
        agenda_url = reverse("reses:agenda_build", args=[meeting.pk]) if meeting else None
    except NoReverseMatch:
        agenda_url = None
    if agenda_url and meeting:
        median, queries, status = measure(staff, agenda_url)
        rows.append(("reses agenda builder (DPRD staff)", median, queries, status, ""))
    else:
        rows.append(("reses agenda builder", None, None, None, "skipped: no URL or no meeting"))

    print(f"{'page':40} {'median ms':>10} {'queries':>8} {'status':>7}  note")
    for name, median, queries, status, note in rows:
        shown = "-" if median is None else f"{median:.0f}"
        print(f"{name:40} {shown:>10} {queries or '-':>8} {status or '-':>7}  {note}")
    print("programme dashboard, time per figure (one run, ms):")
    board = Dashboard(User.objects.get(username="bench-programme"), Filters())
    for key in Dashboard.TABLES:
        started = time.perf_counter()
        board.table(key)
        print(f"  {key:20} {(time.perf_counter() - started) * 1000:8.0f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the serving process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
