"""Summary tables of the dashboards: counts and Rupiah sums of aspirations per cell, kept
exact by ``dashboards.summaries`` in the transaction of every write (DESIGN.md: "summary
tables kept up to date by the move function are welcome where live aggregates are too
slow")."""

from django.db import models

from aspirations.models import summary_columns


class AspirationSummary(models.Model):
    """Counts of aspirations per cell, kept in step by ``dashboards.summaries``.

    A cell is a ``grain`` (which dimensions it keeps) and its key: the regency of the
    village concerned (``0`` = all regencies), topic, urusan (``0`` = none, or all), channel
    (``""`` = all), the year raised (``0`` = all years) and the month raised (1–12 in the
    monthly grains, ``0`` in the others). Grains: ``region`` (regency × topic × urusan ×
    year: funnel, topic, urusan, beneficiaries and regions), ``region_all`` (the same over
    all years), ``channel`` (topic × urusan × channel × year over the whole country) and
    ``region_channel`` (regency × topic × channel × year), and ``region_month``,
    ``channel_month`` and ``region_channel_month``, the same by month, for periods that
    start or end inside a year. A national dashboard without a period reads the 500 cells
    of ``channel`` plus the 5,000 of ``region_all``.
    """

    grain = models.CharField(max_length=20)
    regency_id = models.IntegerField()
    topic_id = models.IntegerField()
    urusan_id = models.IntegerField()
    channel = models.CharField(max_length=14)
    year = models.SmallIntegerField()
    month = models.SmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "regency_id", "topic_id", "urusan_id", "channel", "year", "month"],
                name="aspiration_summary_cell",
            )
        ]
        # A period's cells by grain and months, whatever their regency: the unique key
        # above would walk every cell of the grain.
        indexes = [
            models.Index(fields=["grain", "year", "month"], name="aspiration_summary_period")
        ]

    def __str__(self):
        return f"{self.grain} {self.regency_id}/{self.topic_id}/{self.urusan_id}/{self.channel}"


# One count column per figure the dashboard reads (``aspirations.models.summary_columns``).
for _column in summary_columns():
    AspirationSummary.add_to_class(_column, models.IntegerField(default=0))


class MoneySummary(models.Model):
    """Budget outcomes per regency (of the aspiration's village), topic and fiscal year:
    Rupiah budgeted and realised, and how many outcomes; kept by ``dashboards.summaries``.

    ``fiscal_year`` 0 holds all years. Not by source of funds: the dashboard does not cut
    by it, and without it 360,000 outcomes fit in about 40,000 cells (5,000 for all
    years)."""

    regency_id = models.IntegerField()
    topic_id = models.IntegerField()
    fiscal_year = models.SmallIntegerField()
    budgeted = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    realised = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    outcomes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["regency_id", "topic_id", "fiscal_year"], name="money_summary_cell"
            )
        ]

    def __str__(self):
        return f"{self.regency_id}/{self.topic_id}/{self.fiscal_year}"
