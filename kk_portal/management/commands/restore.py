"""``manage.py restore ARCHIVE``: check an archive of ``manage.py backup`` and restore it."""

from django.core.management.base import BaseCommand

from kk_portal import backups


class Command(BaseCommand):
    help = (
        "Restore an archive written by manage.py backup: every part is checked against the "
        "SHA-256 of its manifest first, a database holding rows or a MEDIA_ROOT holding files "
        "is refused unless --force, then the database and the media are restored and the "
        "rows per table compared with the manifest. Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz file written by manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds rows; files in MEDIA_ROOT are moved aside "
            "to MEDIA_ROOT.before-restore-<time>.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, **options):
        manifest = backups.restore_backup(
            options["archive"],
            using=options["database"],
            force=options["force"],
            log=self.stdout.write,
        )
        self.stdout.write(f"Restored: {backups.describe(manifest)}.")
        self.stdout.write("Next: manage.py migrate (applies what is newer than the archive).")
