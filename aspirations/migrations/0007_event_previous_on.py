"""Each move's date of the step before it (``AspirationEvent.previous_on``); filled in
``0008_fill_previous_on``. Adding a nullable column without a default is instant on
PostgreSQL, so this migration's lock on the events table is short; the fill, in a migration
of its own, locks only the rows it writes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aspirations", "0006_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="aspirationevent",
            name="previous_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="date of the step before"
            ),
        ),
    ]
