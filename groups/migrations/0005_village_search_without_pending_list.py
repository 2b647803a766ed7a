"""The village names' GIN index (``village_search``) keeps no pending list, on PostgreSQL.

With GIN's default ``fastupdate`` new entries wait in an unsorted pending list until a
vacuum moves them into the index, and every search reads that list to its end. Villages
are reference data loaded in bulk: after a national load all 83,762 names sat there (320
pages) until autovacuum came, and each word of an aspiration search read them all (about
25 ms a word at load 3; issue 14). Written rarely, the index takes its entries at once.
"""

from django.db import migrations

FORWARD = (
    "ALTER INDEX IF EXISTS village_search SET (fastupdate = off)",
    # Moves what already waits into the index (nothing when there is no such index).
    "SELECT gin_clean_pending_list(oid) FROM pg_class WHERE relname = 'village_search'",
)
BACKWARD = ("ALTER INDEX IF EXISTS village_search RESET (fastupdate)",)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_village_search_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
