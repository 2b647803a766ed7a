"""Fill ``AspirationEvent.previous_on`` for the events already stored, by the window that
defines it (``services.link_steps``): the ``occurred_on`` of the step before on the
aspiration's timeline of created and move events, by ``occurred_on`` then ``pk``.

One ``UPDATE … FROM`` a window subquery, the same SQL on PostgreSQL and SQLite (3.33 or
newer): at national scale (6.3 million events, 4.3 million moves) one pass instead of a
subquery per move. Apart from ``0007`` (the column), so that the events table is not locked
for reading while it runs (minutes at that scale) and a failed fill can run again.
"""

from django.db import migrations

FILL = """
UPDATE aspirations_aspirationevent AS e
SET previous_on = w.previous
FROM (
    SELECT id, kind, LAG(occurred_on) OVER (
        PARTITION BY aspiration_id ORDER BY occurred_on, id
    ) AS previous
    FROM aspirations_aspirationevent
    WHERE kind IN ('created', 'move')
) AS w
WHERE e.id = w.id AND w.kind = 'move' AND w.previous IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("aspirations", "0007_event_previous_on"),
    ]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
