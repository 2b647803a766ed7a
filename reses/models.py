"""Representatives, their electoral districts (dapil), reses meetings and agendas.

Districts of the nine DPRD kabupaten/kota come from PKPU 6/2023 Lampiran III
(``data/dapil-dprd-kabkota-2024*.csv``); a district's area is a set of villages.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aspirations.stages import ResesResponse
from groups.models import ConstituentGroup, Village
from kk_portal.permissions import Rule
from kk_portal.scoping import Role, ScopedQuerySet
from kk_portal.zones import TimeZone, local_datetime, zone_label, zone_of
from members.models import Sex
from members.text import fold_name


class Legislature(models.TextChoices):
    DPRD_KABKOTA = "dprd_kabkota", _("DPRD kabupaten/kota")
    DPRD_PROVINSI = "dprd_provinsi", _("DPRD provinsi")
    DPR_RI = "dpr_ri", _("DPR RI")


class ElectoralDistrict(models.Model):
    """A daerah pemilihan (dapil) of one legislature; its area is a set of villages.

    ``regency`` is set for DPRD kabupaten/kota districts, ``province`` for DPRD provinsi and
    DPR RI districts. ``seats`` is the number of seats allocated (PKPU 6/2023).
    """

    legislature = models.CharField(_("legislature"), max_length=14, choices=Legislature.choices)
    name = models.CharField(_("name"), max_length=100)
    kpu_code = models.CharField(_("KPU code"), max_length=12, blank=True)
    province = models.ForeignKey(
        "groups.Province",
        on_delete=models.PROTECT,
        related_name="electoral_districts",
        verbose_name=_("province"),
    )
    regency = models.ForeignKey(
        "groups.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="electoral_districts",
        verbose_name=_("regency"),
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    election_year = models.PositiveSmallIntegerField(_("election year"), default=2024)
    villages = models.ManyToManyField(
        "groups.Village",
        through="DistrictVillage",
        related_name="electoral_districts",
        verbose_name=_("villages"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("electoral district")
        verbose_name_plural = _("electoral districts")
        ordering = ["legislature", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["legislature", "name", "election_year"], name="district_unique_name"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="district_has_seats"),
            models.CheckConstraint(
                condition=~Q(legislature="dprd_kabkota") | Q(regency__isnull=False),
                name="district_kabkota_has_regency",
            ),
        ]

    def __str__(self):
        return self.name


class DistrictVillage(models.Model):
    """One village in the area of one electoral district."""

    district = models.ForeignKey(ElectoralDistrict, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey("groups.Village", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("village of a district")
        verbose_name_plural = _("villages of districts")
        constraints = [
            models.UniqueConstraint(fields=["district", "village"], name="district_village_once")
        ]

    def __str__(self):
        return f"{self.district} – {self.village}"


def district_village_ids(representative_id):
    """Subquery of the ids of the villages in a representative's electoral district
    (``groups.models.VillageQuerySet.represented_by``)."""
    return Village.objects.represented_by(representative_id)


#: DPRD staff organise their representative's reses, facilitators those in their regency,
#: administrators all; programme staff and officers only read them.
ORGANISERS = Rule(Role.DPRD, Role.FACILITATOR, Role.ADMIN)


class RepresentativeQuerySet(ScopedQuerySet):
    #: "organise_reses": plan a reses meeting of the representative.
    write_rules = {"organise_reses": ORGANISERS}

    def officer_q(self, group_id):
        village = ConstituentGroup.objects.filter(pk=group_id).values("village")
        return Q(
            district__in=DistrictVillage.objects.filter(village__in=village).values("district")
        )

    def facilitator_q(self, regency_id):
        return Q(
            district__in=DistrictVillage.objects.filter(
                village__subdistrict__regency=regency_id
            ).values("district")
        )

    def dprd_q(self, representative_id):
        return Q(pk=representative_id)


#: (month, day) a term year begins. A DPRD member's term is five years from the oath at
#: inauguration (UU 23/2014 on regional government); the members elected in 2019 and in
#: 2024 were inaugurated in August–September of those years. The day is not recorded, so
#: every term year is taken to run from 1 September to 31 August.
TERM_YEAR_BEGINS = (9, 1)


class Representative(models.Model):
    """An elected member of one legislature for one term; women members are APP."""

    full_name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    party = models.CharField(_("party"), max_length=100)
    district = models.ForeignKey(
        ElectoralDistrict,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("electoral district"),
    )
    term_start = models.PositiveSmallIntegerField(_("term starts"), default=2024)
    term_end = models.PositiveSmallIntegerField(_("term ends"), default=2029)
    commission = models.CharField(_("commission"), max_length=100, blank=True)
    # The letterhead of the reses agenda pack (``reses/_letterhead.html``); blank lines are
    # left out of it.
    office_name = models.CharField(
        _("office"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the agenda pack's letterhead, e.g. “Rumah Aspirasi” or a faction."),
    )
    office_address = models.CharField(
        _("office address"),
        max_length=300,
        blank=True,
        help_text=_("Street, village, regency; a telephone number may follow."),
    )

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=F("term_start")), name="representative_term_order"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def legislature(self):
        return self.district.legislature

    @property
    def seat(self):
        """The legislature and its area as a letterhead names it: "DPRD Kota Ambon",
        "DPRD Provinsi Maluku", "DPR RI" (a string; needs ``district`` and its regency or
        province)."""
        district = self.district
        if district.legislature == Legislature.DPR_RI:
            return "DPR RI"
        if district.legislature == Legislature.DPRD_PROVINSI:
            return _("DPRD Province of %(province)s") % {"province": district.province}
        return f"DPRD {district.regency or district.province}"

    @property
    def is_app(self):
        """True for a woman member (Anggota Parlemen Perempuan)."""
        return self.sex == Sex.FEMALE

    @property
    def term_years(self):
        """How many term years the term has (``term_end - term_start``, five for a DPRD)."""
        return self.term_end - self.term_start

    def term_year_span(self, number):
        """``(first day, last day)`` (dates, both inclusive) of term year ``number``
        (1..``term_years``): 1 September to 31 August (``TERM_YEAR_BEGINS``). Year 1 starts on
        1 January of ``term_start`` and the last year ends on 31 December of ``term_end``, the
        whole years ``ResesMeeting.clean`` admits, so every meeting falls in one term year."""
        month, day = TERM_YEAR_BEGINS
        first = (
            datetime.date(self.term_start, 1, 1)
            if number == 1
            else datetime.date(self.term_start + number - 1, month, day)
        )
        last = (
            datetime.date(self.term_end, 12, 31)
            if number == self.term_years
            else datetime.date(self.term_start + number, month, day) - datetime.timedelta(days=1)
        )
        return first, last

    def term_year_of(self, day):
        """The term year (1..``term_years``) of the local date ``day`` (``term_year_span``);
        a day outside the term's years counts in the nearest one."""
        begun = (day.month, day.day) >= TERM_YEAR_BEGINS
        number = day.year - self.term_start + (1 if begun else 0)
        return min(max(number, 1), self.term_years)


