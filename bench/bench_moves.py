"""Stage moves through gunicorn over HTTP: one mover alone, then 8 at once, then whether the
dashboards' summaries still equal a rebuild.

Run on a migrated copy of the national dataset (bench/README.md, "Agenda builder and stage
moves"); it writes moves into it::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_scale_reses \\
        uv run python bench/bench_moves.py [--root CHECKOUT] [--movers 8] [--moves 10]

Makes (or finds) ``bench-mover-1`` … ``bench-mover-N``, facilitators of the regency with the
most groups (password ``kkportal-demo``), and takes ``N × moves`` of its aspirations still at
"recorded" (not linked duplicates): all in one regency, so that the movers' summary cells
are the same rows and their locks meet. Starts gunicorn on the code of ``--root`` (default:
this checkout) with production settings (``DEBUG=0``) and ``--workers`` workers (4); each
mover signs in with its own session over HTTP.

1. One mover alone: ``--moves`` POSTs of the move form (to "conveyed"), one after the
   other; the first (cold: the worker's first move after its start) and the median of the
   others (warm); beside them the bare SQL of one move (the row locked, the event written,
   the stage saved and the summaries' four upserts, ``BARE_MOVE``) and the ratio.
2. ``--movers`` movers at once, each POSTing its own aspirations to "conveyed", then each
   of them to "budgeted" (an amount, this year, APBD kabupaten/kota: the money summary
   too): p50, p95 and max latency, and the errors (any answer but the form's redirect).
3. The summaries read, rebuilt (``dashboards.summaries.rebuild``) and read again in one
   transaction that is then rolled back: equal or not, and the cells that differ.

Prints ``os.getloadavg()`` before and after each part.
"""

import argparse
import datetime
import statistics
import sys
import threading
import time
import zoneinfo
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_faults  # noqa: E402
from bench_agenda import ROOT, bench_user, load, start_gunicorn  # noqa: E402  (Django set up)
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from aspirations.models import Aspiration  # noqa: E402
from dashboards import summaries  # noqa: E402
from dashboards.models import AspirationSummary, MoneySummary  # noqa: E402
from groups.models import ConstituentGroup  # noqa: E402
from kk_portal.scoping import Role  # noqa: E402

RUNS = 5
#: One move's writes as ``aspiration_move`` sends them, for the bare figure (rolled back).
BARE_MOVE = [
    "SELECT * FROM aspirations_aspiration WHERE id = %(id)s FOR UPDATE",
    "INSERT INTO aspirations_aspirationevent (aspiration_id, kind, from_stage, to_stage,"
    " occurred_on, recorded_at, note, reason, document_reference, response, fund_source)"
    " VALUES (%(id)s, 'move', 'recorded', 'conveyed', %(day)s, now(), '', '', '', '', '')",
    "UPDATE aspirations_aspiration SET stage = 'conveyed', stage_changed_on = %(day)s,"
    " furthest_rank = 2, updated_at = now() WHERE id = %(id)s",
]


def today():
    """Today in WIB, the westernmost zone of Indonesia: no group's today is earlier."""
    return datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date()


def move(client, pk, to, record):
    fields = {"to": to, "occurred_on": today().isoformat()}
    if to == "budgeted":
        fields.update(amount="1500000", fiscal_year=today().year, fund_source="apbd_kabkota")
    started = time.perf_counter()
    status, _body = client.request("POST", f"/aspirations/{pk}/move/", None, urlencode(fields))
    record.append(((time.perf_counter() - started) * 1000, status))


def bare_move_ms(pk):
    """Median ms of ``RUNS`` runs of one move's bare SQL, each in a rolled-back transaction."""
    times = []
    for _run in range(RUNS + 1):
        with transaction.atomic():
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in BARE_MOVE:
                    cursor.execute(sql, {"id": pk, "day": today()})
            summaries.remove([pk])
            summaries.add([pk])
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return statistics.median(times[1:])


