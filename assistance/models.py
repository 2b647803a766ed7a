"""Cases of assistance: a citizen the group helps reach a public service, step by step.

The groups help citizens get civil-registration documents, rice aid, health-insurance cards,
children back to school, and they accompany women and children who suffered violence (the
BaKTI article in ``../shared/seed/``). A case of violence is confidential: only the officers
named on it and the facilitator of the regency see it (``AssistanceCaseQuerySet``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.models import Village
from kk_portal.permissions import Rule, acting_role
from kk_portal.scoping import Role, ScopedQuerySet
from members.models import Sex
from members.text import fold_name


class Kind(models.TextChoices):
    """What kind of help the case is about; ``Need`` says exactly what is sought."""

    CIVIL_REGISTRATION = "civil_registration", _("civil registration document")
    SOCIAL_ASSISTANCE = "social_assistance", _("social assistance")
    HEALTH_INSURANCE = "health_insurance", _("health insurance")
    EDUCATION = "education", _("education")
    VIOLENCE = "violence", _("violence against women or children")
    OTHER = "other", _("other")


class Need(models.TextChoices):
    """What the person seeks; each need belongs to one ``Kind`` (``KIND_OF_NEED``)."""

    KTP = "ktp", _("identity card (KTP)")
    KK = "kk", _("family card (KK)")
    BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate (akta kelahiran)")
    RASTRA_BPNT = "rastra_bpnt", _("rice aid (Rastra/BPNT)")
    PKH = "pkh", _("family hope programme (PKH)")
    BPJS_KIS = "bpjs_kis", _("health insurance card (BPJS/KIS)")
    BACK_TO_SCHOOL = "back_to_school", _("a child back to school")
    VIOLENCE_WOMAN = "violence_woman", _("violence against a woman")
    VIOLENCE_CHILD = "violence_child", _("violence against a child")
    OTHER = "other", _("other help")


#: The kind each need belongs to, in the order the form groups them.
KIND_OF_NEED = {
    Need.KTP: Kind.CIVIL_REGISTRATION,
    Need.KK: Kind.CIVIL_REGISTRATION,
    Need.BIRTH_CERTIFICATE: Kind.CIVIL_REGISTRATION,
    Need.RASTRA_BPNT: Kind.SOCIAL_ASSISTANCE,
    Need.PKH: Kind.SOCIAL_ASSISTANCE,
    Need.BPJS_KIS: Kind.HEALTH_INSURANCE,
    Need.BACK_TO_SCHOOL: Kind.EDUCATION,
    Need.VIOLENCE_WOMAN: Kind.VIOLENCE,
    Need.VIOLENCE_CHILD: Kind.VIOLENCE,
    Need.OTHER: Kind.OTHER,
}


class Service(models.TextChoices):
    """The public service a step reached."""

    DUKCAPIL = "dukcapil", _("Dukcapil (civil registration office)")
    DINAS_SOSIAL = "dinas_sosial", _("Dinas Sosial (social affairs office)")
    BPJS = "bpjs", _("BPJS office")
    SCHOOL = "school", _("school")
    UPTD_PPA = "uptd_ppa", _("UPTD PPA / P2TP2A (protection of women and children)")
    POLICE = "police", _("police (PPA unit)")
    HEALTH_CENTRE = "health_centre", _("health centre (puskesmas)")
    LEGAL_AID = "legal_aid", _("legal aid (LBH, posbakum)")
    VILLAGE_OFFICE = "village_office", _("village or kelurahan office")
    OTHER = "other", _("other service")


class Status(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    """What came of the case; ``NONE`` while nothing has come of it yet."""

    NONE = "", _("no outcome yet")
    OBTAINED = "obtained", _("obtained")
    REFUSED = "refused", _("refused")
    REFERRED = "referred", _("handed over to a service")
    STOPPED = "stopped", _("stopped")


class AgeGroup(models.TextChoices):
    """Age of the person helped, in the buckets of the member dashboard."""

    NOT_FILLED = "", _("not filled")
    UNDER_18 = "under_18", _("under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_44 = "30_44", _("30–44")
    AGE_45_59 = "45_59", _("45–59")
    AGE_60_PLUS = "60_plus", _("60 and over")


class ConsentBy(models.TextChoices):
    PERSON = "person", _("the person helped")
    GUARDIAN = "guardian", _("a parent or guardian")


class AssistanceCaseQuerySet(ScopedQuerySet):
    """Who sees which case.

    - Officers: their group's cases that are not confidential, and the confidential ones
      they are named on as handlers.
    - Facilitators: every case of their regency, confidential ones included (read only).
    - Administrators: every case that is not confidential.
    - Programme and DPRD staff: none (counts only, on the dashboard).

    Writing (``kk_portal.permissions``): ``"change"`` (edit, record steps, withdraw
    consent) for those who see the case, except that a facilitator only reads a confidential
    one; ``"name_handlers"`` for all who see it, so a facilitator can hand a confidential case
    on when its officer leaves.
    """

    group_path = "group"
    regency_path = "group__village__subdistrict__regency"
    programme_sees_all = False
    write_rules = {
        "change": Rule(
            Role.OFFICER,
            Role.FACILITATOR,
            Role.ADMIN,
            where={Role.FACILITATOR: lambda user: Q(confidential=False)},
        ),
        "name_handlers": Rule(Role.OFFICER, Role.FACILITATOR, Role.ADMIN),
    }

    def scope_q(self, user):
        base = super().scope_q(user)
        if base is None:
            return None
        role = acting_role(user)
        if role == Role.FACILITATOR:
            return base
        if role == Role.OFFICER:
            return base & (Q(confidential=False) | Q(pk__in=self.handled_by_ids(user)))
        return base & Q(confidential=False)

    @staticmethod
    def handled_by_ids(user):
        """Ids of the cases ``user`` is named on as a handler (a subquery)."""
        return AssistanceCase.handlers.through.objects.filter(user=user).values("assistancecase")

    def counted_for(self, user):
        """The cases counted on ``user``'s dashboard.

        Officers and facilitators: the cases they see (``visible_to``), so an officer's
        figures never count a confidential case she is not named on. Programme staff and
        administrators: every case except those of violence, which they get only as a count
        per regency and year (``violence_counted_for``). DPRD staff: the cases, except
        violence, of people living in a village of their representative's district. Nobody
        else: none. Small counts are suppressed by the dashboard (``dashboards.figures``).
        """
        role = acting_role(user)
        if role in (Role.OFFICER, Role.FACILITATOR):
            return self.visible_to(user)
        if role in (Role.PROGRAMME, Role.ADMIN):
            return self.exclude(kind=Kind.VIOLENCE)
        if role == Role.DPRD and user.representative_id:
            return self.exclude(kind=Kind.VIOLENCE).filter(
                person_village__in=Village.objects.represented_by(user.representative_id)
            )
        return self.none()

    def violence_counted_for(self, user):
        """The cases of violence counted per regency and year on ``user``'s dashboard: for
        programme staff and administrators all of them (anonymous counts included), the
        most they see of such cases; for officers and facilitators those they see; for DPRD
        staff none."""
        role = acting_role(user)
        if role in (Role.PROGRAMME, Role.ADMIN):
            return self.filter(kind=Kind.VIOLENCE)
        if role in (Role.OFFICER, Role.FACILITATOR):
            return self.visible_to(user).filter(kind=Kind.VIOLENCE)
        return self.none()

    def followed_up_by(self, user):
        """The cases an officer follows up: those she is named on, and her group's cases on
        which nobody is named (the home page's overdue follow-ups)."""
        named = AssistanceCase.handlers.through.objects.values("assistancecase")
        return self.visible_to(user).filter(Q(pk__in=self.handled_by_ids(user)) | ~Q(pk__in=named))

    def open(self):
        return self.filter(status=Status.OPEN)

    def overdue(self, today):
        """Open cases whose follow-up date (the group's date) is before ``today``."""
        return self.open().filter(follow_up_on__lt=today)

    def search(self, text):
        """Cases whose person (entered for the case, or the member) has ``text`` in their
        name, ignoring case, accents and apostrophes (``members.text.fold_name``)."""
        folded = fold_name(text)
        if not folded:
            return self
        return self.filter(
            Q(person_name_folded__contains=folded) | Q(member__name_folded__contains=folded)
        )


class AssistanceCase(models.Model):
    """One citizen's case of assistance, held by a group.

    The person helped is a ``member`` of the group or a person entered for the case
    (``person_name``, phone); sex, age group, village, poverty and disability are kept on the
    case in both ways, for the counts. ``kind`` follows ``need`` (``KIND_OF_NEED``); a case
    of violence is always ``confidential``. Without the person's (or guardian's) consent, or
    after it is withdrawn, the case is anonymous: only the kind, the month and the village
    stay (``anonymised_at``). Every change of state is a ``CaseStep`` written by
    ``assistance.services``; edits of the fields are kept by django-simple-history.
    """

    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="assistance_cases",
        verbose_name=_("group"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    need = models.CharField(_("what is needed"), max_length=20, choices=Need.choices)
    confidential = models.BooleanField(_("confidential"), default=False)
    description = models.TextField(_("what happened, what is needed"), blank=True)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_cases",
        verbose_name=_("member helped"),
    )
    person_name = models.CharField(_("name of the person helped"), max_length=150, blank=True)
    person_name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    person_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    person_age_group = models.CharField(
        _("age group"), max_length=8, choices=AgeGroup.choices, blank=True
    )
    person_village = models.ForeignKey(
        "groups.Village",
        on_delete=models.PROTECT,
        related_name="assistance_cases",
        verbose_name=_("village of the person helped"),
    )
    person_phone = models.CharField(_("phone"), max_length=16, blank=True)
    person_is_poor = models.BooleanField(_("poor"), default=False)
    person_has_disability = models.BooleanField(_("has a disability"), default=False)
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("officers handling the case"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=Outcome.NONE
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    consent_given_on = models.DateField(_("consent to record given on"), null=True, blank=True)
    consent_by = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentBy.choices, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = AssistanceCaseQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["person_name_folded", "updated_at", "submission_token"]
    )

    class Meta:
        verbose_name = _("case of assistance")
        verbose_name_plural = _("cases of assistance")
        ordering = ["-opened_on", "-pk"]
        indexes = [
            # The group's case list, newest first.
            models.Index(fields=["group", "-opened_on"], name="case_group_opened"),
            # Overdue follow-ups on the officer's and the facilitator's home.
            models.Index(fields=["status", "follow_up_on"], name="case_status_follow_up"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="case_kind_valid"),
            models.CheckConstraint(condition=Q(need__in=Need.values), name="case_need_valid"),
            models.CheckConstraint(
                condition=~Q(kind=Kind.VIOLENCE) | Q(confidential=True),
                name="case_violence_confidential",
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.OPEN) & Q(closed_on__isnull=True))
                | (Q(status=Status.CLOSED) & Q(closed_on__gte=models.F("opened_on"))),
                name="case_closed_on_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="case_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(person_phone="") | Q(person_phone__regex=r"^\+62[0-9]{8,13}$"),
                name="case_phone_normalised",
            ),
            # No person is recorded without consent; an anonymous case names no one.
            models.CheckConstraint(
                condition=(Q(anonymised_at__isnull=True) & Q(consent_given_on__isnull=False))
                | (
                    Q(anonymised_at__isnull=False)
                    & Q(person_name="")
                    & Q(person_phone="")
                    & Q(member__isnull=True)
                    & Q(description="")
                    & Q(consent_given_on__isnull=True)
                ),
                name="case_consent_or_anonymous",
            ),
        ]

    def __str__(self):
        # Never the person's name: this string reaches titles, messages and logs.
        return str(_("Case #%(number)s")) % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("assistance:detail", args=[self.pk])

    @property
    def is_anonymous(self):
        return self.anonymised_at is not None

    @property
    def is_open(self):
        return self.status == Status.OPEN

    @property
    def person_label(self):
        """The name of the person helped, for the pages of those who may see the case."""
        if self.member_id:
            return str(self.member)
        return self.person_name

    @property
    def time_zone(self):
        return self.group.time_zone


