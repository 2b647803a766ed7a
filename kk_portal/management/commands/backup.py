"""``manage.py backup``: the database and the media files in one checksummed archive."""

from django.core.management.base import BaseCommand

from kk_portal import backups


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive of the database (PostgreSQL: pg_dump --format=custom; "
        "SQLite: the online backup API), the files of MEDIA_ROOT and a manifest with the "
        "SHA-256 of each part, the applied migrations, the rows per table and the time. "
        "Restore it with manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=".",
            help="A directory (the archive is named kk-portal-YYYYMMDD-HHMMSSZ.tar.gz in it) "
            "or a file name. Default: the current directory.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, **options):
        path, manifest = backups.create_backup(options["output"], using=options["database"])
        self.stdout.write(f"Backup written: {path}")
        self.stdout.write(f"  {backups.describe(manifest)}")
        self.stdout.write(f"  SHA-256 of the archive: {backups.sha256_of(path)}")