def snapshot():
    """Both summaries as sets of rows, without cells that count nothing."""
    columns = ["grain", "regency_id", "topic_id", "urusan_id", "channel", "year"]
    columns += list(summaries.COLUMNS)
    cells = set(AspirationSummary.objects.filter(recorded__gt=0).values_list(*columns))
    money = set(
        MoneySummary.objects.filter(outcomes__gt=0).values_list(
            "regency_id", "topic_id", "fiscal_year", "budgeted", "realised", "outcomes"
        )
    )
    return cells, money


def equal_to_rebuild():
    """``(equal, differing cells, differing money rows, seconds)``; changes nothing."""
    started = time.perf_counter()
    with transaction.atomic():
        kept = snapshot()
        summaries.rebuild()
        rebuilt = snapshot()
        transaction.set_rollback(True)
    cells = len(kept[0] ^ rebuilt[0])
    money = len(kept[1] ^ rebuilt[1])
    return kept == rebuilt, cells, money, time.perf_counter() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose code is served")
    parser.add_argument("--movers", type=int, default=8)
    parser.add_argument("--moves", type=int, default=10, help="aspirations per mover")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL (set DATABASE_URL); see bench/README.md.")
    regency = (
        ConstituentGroup.objects.values("village__subdistrict__regency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["village__subdistrict__regency"]
    )
    movers = [
        bench_user(f"bench-mover-{n}", role=Role.FACILITATOR, regency_id=regency)
        for n in range(1, args.movers + 1)
    ]
    ids = list(
        Aspiration.objects.filter(
            group__village__subdistrict__regency=regency, stage="recorded", duplicate_of=None
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: (args.movers + 1) * args.moves + 1]
    )
    alone_ids, bare_id = ids[: args.moves], ids[-1]
    batches = [ids[args.moves * (n + 1) : args.moves * (n + 2)] for n in range(args.movers)]
    print(f"regency {regency}; {len(ids)} aspirations at 'recorded'; code of {args.root}")
    print("start:", load())
    bare = bare_move_ms(bare_id)
    process, url = start_gunicorn(args.root, args.workers)
    try:
        clients = []
        for user in movers:
            client = load_faults.Client(url, lambda *a: None)
            client.sign_in(user.username)
            clients.append(client)
        alone = []
        for pk in alone_ids:
            move(clients[0], pk, "conveyed", alone)
        cold, warm = alone[0][0], statistics.median(ms for ms, _status in alone[1:])
        print(f"one mover alone: {load()}")
        print(
            f"  {len(alone)} moves, statuses {sorted({s for _ms, s in alone})}: cold {cold:.0f} ms,"
            f" warm median {warm:.0f} ms; bare SQL of a move {bare:.0f} ms"
            f" ({warm / bare:.1f}x)"
        )
        together = []

        def run(client, batch):
            for to in ("conveyed", "budgeted"):
                for pk in batch:
                    move(client, pk, to, together)

        threads = [
            threading.Thread(target=run, args=(client, batch))
            for client, batch in zip(clients, batches, strict=True)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        latencies = [ms for ms, _status in together]
        errors = [status for _ms, status in together if status != 302]
        print(f"{args.movers} movers at once: {load()}")
        print(
            f"  {len(together)} moves in {elapsed:.1f} s: p50 {percentile(latencies, 0.5):.0f} ms,"
            f" p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms;"
            f" errors {len(errors)} {sorted(set(errors))}"
        )
    finally:
        process.terminate()
        process.wait()
    moved = Aspiration.objects.filter(pk__in=ids[: (args.movers + 1) * args.moves])
    print(
        "  stages now:",
        dict(moved.values_list("stage").annotate(n=Count("pk")).order_by("stage")),
    )
    equal, cells, money, seconds = equal_to_rebuild()
    print(
        f"summaries equal to a rebuild: {'yes' if equal else 'NO'}"
        f" ({cells} cells and {money} money rows differ; checked in {seconds:.0f} s); {load()}"
    )


if __name__ == "__main__":
    main()