class ResesMeetingQuerySet(ScopedQuerySet):
    regency_path = "village__subdistrict__regency"
    write_rules = {
        # Edit the meeting, build its agenda, record attendance and responses; as a class,
        # create one (DPRD staff for their representative, facilitators in their regency).
        "manage": ORGANISERS,
        # Propose the group's aspirations for the agenda of a meeting the officer sees.
        "propose": Rule(Role.OFFICER),
    }

    def officer_q(self, group_id):
        village = ConstituentGroup.objects.filter(pk=group_id).values("village")
        return Q(village__in=village) | Q(organising_group=group_id)

    def dprd_q(self, representative_id):
        return Q(representative=representative_id)

    def held_by_term_year(self, representative, *, until):
        """The representative's meetings held on or before local day ``until`` (a date, each
        meeting on its own clock as in ``on_local_days``) per term year
        (``Representative.term_year_of``): ``[(term year, first day, last day, count)]`` for
        the years with meetings, in order; the last day is at most ``until``. One query."""
        counts = {}
        for starts_at, zone in (
            self.filter(representative=representative)
            .on_local_days(end=until)
            .values_list("starts_at", "village__subdistrict__regency__time_zone")
        ):
            number = representative.term_year_of(starts_at.astimezone(zone_of(zone)).date())
            counts[number] = counts.get(number, 0) + 1
        result = []
        for number in sorted(counts):
            first, last = representative.term_year_span(number)
            result.append((number, first, min(last, until), counts[number]))
        return result

    def on_local_days(self, start=None, end=None):
        """Meetings held from local day ``start`` through local day ``end`` (dates, both
        inclusive, either may be ``None``), each judged on its own clock: the zone of its
        village's regency, the zone its times are shown in (WITA, or WIT in Kota Ambon).

        One condition per zone (``regency.time_zone = Z`` and ``starts_at`` in
        ``[start 00:00 Z, end + 1 day 00:00 Z)``), joined by OR: the end day is included up
        to the next local midnight. Used by the meeting list's date filter and the
        dashboard's reses figures.
        """
        if start is None and end is None:
            return self.all()
        condition = Q()
        for name in TimeZone.values:
            in_zone = Q(village__subdistrict__regency__time_zone=name)
            if start is not None:
                in_zone &= Q(starts_at__gte=local_datetime(start, datetime.time(), name))
            if end is not None:
                next_day = end + datetime.timedelta(days=1)
                in_zone &= Q(starts_at__lt=local_datetime(next_day, datetime.time(), name))
            condition |= in_zone
        return self.filter(condition)


