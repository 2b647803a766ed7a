"""One factory per model. Codes follow the Kemendagri formats so constraints hold."""

import datetime
from decimal import Decimal

import factory
from axes.models import AccessAttempt
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult, get_date_max

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    Attendance,
    BudgetAccess,
    BudgetPurpose,
    BudgetSource,
    PracticeAdoption,
    ReplicatedPractice,
)
from api.models import ApiToken
from api.services import api_token_create
from aspirations.models import (
    STEP_KINDS,
    Aspiration,
    AspirationEvent,
    Attachment,
    BudgetOutcome,
    Channel,
    EventKind,
    FundSource,
    MusrenbangForum,
    Topic,
    Urusan,
)
from aspirations.services import link_steps
from aspirations.signals import aspirations_changed, aspirations_will_change
from aspirations.stages import Stage
from assistance.models import (
    AssistanceCase,
    CaseDocument,
    CaseStep,
    ConsentBy,
    Kind,
    Need,
    StepKind,
)
from audit.models import AccessLog, Action
from groups.models import ConstituentGroup, Province, Regency, Subdistrict, Village
from imports.models import ImportJob, ImportRow
from kk_portal.models import User
from kk_portal.scoping import Role
from members.models import Member, OfficerTerm, PublicRole, PublicRoleKind
from notifications.models import Channel as NotificationChannel
from notifications.models import Delivery, Preference
from notifications.models import Kind as NotificationKind
from reses.models import (
    AgendaItem,
    DistrictVillage,
    ElectoralDistrict,
    Legislature,
    Representative,
    ResesAttendance,
    ResesMeeting,
)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "73"
    name = "Sulawesi Selatan"
    time_zone = "Asia/Makassar"


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regency

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.province.code}.{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Contoh {n}")
    kind = Regency.Kind.KABUPATEN
    time_zone = factory.LazyAttribute(lambda o: o.province.time_zone)


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict

    regency = factory.SubFactory(RegencyFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.regency.code}.{n % 99 + 1:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


def _village_code(subdistrict):
    """The next free code of a desa (``2nnn``) in ``subdistrict``, after its villages: villages
    made one after the other sort by code in that order, whatever else the process made
    before (a sequence over the whole run wrapped at 999 and put the 999th village before
    the 998th, depending on which tests a pytest-xdist worker had run)."""
    taken = set(subdistrict.villages.values_list("code", flat=True))
    number = len(taken) + 1
    while f"{subdistrict.code}.2{number:03d}" in taken:
        number += 1
    return f"{subdistrict.code}.2{number:03d}"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    subdistrict = factory.SubFactory(SubdistrictFactory)
    code = factory.LazyAttribute(lambda o: _village_code(o.subdistrict))
    name = factory.Sequence(lambda n: f"Desa {n}")
    kind = Village.Kind.DESA


class ConstituentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConstituentGroup

    village = factory.SubFactory(VillageFactory)
    name = factory.LazyAttribute(lambda o: f"KK {o.village.name}")
    founded_on = datetime.date(2014, 6, 1)
    cohort_year = 2014
    decree_number = factory.Sequence(lambda n: f"141/{n}/DS/2014")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Siti"
    role = Role.PROGRAMME
    password = factory.django.Password("rahasia-123")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    group = factory.SubFactory(ConstituentGroupFactory)
    full_name = factory.Sequence(lambda n: f"Anggota {n}")
    sex = "F"
    birth_year = 1980
    consent_given_on = datetime.date(2024, 1, 10)
    joined_on = datetime.date(2015, 1, 1)


class UrusanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Urusan
        django_get_or_create = ("code",)

    code = "1.03"
    name = "Pekerjaan Umum dan Penataan Ruang"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = "infrastructure"
    name = "Infrastruktur desa"
    default_urusan = factory.SubFactory(UrusanFactory)


class AspirationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aspiration

    group = factory.SubFactory(ConstituentGroupFactory)
    village = factory.LazyAttribute(lambda o: o.group.village)
    title = factory.Sequence(lambda n: f"Perbaikan jalan dusun {n}")
    description = "Jalan rusak sepanjang 300 meter."
    topic = factory.SubFactory(TopicFactory)
    urusan = factory.LazyAttribute(lambda o: o.topic.default_urusan)
    channel = Channel.FACE_TO_FACE
    raised_on = datetime.date(2024, 8, 17)
    benefits_women = True
    stage = Stage.RECORDED
    stage_changed_on = factory.LazyAttribute(lambda o: o.raised_on)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Announced as aspirations.services would, so that the summaries count it.
        aspiration = super()._create(model_class, *args, **kwargs)
        aspirations_changed.send(sender=Aspiration, ids=[aspiration.pk])
        return aspiration


class AspirationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AspirationEvent

    aspiration = factory.SubFactory(AspirationFactory)
    kind = EventKind.CREATED
    to_stage = Stage.RECORDED
    occurred_on = factory.LazyAttribute(lambda o: o.aspiration.raised_on)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Each move's date of the step before, stored as aspirations.services stores it.
        event = super()._create(model_class, *args, **kwargs)
        if event.kind in STEP_KINDS:
            link_steps(event.aspiration_id)
            event.refresh_from_db(fields=["previous_on"])
        return event


class MusrenbangForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MusrenbangForum

    level = MusrenbangForum.Level.DESA
    village = factory.SubFactory(VillageFactory)
    regency = factory.LazyAttribute(lambda o: o.village.subdistrict.regency)
    held_on = datetime.date(2025, 1, 20)
    fiscal_year = 2026
    attendance_female = 20
    attendance_male = 15


class BudgetOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetOutcome

    aspiration = factory.SubFactory(AspirationFactory)
    source = FundSource.APBDES
    fiscal_year = 2025
    amount = Decimal("1500000.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Announced as aspirations.services would, so that the money summary counts it.
        aspiration = kwargs["aspiration"]
        aspirations_will_change.send(sender=Aspiration, ids=[aspiration.pk])
        outcome = super()._create(model_class, *args, **kwargs)
        aspirations_changed.send(sender=Aspiration, ids=[aspiration.pk])
        return outcome


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    aspiration = factory.SubFactory(AspirationFactory)
    file = factory.django.FileField(filename="surat.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "surat.pdf"
    content_type = "application/pdf"
    size = 15


class ElectoralDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ElectoralDistrict

    legislature = Legislature.DPRD_KABKOTA
    name = factory.Sequence(lambda n: f"DAPIL CONTOH {n}")
    regency = factory.SubFactory(RegencyFactory)
    province = factory.LazyAttribute(lambda o: o.regency.province)
    seats = 8


class DistrictVillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictVillage

    district = factory.SubFactory(ElectoralDistrictFactory)
    village = factory.SubFactory(VillageFactory)


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    full_name = factory.Sequence(lambda n: f"Hj. Wakil Rakyat {n}")
    sex = "F"
    party = "Partai Contoh"
    district = factory.SubFactory(ElectoralDistrictFactory)
    commission = "Komisi IV"


class ResesMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResesMeeting

    representative = factory.SubFactory(RepresentativeFactory)
    reses_period = "Reses I 2025"
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2025, 3, 10, 9, 0))
    )
    venue = "Balai desa"
    village = factory.SubFactory(VillageFactory)
    expected_attendance = 40


class ResesAttendanceFactory(factory.django.DjangoModelFactory):
    """A guest at a meeting; pass ``member`` (and its ``sex``) for a member."""

    class Meta:
        model = ResesAttendance

    meeting = factory.SubFactory(ResesMeetingFactory)
    member = None
    full_name = factory.Sequence(lambda n: f"Tamu {n}")
    sex = "F"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(ResesMeetingFactory)
    aspiration = factory.SubFactory(AspirationFactory)
    order = factory.Sequence(lambda n: n)


class AssistanceCaseFactory(factory.django.DjangoModelFactory):
    """A case of a person entered for the case, with consent; pass ``need`` and ``kind``
    together (``assistance.models.KIND_OF_NEED``), and ``confidential=True`` for violence."""

    class Meta:
        model = AssistanceCase
        skip_postgeneration_save = True

    group = factory.SubFactory(ConstituentGroupFactory)
    kind = Kind.CIVIL_REGISTRATION
    need = Need.KTP
    person_name = factory.Sequence(lambda n: f"Warga {n}")
    person_name_folded = factory.LazyAttribute(lambda o: o.person_name.casefold())
    person_sex = "F"
    person_village = factory.LazyAttribute(lambda o: o.group.village)
    opened_on = datetime.date(2026, 9, 1)
    consent_given_on = datetime.date(2026, 9, 1)
    consent_by = ConsentBy.PERSON

    @factory.post_generation
    def handlers(self, create, extracted, **kwargs):
        if create and extracted:
            self.handlers.set(extracted)


class CaseStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStep

    case = factory.SubFactory(AssistanceCaseFactory)
    kind = StepKind.OPENED
    occurred_on = factory.LazyAttribute(lambda o: o.case.opened_on)


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDocument

    case = factory.SubFactory(AssistanceCaseFactory)
    file = factory.django.FileField(filename="rujukan.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "rujukan.pdf"
    content_type = "application/pdf"
    size = 15


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    username = factory.LazyAttribute(lambda o: o.user.username)
    role = factory.LazyAttribute(lambda o: o.user.role)
    action = Action.MEMBER_EXPORT
    rows = 3


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    """django-axes' record of failed sign-ins to one user name from one address."""

    class Meta:
        model = AccessAttempt

    username = "tebakan"
    ip_address = "10.0.0.1"
    user_agent = "Mozilla/5.0"
    get_data = ""
    post_data = "username=tebakan"
    http_accept = "text/html"
    path_info = "/accounts/login/"
    failures_since_start = 2
    attempt_time = factory.LazyFunction(timezone.now)


class DBTaskResultFactory(factory.django.DjangoModelFactory):
    """A background task that failed (django-tasks-db), as the admin's "Task results" show it."""

    class Meta:
        model = DBTaskResult

    task_path = "tests.kk_portal.test_tasks.flaky"
    args_kwargs = factory.LazyFunction(lambda: {"args": [], "kwargs": {}})
    backend_name = "default"
    run_after = factory.LazyFunction(get_date_max)
    status = "FAILED"
    exception_class_path = "builtins.ConnectionError"
    traceback = "ConnectionError: SMS gateway down"


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app of a user (django-otp), with a fixed test key."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Aplikasi autentikator"
    key = "3132333435363738393031323334353637383930"
    confirmed = True


class StaticDeviceFactory(factory.django.DjangoModelFactory):
    """A user's backup codes (django-otp's static device), without codes: add them with
    ``StaticTokenFactory``."""

    class Meta:
        model = StaticDevice

    user = factory.SubFactory(UserFactory)
    name = "Kode cadangan"
    confirmed = True


class StaticTokenFactory(factory.django.DjangoModelFactory):
    """One backup code of a static device."""

    class Meta:
        model = StaticToken

    device = factory.SubFactory(StaticDeviceFactory)
    token = factory.Sequence(lambda n: f"kode{n:04d}")


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """An API token made through ``api_token_create``; its secret is ``token.secret``."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Sistem Bappeda"

    @classmethod
    def _create(cls, model_class, *, user, name):
        token, secret = api_token_create(user, name=name)
        token.secret = secret
        return token


class OfficerTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerTerm

    member = factory.SubFactory(MemberFactory)
    group = factory.LazyAttribute(lambda o: o.member.group)
    position = OfficerTerm.Position.CHAIR
    started_on = datetime.date(2020, 1, 1)


class PublicRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicRole

    member = factory.SubFactory(MemberFactory)
    kind = PublicRoleKind.RT_HEAD
    description = "RT 003"
    started_on = datetime.date(2021, 3, 1)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    group = factory.SubFactory(ConstituentGroupFactory)
    kind = ActivityKind.DISCUSSION
    topic = ActivityTopic.WOMENS_RIGHTS
    held_on = datetime.date(2025, 3, 8)
    place = "Balai desa"
    resource_person = "Ibu Nurhayati"
    organiser = "KK"

    @factory.post_generation
    def taking_part(self, create, extracted, **kwargs):
        """The host and the ``extracted`` groups take part."""
        if create:
            self.groups.set([self.group, *(extracted or [])])


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    member = None
    full_name = factory.Sequence(lambda n: f"Tamu {n}")
    sex = "F"


class BudgetAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetAccess

    group = factory.SubFactory(ConstituentGroupFactory)
    source = BudgetSource.APBDES
    amount = Decimal("15000000")
    year = 2024
    purpose = BudgetPurpose.SAVINGS
    women = 20
    men = 5


class ReplicatedPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplicatedPractice

    name = factory.Sequence(lambda n: f"Pertanian alami {n}")
    description = "Pupuk kompos dan pestisida nabati dari bahan sekitar."
    group = factory.SubFactory(ConstituentGroupFactory)
    started_on = datetime.date(2019, 6, 1)


class PracticeAdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeAdoption

    practice = factory.SubFactory(ReplicatedPracticeFactory)
    group = factory.SubFactory(ConstituentGroupFactory)
    adopted_on = datetime.date(2021, 2, 1)


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    regency = factory.SubFactory(RegencyFactory)
    created_by = factory.SubFactory(
        UserFactory, role=Role.FACILITATOR, regency=factory.SelfAttribute("..regency")
    )
    kind = ImportJob.Kind.MEMBERS
    file = factory.django.FileField(filename="anggota.csv", data=b"nama,jenis_kelamin\r\n")
    file_name = "anggota.csv"
    status = ImportJob.Status.PREVIEWED


class ImportRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRow

    job = factory.SubFactory(ImportJobFactory)
    number = factory.Sequence(lambda n: n + 2)
    action = ImportRow.Action.CREATE
    values = factory.LazyFunction(lambda: {"full_name": "Maria Goreti Bere", "sex": "F"})


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)
    channel = NotificationChannel.EMAIL
    language = "id"


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    user = factory.SubFactory(UserFactory)
    kind = NotificationKind.DIGEST
    key = "2026-W49"
    channel = NotificationChannel.EMAIL
    address = "siti@example.org"
    text = "KK Portal: 2 aspirasi menunggu lebih dari 60 hari."
