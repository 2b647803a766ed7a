"""Every request of issue 14's table at the biggest scopes, in one run, through HTTP.

Run on a PostgreSQL database filled by ``manage.py seed_scale`` (see bench/README.md)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_scale \
        uv run python bench/bench_scale.py            # --only search,move  --runs 5

For each row it starts a fresh gunicorn (one worker, production settings: ``DEBUG=0``),
waits until the worker answers a static file (the app is loaded, no page has run), then
times the row's request once (**cold**: the first page after the worker starts) and
``--runs`` times more (**warm**: the median), each time until the last byte of the body.
Beside it, the median of the **bare SQL** that computes the same rows or figures, run with
psycopg in this process, and the ratio warm / bare. Sizes are of the body as gzip would
send it (level 6, as a proxy or whitenoise compresses).

The scopes are found, not chosen: the regency with the most aspirations (its facilitator,
its exports), the electoral district with the most villages (its representative's DPRD
staff, their dashboard and the agenda builder of their newest meeting). Users
``bench-programme``, ``bench-facilitator``, ``bench-dprd`` and ``bench-admin`` are made if
missing; programme staff and administrators pass the TOTP step as ``bench/sign_in.py`` does.

The stage move row **writes**: each timed request withdraws one open aspiration of the
busiest regency (``to=withdrawn``, reason "bench"). Times are milliseconds; the machine's
load average is printed before and after.
"""

import argparse
import gzip
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")

import django  # noqa: E402

# Users and scopes are prepared with the development settings; the server runs with DEBUG=0.
os.environ.setdefault("DEBUG", "1")
django.setup()

import load_faults  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from aspirations.models import Aspiration, AspirationEvent  # noqa: E402
from kk_portal.models import User  # noqa: E402
from kk_portal.scoping import Role  # noqa: E402
from reses.models import DistrictVillage, ElectoralDistrict, ResesMeeting  # noqa: E402

OUT = ROOT / "bench" / "out"
#: The page run after the worker starts to know it is up: a static file, so no view,
#: template or query has run yet.
READY_PATH = "/static/css/app.css"
DATE_RANGE = {"start": "2025-03-15", "end": "2025-09-30"}
SEARCH = "Usulan 12345"