def village_in_district(representative, village):
    """True if ``village`` lies in the electoral district of ``representative``."""
    return DistrictVillage.objects.filter(
        district=representative.district_id, village=village
    ).exists()


class ResesMeeting(models.Model):
    """One reses meeting of a representative with constituents.

    ``starts_at``/``ends_at`` are aware datetimes, stored in UTC and shown in the zone of the
    village's regency (WITA, or WIT for Kota Ambon).

    Attendance is kept two ways, side by side and never mixed: ``attendance_female`` … are
    the counts typed by the organisers (everyone in the room, listed or not), and
    ``attendees`` (``ResesAttendance``) are the people listed by name, whose counts are
    ``ResesAttendance.objects.filter(meeting=…).counts()``. A sheet with thirty names of a
    meeting of eighty people must not lower the typed count, nor may the typed count be
    passed off as a list, so the meeting page shows both, each labelled.
    """

    representative = models.ForeignKey(
        Representative,
        on_delete=models.PROTECT,
        related_name="reses_meetings",
        verbose_name=_("representative"),
    )
    reses_period = models.CharField(
        _("reses period"), max_length=60, help_text=_("For example: Reses I 2025.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    village = models.ForeignKey(
        "groups.Village",
        on_delete=models.PROTECT,
        related_name="reses_meetings",
        verbose_name=_("village"),
    )
    organising_group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reses_meetings",
        verbose_name=_("organising group"),
    )
    expected_attendance = models.PositiveIntegerField(_("expected attendance"), default=0)
    attendance_female = models.PositiveIntegerField(_("women attending"), null=True, blank=True)
    attendance_male = models.PositiveIntegerField(_("men attending"), null=True, blank=True)
    attendance_poor = models.PositiveIntegerField(_("poor attending"), null=True, blank=True)
    attendance_disability = models.PositiveIntegerField(
        _("people with disability attending"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # A second tap on "Save" finds the meeting the first one made (kk_portal.forms).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ResesMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reses meeting")
        verbose_name_plural = _("reses meetings")
        ordering = ["-starts_at"]
        indexes = [
            # The meeting list's sort by date (``reses.views.SORT_KEYS``), both ways.
            models.Index(fields=["starts_at", "id"], name="meeting_sort_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="reses_meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.reses_period}: {self.representative} – {self.village}"

    def get_absolute_url(self):
        return reverse("reses:meeting_detail", args=[self.pk])

    @property
    def time_zone(self):
        """IANA zone of the meeting's regency (``Asia/Jayapura`` in Kota Ambon)."""
        return self.village.subdistrict.regency.time_zone

    @property
    def zone_label(self):
        """``WITA`` or ``WIT``: shown beside every time of the meeting."""
        return zone_label(self.time_zone)

    @property
    def attendance_total(self):
        return (self.attendance_female or 0) + (self.attendance_male or 0)

    @property
    def attendance_recorded(self):
        return self.attendance_female is not None or self.attendance_male is not None

    def clean(self):
        """Refuse an end before the start, a start outside the representative's term, a
        village outside the representative's district and attendance counts that do not fit
        (poor and disability are parts of the total).

        The term check compares years: the meeting's local year (in its village's zone) must
        lie in ``term_start``..``term_end``, both years inclusive. A term runs from one
        inauguration to the next, within those years; the day of inauguration is not
        recorded, so the whole first and last years are allowed.
        """
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.starts_at and self.representative_id and self.village_id:
            year = self.starts_at.astimezone(zone_of(self)).year
            term = self.representative
            if not term.term_start <= year <= term.term_end:
                errors["starts_at"] = _(
                    "%(representative)s serves %(start)s–%(end)s; a reses meeting must be "
                    "held within that term."
                ) % {
                    "representative": term,
                    "start": term.term_start,
                    "end": term.term_end,
                }
        if self.representative_id and self.village_id:
            if not village_in_district(self.representative, self.village):
                errors["village"] = _(
                    "%(village)s is not in %(district)s, the electoral district of "
                    "%(representative)s."
                ) % {
                    "village": self.village,
                    "district": self.representative.district,
                    "representative": self.representative,
                }
        errors.update(
            self.attendance_errors(
                self.attendance_female,
                self.attendance_male,
                self.attendance_poor,
                self.attendance_disability,
            )
        )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def attendance_errors(female, male, poor, disability):
        """Errors by field name when the poor or disabled attendees outnumber all attendees.

        Counts are people; ``None`` means not counted. Returns ``{}`` when the counts fit.
        """
        total = (female or 0) + (male or 0)
        errors = {}
        if poor is not None and poor > total:
            errors["attendance_poor"] = _(
                "More poor attendees (%(part)s) than women and men together (%(total)s)."
            ) % {"part": poor, "total": total}
        if disability is not None and disability > total:
            errors["attendance_disability"] = _(
                "More attendees with disability (%(part)s) than women and men together (%(total)s)."
            ) % {"part": disability, "total": total}
        return errors


class ResesAttendanceQuerySet(ScopedQuerySet):
    """Who attended is personal data (DESIGN.md, "Who may see what"): the rows of the
    meetings a user sees, without programme staff (aggregates only) and DPRD staff, who read
    the meeting's counts instead. Rows are written under the meeting's ``"manage"`` rule by
    those who also see them (``reses.services.reses_attendance_add_members``)."""

    regency_path = "meeting__village__subdistrict__regency"
    programme_sees_all = False

    def officer_q(self, group_id):
        seen = ResesMeeting.objects.filter(ResesMeeting.objects.none().officer_q(group_id))
        return Q(meeting__in=seen.values("pk"))

    def by_name(self):
        """These rows in order of name: the member's, or the guest's."""
        return self.order_by(
            Coalesce(NullIf("name_folded", Value("")), "member__name_folded"), "pk"
        )

    def counts(self):
        """``{"total", "women", "men", "poor", "disability"}`` of these rows, one query."""
        return self.aggregate(
            total=models.Count("pk"),
            women=models.Count("pk", filter=Q(sex=Sex.FEMALE)),
            men=models.Count("pk", filter=Q(sex=Sex.MALE)),
            poor=models.Count("pk", filter=Q(is_poor=True)),
            disability=models.Count("pk", filter=Q(has_disability=True)),
        )


class ResesAttendance(models.Model):
    """One person at one reses meeting: a ``member`` of a group of the meeting's village or
    of its organising group, or a guest with a ``full_name``. Sex, poverty and disability
    are copied from the member when listed, so the counts of past meetings stay as they
    were. A person is listed once per meeting (unique member, or unique folded name among
    the guests); ``recorded_by``/``recorded_at`` say who listed them and when (UTC)."""

    meeting = models.ForeignKey(
        ResesMeeting,
        on_delete=models.CASCADE,
        related_name="attendees",
        verbose_name=_("reses meeting"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reses_attendance",
        verbose_name=_("member"),
    )
    # Guests only: a member's name is read from the member, so anonymising them removes it
    # here too.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    name_folded = models.CharField(max_length=150, editable=False, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    is_poor = models.BooleanField(_("poor"), default=False)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ResesAttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reses attendance")
        verbose_name_plural = _("reses attendance")
        ordering = ["name_folded", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="reses_attendance_member_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "name_folded"],
                condition=Q(member__isnull=True),
                name="reses_attendance_guest_once",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(name_folded=""),
                name="reses_attendance_guest_has_name",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["F", "M"]), name="reses_attendance_sex_valid"
            ),
        ]

    def __str__(self):
        return str(self.member) if self.member_id else self.full_name

    def save(self, *args, **kwargs):
        # The folded name is what "listed once" compares: it must follow the name.
        self.name_folded = fold_name(self.full_name)
        super().save(*args, **kwargs)


class AgendaItem(models.Model):
    """An aspiration on a reses meeting's agenda, and the representative's response to it."""

    #: The responses, defined with the aspiration's way (``aspirations.stages``).
    Response = ResesResponse

    meeting = models.ForeignKey(
        ResesMeeting,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("reses meeting"),
    )
    aspiration = models.ForeignKey(
        "aspirations.Aspiration",
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("aspiration"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    proposed_by_group = models.BooleanField(_("proposed by the group"), default=False)
    accepted = models.BooleanField(_("accepted by staff"), default=True)
    response = models.CharField(_("response"), max_length=14, choices=Response.choices, blank=True)
    response_note = models.TextField(_("response note"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "aspiration"], name="agenda_aspiration_once"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.aspiration}"

    @staticmethod
    def check_in_district(meeting, aspirations):
        """Raise ``ValidationError`` (one message per aspiration) unless every aspiration in
        ``aspirations`` concerns a village of the district of the meeting's representative
        (an item from another district is refused). One query for any number."""
        village_ids = {aspiration.village_id for aspiration in aspirations}
        inside = set(
            DistrictVillage.objects.filter(
                district=meeting.representative.district_id, village__in=village_ids
            ).values_list("village_id", flat=True)
        )
        outside = [a for a in aspirations if a.village_id not in inside]
        if outside:
            raise ValidationError(
                [
                    _(
                        "“%(title)s” concerns %(village)s, outside %(district)s; it cannot go "
                        "on this agenda."
                    )
                    % {
                        "title": aspiration.title,
                        "village": aspiration.village,
                        "district": meeting.representative.district,
                    }
                    for aspiration in outside
                ]
            )
