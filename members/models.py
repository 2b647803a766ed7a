"""Members of constituent groups: the people, their consent, and their personal data.

Personal data is visible only to the group's officers and the regency's facilitator
(DESIGN.md); programme and DPRD staff see aggregates.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kk_portal.formats import NOT_FILLED_KEY
from kk_portal.permissions import GROUP_WRITERS
from kk_portal.scoping import ScopedQuerySet
from members.text import fold_name, normalise_phone


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


#: Age buckets of members in whole years, ``(key, label, lowest, highest)``; members whose
#: age is unknown or impossible fall in the ``NOT_FILLED_KEY`` bucket (``age_bucket_q``).
AGE_BUCKETS = (
    ("under_18", _("under 18"), 0, 17),
    ("18_29", _("18–29"), 18, 29),
    ("30_44", _("30–44"), 30, 44),
    ("45_59", _("45–59"), 45, 59),
    ("60_plus", _("60 and over"), 60, 200),
)


def in_group_on_q(day):
    """``Q`` of members in their group on the ``date`` ``day``: joined by then (or no date
    known) and not left by then. The rule of the dashboard's member figures and of the member
    list's ``?active_on=`` filter."""
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=day)) & (
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def age_bucket_q(key, today=None):
    """``Q`` of members in age bucket ``key`` (``AGE_BUCKETS``) or, for ``NOT_FILLED_KEY``,
    members whose birth date and year are missing or in the future (typing slips such as
    2104 count as not filled, so that the buckets add up to all members).

    The age is ``today``'s year (default: today in the active zone) minus the birth year (or
    the birth date's year). One rule for the dashboard, the member list's ``?age=`` filter
    and its export. Raises ``ValueError`` for an unknown key.
    """
    today = today or timezone.localdate()
    valid_date = Q(birth_date__isnull=False, birth_date__lte=today)
    valid_year = Q(birth_date__isnull=True, birth_year__isnull=False, birth_year__lte=today.year)
    if key == NOT_FILLED_KEY:
        return ~valid_date & ~valid_year
    for bucket, _label, lowest, highest in AGE_BUCKETS:
        if bucket == key:
            born = (today.year - highest, today.year - lowest)
            return (valid_date & Q(birth_date__year__range=born)) | (
                valid_year & Q(birth_year__range=born)
            )
    raise ValueError(f"Unknown age bucket {key!r}")


#: The purpose members consent to by default (stored as text, in Indonesian, as the member is
#: told it; UU PDP 27/2022 art. 20-22: consent is given for a stated purpose).
DEFAULT_CONSENT_PURPOSE = (
    "Keanggotaan kelompok konstituen dan penyampaian aspirasi kelompok kepada DPRD dan pemerintah"
)


class MemberQuerySet(ScopedQuerySet):
    group_path = "group"
    regency_path = "group__village__subdistrict__regency"
    programme_sees_all = False  # personal data: aggregates only
    #: "change": edit the member, mark them as left, anonymise them.
    write_rules = {"change": GROUP_WRITERS}

    def active(self):
        """Members who have not left."""
        return self.filter(left_on__isnull=True)

    def in_group_on(self, day):
        """Members in their group on the ``date`` ``day`` (``in_group_on_q``)."""
        return self.filter(in_group_on_q(day))

    def aged(self, key, today=None):
        """Members in age bucket ``key`` (``AGE_BUCKETS`` or ``NOT_FILLED_KEY``; see
        ``age_bucket_q``)."""
        return self.filter(age_bucket_q(key, today))

    def search(self, text):
        """Members found by ``text``: a phone number in any usual form (``0812-…``,
        ``62812…``, ``+62 812 …``: the same ``+62…`` as stored, ``normalise_phone``), else
        every word of it in the name or the group's village name, ignoring case, accents and
        apostrophes (``fold_name``: "Ma’ruf", "Ma'ruf" and "maruf" find "Ma'ruf Letsoin").
        ``self`` unchanged for a blank ``text``. A substring search on both databases: a
        person's name is not stemmed, and a user sees one group's or one regency's members.
        """
        text = text or ""
        # Eight digits at least: the shortest number normalise_phone accepts.
        if sum(c.isdigit() for c in text) >= 8:
            try:
                return self.filter(phone=normalise_phone(text))
            except ValidationError:
                pass
        q = Q()
        for word in fold_name(text).split()[:10]:
            q &= Q(name_folded__contains=word) | Q(group__village__name__icontains=word)
        return self.filter(q)

    def probable_duplicates(self, group, full_name, birth_year):
        """Members of ``group`` who are probably the person being registered as
        ``full_name`` born in ``birth_year`` (an ``int`` or ``None``): the same folded name
        (``members.text.fold_name``: "Ma’ruf Letsoin" is "maruf letsoin") and the same birth
        year, both unknown counting as the same (a returning member
        registered twice). Same NIK is refused outright by the unique NIK instead.
        """
        folded = fold_name(full_name)
        if not folded or group is None:
            return self.none()
        rows = self.filter(group=group, name_folded=folded)
        if birth_year is None:
            return rows.filter(birth_year__isnull=True)
        return rows.filter(birth_year=birth_year)


class Member(models.Model):
    """A person in a group; officers are members with a position.

    ``full_name`` is one field because many Indonesians have a single name. ``nik`` is the
    16-digit national ID as text, unique where given. ``phone`` is stored as ``+62…``
    (``members.text.normalise_phone``).
    """

    class Position(models.TextChoices):
        CHAIR = "chair", _("chair (ketua)")
        SECRETARY = "secretary", _("secretary (sekretaris)")
        TREASURER = "treasurer", _("treasurer (bendahara)")
        MEMBER = "member", _("member (anggota)")

    class PovertyEvidence(models.TextChoices):
        NONE = "", _("not stated")
        DTKS = "dtks", _("listed in the social-welfare register (DTKS/DTSEN)")
        PKH = "pkh", _("receives PKH")
        KIS = "kis", _("holds a KIS/BPJS PBI card")
        SKTM = "sktm", _("letter of poverty (SKTM)")
        ASSESSMENT = "assessment", _("group's own assessment")

    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("group"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # null rather than "" so that the unique constraint ignores members without a NIK.
    nik = models.CharField(  # noqa: DJ001
        _("NIK"), max_length=16, null=True, blank=True, help_text=_("16 digits, if known.")
    )
    is_poor = models.BooleanField(_("poor"), default=False)
    poverty_evidence = models.CharField(
        _("poverty evidence"),
        max_length=12,
        choices=PovertyEvidence.choices,
        blank=True,
        default=PovertyEvidence.NONE,
    )
    has_disability = models.BooleanField(_("has a disability"), default=False)
    position = models.CharField(
        _("position"), max_length=10, choices=Position.choices, default=Position.MEMBER
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_purpose = models.CharField(
        _("purpose of the consent"),
        max_length=300,
        default=DEFAULT_CONSENT_PURPOSE,
        help_text=_("What the member agreed that the group uses their data for."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = MemberQuerySet.as_manager()
    #: Every change to a member (who, when, old and new values), shown on the member page.
    history = HistoricalRecords(excluded_fields=["name_folded", "updated_at", "submission_token"])

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name_folded", "pk"]
        indexes = [
            # Serves the group's member list and the dashboard's group breakdowns.
            models.Index(fields=["group", "sex", "is_poor"], name="member_group_sex_poor"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"], condition=Q(nik__isnull=False), name="member_nik_unique"
            ),
            models.CheckConstraint(
                condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"),
                name="member_nik_16_digits",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+62[0-9]{8,13}$"),
                name="member_phone_normalised",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="member_birth_year_plausible",
            ),
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="member_sex_valid"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            ),
        ]

    def __str__(self):
        return self.full_name or str(_("(anonymised member)"))

    def save(self, *args, **kwargs):
        # The folded name is derived data for search; it must follow the name.
        self.name_folded = fold_name(self.full_name)
        if self.nik == "":
            self.nik = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    @property
    def is_active_member(self):
        return self.left_on is None

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    def leave(self, on):
        """Mark the member as left on the date ``on`` (kept, not deleted, so counts of past
        years stay right). Raises ``ValidationError`` if ``on`` is before ``joined_on``."""
        if self.joined_on and on < self.joined_on:
            raise ValidationError(_("A member cannot leave before joining."))
        self.left_on = on
        self.save(update_fields=["left_on", "updated_at"])

    def anonymise(self):
        """Clear personal fields after consent is withdrawn, keeping sex, poverty, disability,
        position and dates so that counts stay right. Saves the row.

        The edit history held the old names, NIK and phone numbers: it is deleted, and the
        save leaves one record saying when the member was anonymised and by whom.

        Her cases of assistance are not changed beyond losing her name (they show the
        member as anonymised): a case is recorded on its own consent, asked and dated for
        that case, and withdrawing it anonymises the case (``case_withdraw_consent``), as
        the issue's consent rules and DESIGN.md (assistance) say. Withdrawing consent to
        the member register does not withdraw it from a case she asked help for."""
        self.full_name = ""
        self.nik = None
        self.phone = ""
        self.address = ""
        self.birth_date = None
        self.consent_given_on = None
        self.anonymised_at = timezone.now()
        with transaction.atomic():
            self.history.all().delete()
            self.save()


class OfficerTermQuerySet(ScopedQuerySet):
    """Officers' names are members' personal data: programme and DPRD staff see none."""

    group_path = "group"
    regency_path = "group__village__subdistrict__regency"
    programme_sees_all = False
    #: "change": start and end terms of the group's officers.
    write_rules = {"change": GROUP_WRITERS}

    def current_on(self, day):
        """Terms running on the ``date`` ``day``: started by then, not ended before it."""
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class OfficerTerm(models.Model):
    """A member's term as chair, secretary or treasurer of their group, from ``started_on``
    to ``ended_on`` (inclusive; open while running). Past terms stay on record; a group has
    one open term per position (``members.services.officer_term_start`` ends the previous
    one)."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("chair (ketua)")
        SECRETARY = "secretary", _("secretary (sekretaris)")
        TREASURER = "treasurer", _("treasurer (bendahara)")

    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="officer_terms",
        verbose_name=_("group"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="officer_terms", verbose_name=_("member")
    )
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = OfficerTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer term")
        verbose_name_plural = _("officer terms")
        ordering = ["position", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="officer_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(position__in=["chair", "secretary", "treasurer"]),
                name="officer_term_position_valid",
            ),
            models.UniqueConstraint(
                fields=["group", "position"],
                condition=Q(ended_on__isnull=True),
                name="officer_term_one_open_per_position",
            ),
        ]

    def __str__(self):
        return f"{self.get_position_display()}: {self.member}"


class PublicRoleKind(models.TextChoices):
    """Public roles members come to hold (the seed article's list)."""

    RT_HEAD = "rt_head", _("RT head")
    RW_HEAD = "rw_head", _("RW head")
    VILLAGE_HEAD = "village_head", _("village head")
    BPD = "bpd", _("village council (BPD)")
    LPM = "lpm", _("village institution: LPM")
    PKK = "pkk", _("village institution: PKK")
    POSYANDU = "posyandu", _("village institution: posyandu cadre")
    CANDIDATE_DPRD = "candidate_dprd", _("candidate for DPRD")
    CANDIDATE_DPR = "candidate_dpr", _("candidate for DPR")
    OTHER = "other", _("other")


#: The kinds that are candidacies: they need a party and an election year.
CANDIDACIES = (PublicRoleKind.CANDIDATE_DPRD, PublicRoleKind.CANDIDATE_DPR)


class PublicRoleQuerySet(ScopedQuerySet):
    """Like members' personal data (DESIGN.md): programme and DPRD staff see aggregates."""

    group_path = "member__group"
    regency_path = "member__group__village__subdistrict__regency"
    programme_sees_all = False
    #: "change": record, edit and end a member's public roles.
    write_rules = {"change": GROUP_WRITERS}

    @staticmethod
    def held_on_q(day):
        """The condition of a role held on the ``date`` ``day``; candidacies count from
        their start."""
        return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))

    def held_on(self, day):
        """Roles held on the ``date`` ``day`` (``held_on_q``)."""
        return self.filter(self.held_on_q(day))


class PublicRole(models.Model):
    """A public role a member holds or held, from ``started_on`` to ``ended_on``
    (inclusive; open while held). A candidacy (``CANDIDACIES``) carries its ``party``,
    ``election_year`` and ``result``."""

    class Result(models.TextChoices):
        NONE = "", _("not applicable")
        PENDING = "pending", _("not yet known")
        ELECTED = "elected", _("elected")
        NOT_ELECTED = "not_elected", _("not elected")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="public_roles", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PublicRoleKind.choices)
    description = models.CharField(
        _("description"),
        max_length=150,
        blank=True,
        help_text=_("For example RT 003, or the name of the institution."),
    )
    party = models.CharField(_("party"), max_length=80, blank=True)
    election_year = models.PositiveSmallIntegerField(_("election year"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=12, choices=Result.choices, blank=True, default=Result.NONE
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = PublicRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("public role")
        verbose_name_plural = _("public roles")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="public_role_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PublicRoleKind.values), name="public_role_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=CANDIDACIES)
                | (~Q(party="") & Q(election_year__isnull=False)),
                name="public_role_candidacy_has_party_and_year",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.member}"

    def clean(self):
        """The rules of a role, for the form and the import alike: the end is not before
        the start; a candidacy needs its party and an election year between 1999 and 2100;
        any other kind keeps no party, election year or result (they are cleared). Raises
        ``ValidationError`` by field."""
        errors = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("The end date is before the start date.")
        if self.election_year is not None and not 1999 <= self.election_year <= 2100:
            errors["election_year"] = _("Write an election year such as 2024.")
        if self.kind in CANDIDACIES:
            if not self.party.strip():
                errors["party"] = _("Write the candidate's party.")
            if self.election_year is None:
                errors["election_year"] = _("Write the election year.")
        elif self.kind:
            self.party, self.election_year, self.result = "", None, self.Result.NONE
        if errors:
            raise ValidationError(errors)
