"""The GIN index of the full-text search of aspirations (``AspirationQuerySet.search``), on
PostgreSQL only: SQLite searches by substring and has no such index."""

from django.db import migrations

# The expression must be the one Django writes for
# SearchVector("title", "description", config="indonesian"), or the planner cannot use it.
CREATE = (
    "CREATE INDEX IF NOT EXISTS aspiration_search ON aspirations_aspiration USING gin "
    "(to_tsvector('indonesian'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, '')))"
)
DROP = "DROP INDEX IF EXISTS aspiration_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("aspirations", "0005_musrenbang_forum_created_by"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
