"""Spreadsheet imports: one ``ImportJob`` per uploaded file, one ``ImportRow`` per data row
of its preview. Nothing outside these two tables is written before the preview is confirmed
(``imports.services.import_job_confirm``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kk_portal.permissions import Rule
from kk_portal.scoping import Role, ScopedQuerySet

#: The statuses of an import that wrote nothing and is not running: a preview never
#: confirmed, a file refused, a step that failed (a confirm writes in one transaction, so a
#: failed or refused one wrote nothing). Only such an import may be deleted; a written one
#: stays as the record of what was imported.
NEVER_WRITTEN = ("previewed", "refused", "failed")


def _never_written(_user):
    return Q(status__in=NEVER_WRITTEN)


class ImportJobQuerySet(ScopedQuerySet):
    """An import holds members' personal data: its uploader and administrators see it;
    nobody else (not even the regency's other facilitators)."""

    regency_path = "regency"
    programme_sees_all = False
    #: "import": upload a file and confirm its preview (DESIGN.md: facilitators import
    #: spreadsheets). Into which groups is ``writable(user, "change", ConstituentGroup)``.
    #: "delete": the uploader (the only facilitator who sees it) or an administrator
    #: deletes an import that wrote nothing (``NEVER_WRITTEN``).
    write_rules = {
        "import": Rule(Role.FACILITATOR, Role.ADMIN),
        "delete": Rule(
            Role.FACILITATOR,
            Role.ADMIN,
            where={Role.FACILITATOR: _never_written, Role.ADMIN: _never_written},
        ),
    }

    def scope_q(self, user):
        q = super().scope_q(user)
        if q is not None and not (user.is_superuser or user.role == Role.ADMIN):
            return q & Q(created_by=user.pk)
        return q


class ImportJob(models.Model):
    """One uploaded file of ``kind``: members into ``group`` (every row goes there) or
    ``regency`` (each row names its group; ``regency`` is also set for a group's import,
    for the lock that serialises confirms), the attendance of ``activity`` (``regency``
    its host's) or of the reses ``meeting`` (``regency`` its village's), or the reses
    meetings held in ``regency`` (each row names its village and representative), or the
    public roles of members of ``group`` or ``regency`` (as members), the activities or
    the budget obtained of ``group`` or ``regency``, or the cases of assistance of
    ``group`` (``imports.cases``).
    ``done``/``total`` is the progress of the running step in rows; the counts are those
    of the preview, then of the confirmed import."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("members")
        ATTENDANCE = "attendance", _("attendance of an activity")
        ASPIRATIONS = "aspirations", _("aspirations with their stages")
        RESES_ATTENDANCE = "reses_attendance", _("attendance of a reses meeting")
        RESES_MEETINGS = "reses_meetings", _("reses meetings held")
        PUBLIC_ROLES = "public_roles", _("public roles of members")
        ACTIVITIES = "activities", _("activities held")
        BUDGET_ACCESS = "budget_access", _("budget the groups obtained")
        CASES = "cases", _("cases of assistance")

    class DateFormat(models.TextChoices):
        DMY = "dmy", _("dd/mm/yyyy (17/08/2024)")
        MDY = "mdy", _("mm/dd/yyyy (08/17/2024)")
        YMD = "ymd", _("yyyy-mm-dd (2024-08-17)")

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("reading the file")
        PREVIEWED = "previewed", _("preview ready")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        REFUSED = "refused", _("file refused")
        FAILED = "failed", _("failed")

    class Step(models.TextChoices):
        PREVIEW = "preview", _("reading the file")
        CONFIRM = "confirm", _("importing")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("what is imported"), max_length=20, choices=Kind.choices)
    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
    )
    regency = models.ForeignKey(
        "groups.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("regency")
    )
    #: The activity whose attendance is imported (kind ``ATTENDANCE``).
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    #: The reses meeting whose attendance is imported (kind ``RESES_ATTENDANCE``).
    meeting = models.ForeignKey(
        "reses.ResesMeeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reses meeting"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    date_format = models.CharField(
        _("date format"), max_length=3, choices=DateFormat.choices, default=DateFormat.DMY
    )
    language = models.CharField(max_length=10, default="id", editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREVIEWING
    )
    #: Why the whole file was refused (no sheet, no header row, not UTF-8) or the import
    #: failed, in the uploader's language.
    message = models.TextField(_("message"), blank=True)
    #: The step whose every run failed (status ``FAILED``), so trying again runs it again.
    failed_step = models.CharField(max_length=8, choices=Step.choices, blank=True)
    #: Columns of the file that were not recognised and are ignored.
    ignored_columns = models.JSONField(default=list, blank=True)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    ambiguous = models.PositiveIntegerField(_("ambiguous"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="import_done_le_total"
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def running(self):
        return self.status in (self.Status.PREVIEWING, self.Status.IMPORTING)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


class ImportRowQuerySet(ScopedQuerySet):
    """The rows of the imports the user sees (``ImportJobQuerySet``)."""

    regency_path = "job__regency"
    programme_sees_all = False

    def scope_q(self, user):
        q = super().scope_q(user)
        if q is not None and not (user.is_superuser or user.role == Role.ADMIN):
            return q & Q(job__created_by=user.pk)
        return q


class ImportRow(models.Model):
    """What the preview found for one data row: ``number`` is the row's number in the sheet
    (1 for the first line of the file), ``values`` the parsed values by model field (JSON:
    dates as ISO text), ``errors`` a list of ``{"column", "value", "message"}``. ``member``
    is the match of an update or unchanged row; ``candidates`` the members an ambiguous row
    could be, and ``resolution`` the uploader's choice: a member's id, ``"new"`` or
    ``"skip"``."""

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        UNCHANGED = "unchanged", _("unchanged")
        ERROR = "error", _("error")
        AMBIGUOUS = "ambiguous", _("ambiguous")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    values = models.JSONField(default=dict)
    errors = models.JSONField(default=list, blank=True)
    #: What the match was found by (``"nik"``, ``"phone"``, ``"name"``), for the preview.
    matched_by = models.CharField(max_length=8, blank=True)
    changes = models.JSONField(default=list, blank=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    candidates = models.JSONField(default=list, blank=True)
    resolution = models.CharField(max_length=20, blank=True)

    objects = ImportRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_row_once"),
        ]

    def __str__(self):
        return f"{self.job_id}:{self.number}"

    #: How the preview says what a match was found by.
    MATCHED_BY = {
        "nik": _("by NIK"),
        "phone": _("by phone number"),
        "name": _("by name and birth year"),
    }

    @classmethod
    def of_chunk(cls, job, parsed, decide):
        """The unsaved rows of one chunk of ``job``'s file: ``parsed`` is ``[(number, values,
        errors)]`` as a kind reads its rows; ``decide(row)`` sets the action (and may add
        errors) of each row read without errors; a row with errors is ``ERROR``."""
        rows = []
        for number, values, errors in parsed:
            row = cls(job=job, number=number, values=values, errors=list(errors))
            if not row.errors:
                decide(row)
            if row.errors:
                row.action = cls.Action.ERROR
            rows.append(row)
        return rows

    @property
    def matched_by_label(self):
        """What the match was found by, in the user's language (``""`` without a match)."""
        return self.MATCHED_BY.get(self.matched_by, self.matched_by)
