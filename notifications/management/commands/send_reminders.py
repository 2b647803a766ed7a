"""Queue today's reminders (``notifications.reminders``); run daily from cron."""

from django.core.management.base import BaseCommand

from notifications.reminders import due_reminders
from notifications.tasks import deliver


class Command(BaseCommand):
    help = (
        "Queue one task per recipient for the weekly digest of waiting aspirations, reses "
        "meetings in 3 days and due case follow-ups (notifications.reminders); safe to run "
        "more than once a day: each reminder is sent once per period."
    )

    def handle(self, *args, **options):
        reminders = due_reminders()
        for reminder in reminders:
            deliver.enqueue(*reminder)
        self.stdout.write(f"{len(reminders)} reminder(s) queued.")
