"""Recompute the dashboard's summary tables from all aspirations and budget outcomes."""

import time

from django.core.management.base import BaseCommand

from dashboards import summaries


class Command(BaseCommand):
    help = (
        "Recompute AspirationSummary and MoneySummary (dashboards.summaries) from all rows: "
        "after seeding, or after rows were changed outside aspirations.services."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        summaries.rebuild()
        self.stdout.write(f"Summaries rebuilt in {time.monotonic() - started:.1f} s.")
