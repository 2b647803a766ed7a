"""The reses agenda builder of the district with the most villages, through gunicorn over HTTP.

Run on a migrated copy of the national dataset (bench/README.md, "Agenda builder and stage
moves")::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_scale_reses \\
        uv run python bench/bench_agenda.py [--root CHECKOUT]

Makes (or finds) ``bench-dprd-largest``, DPRD staff of the representative of the electoral
district with the most villages (852 in ``seed_scale``'s data), password ``kkportal-demo``;
takes that representative's latest reses meeting (the most aspirations raised by its day)
and the district's village with the most open aspirations. Runs ``collectstatic`` and
starts gunicorn with one worker and production settings (``DEBUG=0``) on the code of
``--root`` (default: this checkout; another checkout measures its code on the same data),
signs in over HTTP and fetches the builder, then the builder of that village: the first
request after sign-in (cold: the worker's first page after its start) and the median of 5
more (warm), each with the page's size as sent and gzip-compressed (level 6, as Django's
``GZipMiddleware`` sends it). Beside them the median of 5 runs of the bare SQL that computes
what the page shows (``bare_statements``) and the ratio. Prints ``os.getloadavg()`` before
and after.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import load_faults  # noqa: E402  (its HTTP client: cookies, CSRF, the proxy's header)
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from kk_portal.models import User  # noqa: E402
from kk_portal.scoping import Role  # noqa: E402
from reses.models import ElectoralDistrict, Representative, ResesMeeting  # noqa: E402
from reses.services import meeting_local_date  # noqa: E402

RUNS = 5
PASSWORD = load_faults.PASSWORD
OPEN = "('realised', 'not_accommodated', 'withdrawn')"
LISTED = """
SELECT a.id, a.title, a.raised_on, v.name, s.name, t.name, u.name, g.name
FROM aspirations_aspiration a
JOIN groups_village v ON v.id = a.village_id
JOIN groups_subdistrict s ON s.id = v.subdistrict_id
JOIN aspirations_topic t ON t.id = a.topic_id
LEFT JOIN aspirations_urusan u ON u.id = a.urusan_id
JOIN groups_constituentgroup g ON g.id = a.group_id
WHERE {where}
ORDER BY s.name, v.name, t."order", t.name, a.raised_on, a.id
LIMIT 150
"""
COUNTED = "SELECT count(*) FROM aspirations_aspiration a WHERE {where}"
FOLDED = """
SELECT c.village_id, c.n, v.name, s.name
FROM (SELECT a.village_id, count(*) AS n FROM aspirations_aspiration a WHERE {where}
      GROUP BY a.village_id) c