class StepKind(models.TextChoices):
    """A dated step on a case's way; each is written by one function of ``services``."""

    OPENED = "opened", _("case opened")
    ACCOMPANIED = "accompanied", _("accompanied to the office")
    SUBMITTED = "submitted", _("document submitted")
    REFERRED = "referred", _("referred")
    FOLLOWED_UP = "followed_up", _("followed up")
    OBTAINED = "obtained", _("obtained")
    REFUSED = "refused", _("refused")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")
    HANDLERS = "handlers", _("handling officers changed")
    ANONYMISED = "anonymised", _("consent withdrawn, anonymised")


class CaseStepQuerySet(ScopedQuerySet):
    """Steps are seen with their case (``AssistanceCaseQuerySet``)."""

    def scope_q(self, user):
        q = AssistanceCase.objects.all().scope_q(user)
        if q is None:
            return None
        return Q(case__in=AssistanceCase.objects.filter(q).values("pk"))


class CaseStep(models.Model):
    """One dated step of a case: the service reached, for a referral its contact and the
    follow-up date, the outcome it brought, a note. ``occurred_on`` is the real-world date in
    the group's time zone; ``recorded_at`` when it was typed."""

    case = models.ForeignKey(
        AssistanceCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case")
    )
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    occurred_on = models.DateField(_("date"))
    service = models.CharField(
        _("service reached"), max_length=16, choices=Service.choices, blank=True
    )
    contact = models.CharField(
        _("contact at the service"),
        max_length=200,
        blank=True,
        help_text=_("Name and phone of the person the case was referred to."),
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CaseStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["occurred_on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values), name="case_step_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(service="") | Q(service__in=Service.values),
                name="case_step_service_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=StepKind.REFERRED)
                | (~Q(service="") & Q(follow_up_on__isnull=False)),
                name="case_step_referral_complete",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class CaseDocumentQuerySet(ScopedQuerySet):
    """Documents are seen with their case."""

    def scope_q(self, user):
        q = AssistanceCase.objects.all().scope_q(user)
        if q is None:
            return None
        return Q(case__in=AssistanceCase.objects.filter(q).values("pk"))


def case_document_path(instance, filename):
    # An opaque name: nothing about the person in the path on disk.
    return f"cases/{filename}"


class CaseDocument(models.Model):
    """A photo or PDF kept with a case (a referral letter, the document obtained), served
    only through the scoped view ``assistance:document``; stored like an aspiration's
    attachment (``aspirations.attachments``: photos re-encoded, EXIF location dropped)."""

    case = models.ForeignKey(
        AssistanceCase, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    step = models.ForeignKey(
        CaseStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("step"),
    )
    file = models.FileField(_("file"), upload_to=case_document_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=case_document_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = CaseDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return str(_("Document #%(number)s")) % {"number": self.pk}
