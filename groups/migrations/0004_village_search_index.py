"""The GIN index of village names for the full-text search of aspirations
(``aspirations.models.AspirationQuerySet.search`` matches a word in the village's name), on
PostgreSQL only: SQLite searches by substring and has no such index."""

from django.db import migrations

# The expression Django writes for SearchVector("name", config="indonesian"): without the
# index each searched word reads all 83,762 villages of a national load (half a second).
CREATE = (
    "CREATE INDEX IF NOT EXISTS village_search ON groups_village USING gin "
    "(to_tsvector('indonesian'::regconfig, COALESCE(name, '')))"
)
DROP = "DROP INDEX IF EXISTS village_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_sort_indexes"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