JOIN groups_village v ON v.id = c.village_id
JOIN groups_subdistrict s ON s.id = v.subdistrict_id
ORDER BY s.name, v.name
"""


def candidates(in_village):
    """The ``WHERE`` of the candidates ``a``: open aspirations of the district's villages (or
    of ``%(village)s`` only), raised by the meeting's local day, not on its agenda
    (``reses.services.agenda_candidates`` without the user's scope, which for the
    representative's staff holds every one of them)."""
    village = "AND a.village_id = %(village)s" if in_village else ""
    return f"""a.village_id IN (SELECT village_id FROM reses_districtvillage
                       WHERE district_id = %(district)s)
  {village} AND a.stage NOT IN {OPEN} AND a.raised_on <= %(day)s
  AND NOT EXISTS (SELECT 1 FROM reses_agendaitem i
                  WHERE i.aspiration_id = a.id AND i.meeting_id = %(meeting)s)"""


def bare_statements(shape, in_village):
    """The bare SQL of a page shape: ``list``, the first 150 candidates and their count (the
    builder before the fold, and a village's page); ``fold``, the candidates counted by
    village with the villages' names (the builder of a district over 150 candidates)."""
    where = candidates(in_village)
    if shape == "list":
        return [LISTED.format(where=where), COUNTED.format(where=where)]
    return [FOLDED.format(where=where)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(root, workers):
    """collectstatic in ``root``, then gunicorn on its code with production settings and
    ``workers`` workers; returns ``(process, url)`` once it answers."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=root,
        env=env,
        check=True,
    )
    port = free_port()
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kk_portal.wsgi", "-w", str(workers)]
        + ["-b", f"127.0.0.1:{port}", "--timeout", "120"],
        cwd=root,
        env=env,
        stderr=open(ROOT / "bench" / "out" / "gunicorn-bench.log", "w"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    probe = load_faults.Client(url, lambda *a: None)
    for _try in range(240):
        if probe.request("GET", "/healthz", None)[0] == 200:
            return process, url
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer within 120 s; see bench/out/gunicorn-bench.log.")


def bench_user(username, **fields):
    """The user ``username`` with ``fields`` and the password ``PASSWORD``."""
    user, _created = User.objects.update_or_create(username=username, defaults=fields)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def load():
    return "load average " + ", ".join(f"{n:.2f}" for n in os.getloadavg())


def bare_ms(statements, params):
    """Median ms of ``RUNS`` runs of ``statements`` (after one run to warm the cache)."""
    times = []
    with connection.cursor() as cursor:
        for run in range(RUNS + 1):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
            if run:
                times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def fetch(client, path):
    """``(cold ms, warm median ms, bytes, gzip bytes, status, shape)`` of ``path``."""
    times = []
    for _run in range(RUNS + 1):
        started = time.perf_counter()
        status, body = client.request("GET", path, None)
        times.append((time.perf_counter() - started) * 1000)
    shape = "fold" if b'<details class="fold">' in body else "list"
    return (
        times[0],
        statistics.median(times[1:]),
        len(body),
        len(gzip.compress(body, 6)),
        status,
        shape,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose code is served")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL (set DATABASE_URL); see bench/README.md.")
    district = ElectoralDistrict.objects.annotate(n=Count("villages")).order_by("-n").first()
    representative = Representative.objects.filter(district=district).order_by("pk").first()
    meeting = (
        ResesMeeting.objects.filter(representative=representative).order_by("-starts_at").first()
    )
    bench_user("bench-dprd-largest", role=Role.DPRD, representative=representative)
    params = {
        "district": district.pk,
        "meeting": meeting.pk,
        "day": meeting_local_date(meeting),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.village_id FROM aspirations_aspiration a WHERE {candidates(False)} "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            params,
        )
        (village,) = cursor.fetchone()
    print(
        f"district {district.name}: {district.n} villages; meeting {meeting.pk} "
        f"({meeting.starts_at:%Y-%m-%d}); busiest village {village}; code of {args.root}"
    )
    print("before:", load())
    process, url = start_gunicorn(args.root, 1)
    try:
        client = load_faults.Client(url, lambda *a: None)
        client.sign_in("bench-dprd-largest")
        base = f"/reses/{meeting.pk}/agenda/"
        rows = []
        for name, path, in_village in [
            (f"agenda builder, {district.n}-village district", base, False),
            (f"  the same, its village {village}", f"{base}?village={village}", True),
        ]:
            cold, warm, size, packed, status, shape = fetch(client, path)
            bare = bare_ms(bare_statements(shape, in_village), {**params, "village": village})
            rows.append((name, status, shape, cold, warm, bare, size, packed))
    finally:
        process.terminate()
        process.wait()
    print("after:", load())
    print(
        f"{'page':40} {'status':>6} {'shape':>5} {'cold ms':>8} {'warm ms':>8} "
        f"{'bare SQL':>9} {'ratio':>6} {'KB':>7} {'KB gzip':>8}"
    )
    for name, status, shape, cold, warm, bare, size, packed in rows:
        print(
            f"{name:40} {status:>6} {shape:>5} {cold:>8.0f} {warm:>8.0f} {bare:>9.0f} "
            f"{warm / bare:>5.1f}x {size / 1024:>7.1f} {packed / 1024:>8.1f}"
        )


if __name__ == "__main__":
    main()