FUNNEL = """
SELECT count(*),
       count(*) FILTER (WHERE furthest_rank >= 2),
       count(*) FILTER (WHERE furthest_rank >= 3),
       count(*) FILTER (WHERE furthest_rank >= 6),
       count(*) FILTER (WHERE furthest_rank >= 7),
       count(*) FILTER (WHERE furthest_rank >= 8),
       count(*) FILTER (WHERE stage = 'not_accommodated'),
       count(*) FILTER (WHERE stage = 'withdrawn')
FROM aspirations_aspiration a
"""
IN_REGENCY = """
JOIN groups_village v ON v.id = a.village_id
JOIN groups_subdistrict s ON s.id = v.subdistrict_id
WHERE s.regency_id = %(regency)s
"""
IN_DISTRICT = """
WHERE a.village_id IN
    (SELECT village_id FROM reses_districtvillage WHERE district_id = %(district)s)
"""
BARE = {
    "search": (
        "SELECT a.id, a.title, a.stage, a.raised_on, v.name FROM aspirations_aspiration a "
        "JOIN groups_village v ON v.id = a.village_id WHERE a.title ILIKE %(like)s "
        "ORDER BY a.raised_on DESC, a.id DESC LIMIT 25"
    ),
    "export": (
        "SELECT a.id, a.title, a.description, a.stage, a.channel, a.raised_on, g.name, v.name, "
        "r.name, t.name, b.amount, b.fiscal_year FROM aspirations_aspiration a "
        "JOIN groups_constituentgroup g ON g.id = a.group_id "
        "JOIN groups_village v ON v.id = a.village_id "
        "JOIN groups_subdistrict s ON s.id = v.subdistrict_id "
        "JOIN groups_regency r ON r.id = s.regency_id "
        "LEFT JOIN aspirations_topic t ON t.id = a.topic_id "
        "LEFT JOIN aspirations_budgetoutcome b ON b.aspiration_id = a.id "
        "WHERE s.regency_id = %(regency)s ORDER BY a.raised_on DESC"
    ),
    "dashboard_range": FUNNEL + "WHERE a.raised_on BETWEEN %(start)s AND %(end)s",
    "dashboard_dprd": FUNNEL + IN_DISTRICT,
    "dashboard_facilitator": FUNNEL + IN_REGENCY,
    "admin": (
        "SELECT a.id, a.title, a.stage, a.raised_on, g.name FROM aspirations_aspiration a "
        "JOIN groups_constituentgroup g ON g.id = a.group_id ORDER BY a.id DESC LIMIT 100"
    ),
    "agenda": (
        "SELECT a.village_id, count(*) FROM aspirations_aspiration a" + IN_DISTRICT + "AND a.stage "
        "NOT IN ('not_accommodated', 'withdrawn', 'realised') GROUP BY a.village_id"
    ),
}


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def prepare():
    """The scopes and users of the run: ``{name: value}``."""
    regency = (
        Aspiration.objects.values("village__subdistrict__regency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    biggest = (
        DistrictVillage.objects.values("district").annotate(n=Count("pk")).order_by("-n").first()
    )
    district = ElectoralDistrict.objects.get(pk=biggest["district"])
    district.n = biggest["n"]
    representative = district.representatives.order_by("pk").first()
    meeting = (
        ResesMeeting.objects.filter(representative=representative).order_by("-starts_at").first()
    )
    users = {
        "bench-programme": {"role": Role.PROGRAMME},
        "bench-facilitator": {
            "role": Role.FACILITATOR,
            "regency_id": regency["village__subdistrict__regency"],
        },
        "bench-dprd": {"role": Role.DPRD, "representative_id": representative.pk},
        "bench-admin": {"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
    }
    for username, fields in users.items():
        user, _created = User.objects.update_or_create(username=username, defaults=fields)
        user.set_password(load_faults.PASSWORD)
        user.save()
    load_faults.SECOND_FACTOR_USERS.update({"bench-programme", "bench-admin"})
    return {
        "regency": regency["village__subdistrict__regency"],
        "regency_rows": regency["n"],
        "district": district.pk,
        "district_villages": district.n,
        "meeting": meeting.pk if meeting else None,
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn with one worker and production settings, started fresh per row."""

    def __init__(self, env):
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kk_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stderr=open(OUT / "bench_scale-gunicorn.log", "a"),  # noqa: SIM115
        )
        probe = load_faults.Client(self.url, lambda *a: None)
        for _try in range(240):
            if probe.request("GET", READY_PATH, None)[0] == 200:
                return
            time.sleep(0.25)
        self.stop()
        sys.exit("gunicorn did not answer within 60 s; see bench/out/bench_scale-gunicorn.log.")

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


def timed(client, method, path, body=None):
    """``(ms, status, body bytes)`` of one request, to the body's last byte."""
    started = time.perf_counter()
    status, data = client.request(method, path, None, body)
    return (time.perf_counter() - started) * 1000, status, data


def bare_sql(sql, params, runs):
    """Median ms of ``sql`` over ``runs`` runs after one warm-up; rolled back."""
    times = []
    with connection.cursor() as cursor:
        for run in range(runs + 1):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            if run:
                times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bare_move(aspiration_id, runs):
    """Median ms of the bare writes of one move: the row's stage and one event, rolled back."""
    columns = [f.column for f in AspirationEvent._meta.concrete_fields if not f.primary_key]
    names = ", ".join(columns)
    times = []
    for run in range(runs + 1):
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            started = time.perf_counter()
            cursor.execute(
                "UPDATE aspirations_aspiration SET stage = 'withdrawn' WHERE id = %s",
                [aspiration_id],
            )
            cursor.execute(
                f"INSERT INTO aspirations_aspirationevent ({names}) SELECT {names} "
                "FROM aspirations_aspirationevent WHERE aspiration_id = %s LIMIT 1",
                [aspiration_id],
            )
            elapsed = (time.perf_counter() - started) * 1000
            cursor.execute("ROLLBACK")
        if run:
            times.append(elapsed)
    return statistics.median(times)


def page_rows(scope):
    """``(key, label, username, path)`` of every page row of the table."""
    rows = [
        (
            "search",
            f"list search “{SEARCH}”",
            "bench-programme",
            "/aspirations/?" + urlencode({"q": SEARCH}),
        ),
        (
            "export",
            f"XLSX export, busiest regency ({scope['regency_rows']:,} rows)",
            "bench-facilitator",
            "/aspirations/export/",
        ),
        ("export", "CSV export, same rows", "bench-facilitator", "/aspirations/export/?format=csv"),
        (
            "dashboard_range",
            "programme dashboard 2025-03-15…2025-09-30",
            "bench-programme",
            "/dashboard/?" + urlencode(DATE_RANGE),
        ),
        (
            "dashboard_dprd",
            f"DPRD dashboard, biggest district ({scope['district_villages']} villages)",
            "bench-dprd",
            "/dashboard/",
        ),
        (
            "dashboard_facilitator",
            "facilitator dashboard, busiest regency",
            "bench-facilitator",
            "/dashboard/",
        ),
        (
            "admin",
            "admin changelist of aspirations",
            "bench-admin",
            "/admin/aspirations/aspiration/",
        ),
    ]
    if scope["meeting"]:
        rows.append(
            (
                "agenda",
                f"agenda builder, {scope['district_villages']}-village district",
                "bench-dprd",
                f"/reses/{scope['meeting']}/agenda/",
            )
        )
    return rows


def open_aspirations(regency, count):
    """Ids of ``count`` open aspirations of the regency, for the move row."""
    return list(
        Aspiration.objects.filter(village__subdistrict__regency=regency)
        .exclude(stage__in=("withdrawn", "not_accommodated", "realised"))
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )


def move_body(client, pk):
    """The withdraw form of aspiration ``pk`` as a person would send it."""
    path = f"/aspirations/{pk}/move/?to=withdrawn"
    _status, page = client.request("GET", path, None)
    fields = load_faults.FormFields()
    fields.feed(page.decode())
    form = next(f for f in fields.forms if "reason" in f)
    return path, urlencode({**form, "to": "withdrawn", "reason": "bench"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="warm requests per row")
    parser.add_argument(
        "--only", default="", help="comma-separated row keys (search,export,…,move)"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL (set DATABASE_URL); see bench/README.md.")
    OUT.mkdir(exist_ok=True)
    # A slow row must be timed, not cut off at the load script's 30 s.
    load_faults.TIMEOUT = 300
    print(f"load average before: {load_average()}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM aspirations_aspiration")
        print(f"aspirations: {cursor.fetchone()[0]:,}")
    scope = prepare()
    print(
        f"busiest regency id {scope['regency']} ({scope['regency_rows']:,} aspirations); "
        f"biggest district id {scope['district']} ({scope['district_villages']} villages); "
        f"agenda meeting {scope['meeting']}"
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": "bench"},
        check=True,
    )
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    only = {key for key in args.only.split(",") if key}
    params = {
        "regency": scope["regency"],
        "district": scope["district"],
        "like": f"%{SEARCH}%",
        **DATE_RANGE,
    }
    sessions = {}
    results = []
    for key, label, username, path in page_rows(scope):
        if only and key not in only:
            continue
        server = Server(env)
        try:
            client = load_faults.Client(server.url, lambda *a: None)
            if username in sessions:
                client.cookies = dict(sessions[username])
            else:
                client.sign_in(username)
                sessions[username] = dict(client.cookies)
                server.stop()
                server = Server(env)
                client = load_faults.Client(server.url, lambda *a: None)
                client.cookies = dict(sessions[username])
            cold, status, data = timed(client, "GET", path)
            warm = [timed(client, "GET", path)[0] for _run in range(args.runs)]
        finally:
            server.stop()
        bare = bare_sql(BARE[key], params, args.runs)
        results.append(
            (label, status, cold, statistics.median(warm), bare, len(gzip.compress(data, 6)) / 1024)
        )
    if not only or "move" in only:
        results.append(measure_moves(env, scope, args.runs, sessions))
    print(f"load average after: {load_average()}")
    print()
    print(
        f"| request | status | cold ms | warm ms (median of {args.runs}) | bare SQL ms | "
        "warm / bare | gzip KB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, status, cold, warm, bare, size in results:
        print(
            f"| {label} | {status} | {cold:,.0f} | {warm:,.0f} | {bare:,.1f} | "
            f"{warm / bare:,.1f}× | {size:,.1f} |"
        )


def measure_moves(env, scope, runs, sessions):
    """The stage move row: one withdraw POST cold and ``runs`` warm, each on its own row."""
    pks = open_aspirations(scope["regency"], runs + 1)
    server = Server(env)
    try:
        client = load_faults.Client(server.url, lambda *a: None)
        if "bench-facilitator" in sessions:
            client.cookies = dict(sessions["bench-facilitator"])
        else:
            client.sign_in("bench-facilitator")
        times, status = [], None
        for pk in pks:
            path, body = move_body(client, pk)
            elapsed, status, _data = timed(client, "POST", path, body)
            times.append(elapsed)
    finally:
        server.stop()
    bare = bare_move(pks[0], runs)
    # The move's GET form ran first in the same worker, so the first POST is warm-ish: the
    # cold figure here is the first POST, not the first request.
    return ("stage move POST (withdraw)", status, times[0], statistics.median(times[1:]), bare, 0)


if __name__ == "__main__":
    main()
