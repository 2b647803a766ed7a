"""Issue 14's table in one run: every request at the biggest scopes, through gunicorn over
HTTP, cold and warm, with the bare SQL and the ratio beside each figure.

Run on a PostgreSQL database filled by ``manage.py seed_scale`` and migrated with this
code (see bench/README.md); the last part writes stage moves into it::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_scale \
        uv run python bench/bench_scale.py 2>&1 | tee bench/out/scale.txt   # --only lists,moves

It runs the four benchmarks one after the other on the same database, each printing its own
table (their docstrings say how each measures), with the machine's load average before and
after each and the time each took:

- ``lists``: ``bench_lists.py``, the aspiration list's search, the CSV and XLSX exports of the
  busiest regency, the admin changelists;
- ``dashboards``: ``bench_dashboards.py``, every role's dashboard (programme staff for the
  whole country and for 2025-03-15…2025-09-30, DPRD staff of the district with the most
  villages, the facilitator of the busiest regency, an officer there);
- ``agenda``: ``bench_agenda.py``, the reses agenda builder of that district, with its
  compressed size;
- ``moves``: ``bench_moves.py``, a stage move alone, then 8 movers at once, then whether the
  summaries equal a rebuild.

Exits non-zero when one of them fails.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: ``(name, script)`` in the order they run; the writing one last.
PARTS = (
    ("lists", "bench_lists.py"),
    ("dashboards", "bench_dashboards.py"),
    ("agenda", "bench_agenda.py"),
    ("moves", "bench_moves.py"),
)


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", default="", help="comma-separated parts: lists,dashboards,…")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL (set DATABASE_URL); see bench/README.md.")
    only = {name for name in args.only.split(",") if name}
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    failed = []
    for name, script in PARTS:
        if only and name not in only:
            continue
        print(f"\n## {name}: {script} (load average {load_average()})", flush=True)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-u", str(ROOT / "bench" / script)], cwd=ROOT, env=env
        )
        print(
            f"## {name}: exit {done.returncode} after {time.monotonic() - started:.0f} s "
            f"(load average {load_average()})",
            flush=True,
        )
        if done.returncode:
            failed.append(name)
    if failed:
        sys.exit(f"Failed: {', '.join(failed)}.")


if __name__ == "__main__":
    main()
