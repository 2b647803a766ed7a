"""A first history row for every member made before her edits were kept, as
django-simple-history's ``populate_history`` writes it: the member as she stands, marked as
her creation at her ``created_at``. Her first edit then shows the old and the new values."""

from django.db import migrations


def add_baselines(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    HistoricalMember = apps.get_model("members", "HistoricalMember")
    kept = set(HistoricalMember.objects.values_list("id", flat=True).distinct())
    copied = [
        field.attname
        for field in HistoricalMember._meta.fields
        if not field.name.startswith("history_")
    ]
    rows = []
    for member in Member.objects.exclude(pk__in=kept).iterator(chunk_size=1000):
        values = {name: getattr(member, name) for name in copied}
        rows.append(HistoricalMember(**values, history_date=member.created_at, history_type="+"))
        if len(rows) == 1000:
            HistoricalMember.objects.bulk_create(rows)
            rows = []
    HistoricalMember.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("members", "0002_member_history")]

    operations = [migrations.RunPython(add_baselines, migrations.RunPython.noop)]
