"""The index the median days between stages read the moves of a scope from
(``AspirationEvent.Meta.indexes``, ``event_move_steps``), built after the fill (``0008``) so
that the fill does not keep it up to date row by row."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aspirations", "0008_fill_previous_on"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="aspirationevent",
            index=models.Index(
                condition=models.Q(("kind", "move")),
                fields=["aspiration", "id", "to_stage", "occurred_on", "previous_on"],
                name="event_move_steps",
            ),
        ),
    ]
