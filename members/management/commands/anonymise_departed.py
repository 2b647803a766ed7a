"""Anonymise the members who left longer ago than ``MEMBER_RETENTION_DAYS`` (UU PDP 27/2022)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from members.services import members_anonymise_departed


class Command(BaseCommand):
    help = (
        "Anonymise members whose leaving date is more than MEMBER_RETENTION_DAYS days ago "
        "(members.services.members_anonymise_departed); safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print how many would be anonymised, change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        # Today in the default zone (WITA): a day's difference across zones changes nothing
        # that matters for a two-year period.
        today = timezone.localdate()
        days = settings.MEMBER_RETENTION_DAYS
        count = members_anonymise_departed(today, days=days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"{count} member(s) left more than {days} days ago would be anonymised (dry run)."
            )
        else:
            self.stdout.write(f"{count} member(s) left more than {days} days ago anonymised.")
