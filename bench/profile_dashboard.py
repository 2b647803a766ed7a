"""Where a dashboard's first request goes: one request in one process, the cache emptied.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_final \\
        uv run python bench/profile_dashboard.py "/dashboard/?start=2025-03-15&end=2025-09-30"

Signs in as the programme staff user the other benchmarks created (``bench-*``, with its
verified authenticator, so the second factor is passed without a code), requests another
page first (the process's own start-up: URL maps, templates), empties the cache, then
requests ``URL`` (default ``/dashboard/``) once under cProfile with every query timed. Prints
the total and SQL milliseconds, the slowest queries and the dashboard's functions by
cumulative time. Results: RESULTS.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
django.setup()

import cProfile  # noqa: E402
import pstats  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from kk_portal.models import User  # noqa: E402
from kk_portal.scoping import Role  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="/dashboard/")
    args = parser.parse_args()
    user = User.objects.filter(role=Role.PROGRAMME, username__startswith="bench").first()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        sys.exit("No bench programme user with an authenticator: run bench_lists.py first.")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    client.get("/aspirations/")
    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql[:110]))

    cache.clear()
    profile = cProfile.Profile()
    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        profile.enable()
        response = client.get(args.url)
        profile.disable()
        total = time.perf_counter() - started
    sql = sum(seconds for seconds, _sql in queries)
    print(
        f"{args.url} as {user.username}: status {response.status_code}, {total * 1000:.0f} ms,"
        f" of which SQL {sql * 1000:.0f} ms in {len(queries)} queries; load average"
        f" {', '.join(f'{n:.2f}' for n in os.getloadavg())}"
    )
    for seconds, text in sorted(queries, reverse=True)[:8]:
        print(f"{seconds * 1000:7.1f} ms  {text}")
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats("dashboards/(figures|summaries|views)", 25)


if __name__ == "__main__":
    main()
