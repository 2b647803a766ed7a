"""Fill a PostgreSQL database with national-scale benchmark data (DESIGN.md, "Scale").

Builds every region of Indonesia (``load_reference_data --national``), then by default
20,000 groups, 600,000 members, 2,000,000 aspirations with about 6,000,000 timeline events,
their budget outcomes, one electoral district and representative per regency with groups, and
reses meetings. Rows come from a seeded random generator (``--seed``) and are written with
PostgreSQL ``COPY`` through psycopg 3, so a run takes minutes, not hours. Nothing the
migrations own is dropped or recreated; the command refuses to run on a database that
already holds aspirations. The benchmark data never enters the test suite (see bench/README.md).

Run as a PostgreSQL superuser (the benchmark's own database), the rows are written with
``session_replication_role = replica``, so the foreign keys' triggers do not check each of the
ten million references one by one at ``COMMIT`` (two minutes and more at this scale, each check
locking its parent row): the command writes only ids it made or read itself, and
``tests/demo/test_seed_scale.py`` proves every reference of a run on PostgreSQL.
"""

import datetime
import io
import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from aspirations.models import (
    Aspiration,
    AspirationEvent,
    Beneficiary,
    BudgetOutcome,
    Topic,
    Urusan,
)
from aspirations.stages import RANK, Stage
from dashboards import summaries
from groups.models import ConstituentGroup, Regency, Village
from members.models import Member
from members.text import fold_name
from reses.models import Representative, ResesMeeting

#: The starting topic list of DESIGN.md ("The data"), used when no topics are loaded yet.
DEFAULT_TOPICS = (
    ("adminduk", "Administrasi kependudukan", "1.03"),
    ("social-assistance", "Bantuan sosial (beras, PKH, BPNT)", "1.06"),
    ("health", "Kesehatan dan BPJS", "1.02"),
    ("education", "Pendidikan dan anak putus sekolah", "1.01"),
    ("women-children", "Perlindungan perempuan dan anak", "2.08"),
    ("infrastructure", "Infrastruktur desa (jalan, air, sanitasi)", "1.03"),
    ("economy", "Ekonomi dan usaha kecil", "2.17"),
    ("agriculture", "Pertanian dan pangan", "3.27"),
    ("environment", "Lingkungan dan bencana", "2.11"),
    ("other", "Lainnya", ""),
)

#: Forward stages by rank, as an aspiration passes them on the village or regency track.
_VILLAGE_TRACK = (Stage.RECORDED, Stage.CONVEYED, Stage.MUSRENBANG_DESA)
_REGENCY_TRACK = (Stage.MUSRENBANG_KECAMATAN, Stage.MUSRENBANG_KABKOTA)
_FUNDS = ("apbdes", "apbd_kabkota", "apbd_provinsi", "apbn", "other")
_CHANNELS = ("reses", "face_to_face", "letter", "phone", "message", "musrenbang")
_CHANNEL_WEIGHTS = (30, 30, 10, 5, 10, 15)
_FEMALE_FIRST = ("Siti", "Nurhayati", "Maria", "Yohana", "Sumiyati", "Hasnah", "Marlina", "Ani")
_MALE_FIRST = ("Andi", "Yohanis", "La Ode", "Muhammad", "Petrus", "Rudi", "Made", "Hasan")
_FAMILY = ("Mambrasar", "Letsoin", "Daeng Ngai", "Lende", "Bere", "Wenda", "", "Rahman")


def _tsv(value):
    """One COPY text-format field: ``\\N`` for None, with tabs, newlines, backslashes escaped."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


class Command(BaseCommand):
    help = "Seed national-scale benchmark data into an empty PostgreSQL database (COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, default=20_000)
        parser.add_argument("--members-per-group", type=int, default=30)
        parser.add_argument("--aspirations-per-group", type=int, default=100)
        parser.add_argument("--seed", type=int, default=20261129)
        parser.add_argument(
            "--skip-reference",
            action="store_true",
            help="Regions, urusan and topics are already loaded; do not call load_reference_data.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale writes with COPY and needs PostgreSQL (DATABASE_URL).")
        if Aspiration.objects.exists():
            raise CommandError("This database already holds aspirations; use an empty one.")
        self.rng = random.Random(options["seed"])
        self.today = datetime.date.today()
        started = time.monotonic()
        if not options["skip_reference"]:
            call_command("load_reference_data", "--national", stdout=self.stdout)
        villages = list(
            Village.objects.order_by("pk").values_list(
                "pk", "name", "subdistrict__regency_id", "kind"
            )
        )
        if len(villages) < options["groups"]:
            raise CommandError(
                f"Only {len(villages)} villages are loaded; run load_reference_data --national."
            )
        topics = self._topics()
        with transaction.atomic():
            self._skip_reference_checks()
            groups = self._groups(villages, options["groups"])
            self._log("groups", len(groups), started)
            self._members(groups, options["members_per_group"])
            self._log("members", len(groups) * options["members_per_group"], started)
            representatives = self._districts(groups)
            self._log("districts and representatives", len(representatives), started)
            meetings = self._meetings(groups, representatives)
            self._log("reses meetings", len(meetings), started)
            counts = self._aspirations(
                groups, topics, representatives, options["aspirations_per_group"]
            )
            self._log("aspirations / events / budget outcomes", counts, started)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            # Statistics of the rows just written, before the summaries' grouped queries
            # read them: without them the planner takes the tables for empty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self._log("analyze", "done", started)
            # Rows written with COPY bypass aspirations.services: count them in one pass.
            summaries.rebuild()
            self._log("dashboard summaries", "rebuilt", started)

    def _skip_reference_checks(self):
        """For the rest of the transaction, no foreign-key trigger fires, if the user may
        say so (a superuser); otherwise the checks run at ``COMMIT`` as usual."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def _log(self, what, count, started):
        self.stdout.write(f"{time.monotonic() - started:8.1f} s  {what}: {count}")

    def _copy(self, model, columns, lines):
        """COPY text-format ``lines`` (tab-separated, no newline) into ``model``'s table.

        Columns the lines leave out that may not be null get their field's default (``""``
        for text), so a field added later (e.g. ``blank=True`` text) does not break the seed.
        """
        extra = [
            f
            for f in model._meta.concrete_fields
            if f.column not in columns
            and not f.null
            and not f.primary_key
            and (f.has_default() or f.empty_strings_allowed)
        ]
        suffix = "".join("\t" + _tsv(f.get_default()) for f in extra)
        names = [*columns, *(f.column for f in extra)]
        sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(sql) as copy:
                buffer = io.StringIO()
                for n, line in enumerate(lines, 1):
                    buffer.write(line)
                    buffer.write(suffix)
                    buffer.write("\n")
                    if n % 50_000 == 0:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())

    def _next_id(self, model):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
            return cursor.fetchone()[0]

    def _reset_sequence(self, model):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )

    def _topics(self):
        if not Topic.objects.exists():
            urusan = {u.code: u for u in Urusan.objects.all()}
            for order, (slug, name, code) in enumerate(DEFAULT_TOPICS):
                Topic.objects.create(
                    slug=slug, name=name, order=order, default_urusan=urusan.get(code)
                )
        return list(Topic.objects.values_list("pk", "default_urusan_id"))

    def _groups(self, villages, count):
        rng = self.rng
        chosen = sorted(rng.sample(villages, count))
        first = self._next_id(ConstituentGroup)
        groups = []
        lines = []
        for offset, (village_id, name, regency_id, _kind) in enumerate(chosen):
            pk = first + offset
            cohort = rng.choice((2014, 2015))
            groups.append((pk, village_id, regency_id))
            lines.append(
                "\t".join(
                    _tsv(v)
                    for v in (
                        pk,
                        village_id,
                        f"KK {name}",
                        datetime.date(cohort, rng.randint(1, 12), 1),
                        cohort,
                        f"141/{pk}/DS/{cohort}",
                        datetime.date(cohort, 12, 1),
                        "active",
                    )
                )
            )
        self._copy(
            ConstituentGroup,
            (
                "id",
                "village_id",
                "name",
                "founded_on",
                "cohort_year",
                "decree_number",
                "decree_date",
                "status",
            ),
            lines,
        )
        self._reset_sequence(ConstituentGroup)
        return groups

    def _members(self, groups, per_group):
        rng = self.rng
        now = datetime.datetime.now(datetime.UTC).isoformat()
        positions = ("chair", "secretary", "treasurer")

        def rows():
            serial = 0
            for group_id, _village, _regency in groups:
                # The programme reports over 70 % women members and over 95 % women chairs.
                for n in range(per_group):
                    serial += 1
                    female = rng.random() < (0.97 if n == 0 else 0.75)
                    name = " ".join(
                        part
                        for part in (
                            rng.choice(_FEMALE_FIRST if female else _MALE_FIRST),
                            rng.choice(_FAMILY),
                        )
                        if part
                    )
                    birth_year = None if rng.random() < 0.05 else rng.randint(1950, 2005)
                    is_poor = rng.random() < 0.45
                    nik = f"{7300000000000000 + serial}" if rng.random() < 0.6 else None
                    phone = (
                        f"+628{rng.randint(100000000, 9999999999)}" if rng.random() < 0.5 else ""
                    )
                    yield "\t".join(
                        _tsv(v)
                        for v in (
                            group_id,
                            name,
                            fold_name(name),
                            "F" if female else "M",
                            birth_year,
                            nik,
                            is_poor,
                            "dtks" if is_poor else "",
                            rng.random() < 0.04,
                            positions[n] if n < 3 else "member",
                            phone,
                            "",
                            datetime.date(rng.choice((2014, 2015, 2016)), 1, 15),
                            datetime.date(2024, 1, 10),
                            now,
                            now,
                        )
                    )

        self._copy(
            Member,
            (
                "group_id",
                "full_name",
                "name_folded",
                "sex",
                "birth_year",
                "nik",
                "is_poor",
                "poverty_evidence",
                "has_disability",
                "position",
                "phone",
                "address",
                "joined_on",
                "consent_given_on",
                "created_at",
                "updated_at",
            ),
            rows(),
        )

    def _districts(self, groups):
        """One DPRD kabupaten/kota district per regency with groups, covering all its villages,
        and one representative for it. Returns ``{regency_id: representative_id}``."""
        rng = self.rng
        regency_ids = sorted({regency for _g, _v, regency in groups})
        regencies = {
            r.pk: r for r in Regency.objects.filter(pk__in=regency_ids).select_related("province")
        }
        representatives = {}
        with connection.cursor() as cursor:
            for regency_id in regency_ids:
                regency = regencies[regency_id]
                cursor.execute(
                    "INSERT INTO reses_electoraldistrict (legislature, name, kpu_code, "
                    "province_id, regency_id, seats, election_year) VALUES "
                    "('dprd_kabkota', %s, '', %s, %s, 8, 2024) RETURNING id",
                    [f"BENCH {regency.code} 1", regency.province_id, regency_id],
                )
                district_id = cursor.fetchone()[0]
                cursor.execute(
                    "INSERT INTO reses_districtvillage (district_id, village_id) "
                    "SELECT %s, v.id FROM groups_village v JOIN groups_subdistrict s "
                    "ON s.id = v.subdistrict_id WHERE s.regency_id = %s",
                    [district_id, regency_id],
                )
                # The ORM fills the fields added since (the letterhead's), as a form would.
                representatives[regency_id] = Representative.objects.create(
                    full_name=f"Wakil {regency.name}",
                    sex="F" if rng.random() < 0.3 else "M",
                    party="Partai Contoh",
                    district_id=district_id,
                    commission="Komisi IV",
                ).pk
        return representatives

    def _meetings(self, groups, representatives):
        """Two reses meetings a year 2024-2026 for one group in ten."""
        rng = self.rng
        meetings = []
        lines = []
        for group_id, village_id, regency_id in groups[::10]:
            for year in (2024, 2025, 2026):
                for period in (1, 2):
                    starts = datetime.datetime(
                        year, 3 if period == 1 else 9, rng.randint(1, 28), 1, 0, tzinfo=datetime.UTC
                    )
                    if starts.date() > self.today:
                        continue
                    female = rng.randint(10, 60)
                    male = rng.randint(5, 30)
                    meetings.append(village_id)
                    lines.append(
                        "\t".join(
                            _tsv(v)
                            for v in (
                                representatives[regency_id],
                                f"Reses {'I' if period == 1 else 'II'} {year}",
                                starts.isoformat(),
                                "Balai desa",
                                village_id,
                                group_id,
                                female + male,
                                female,
                                male,
                                rng.randint(0, female),
                                rng.randint(0, 3),
                                "",
                            )
                        )
                    )
        self._copy(
            ResesMeeting,
            (
                "representative_id",
                "reses_period",
                "starts_at",
                "venue",
                "village_id",
                "organising_group_id",
                "expected_attendance",
                "attendance_female",
                "attendance_male",
                "attendance_poor",
                "attendance_disability",
                "notes",
            ),
            lines,
        )
        return meetings

    def _path(self, village_track):
        """A random way through the stages: ``(forward stages passed, closing stage or '')``."""
        rng = self.rng
        roll = rng.random()
        # Furthest rank reached: many stay recorded or conveyed, few are realised.
        if roll < 0.30:
            furthest = 1
        elif roll < 0.55:
            furthest = 2
        elif roll < 0.72:
            furthest = 3 if village_track else rng.choice((4, 5))
        elif roll < 0.82:
            furthest = 6
        elif roll < 0.91:
            furthest = 7
        else:
            furthest = 8
        passed = [Stage.RECORDED]
        if furthest >= 2 and (village_track or rng.random() < 0.9):
            passed.append(Stage.CONVEYED)
        if furthest >= 3:
            if village_track:
                passed.append(Stage.MUSRENBANG_DESA)
            else:
                if rng.random() < 0.7:
                    passed.append(Stage.MUSRENBANG_DESA)
                if furthest >= 4 or rng.random() < 0.5:
                    passed.append(Stage.MUSRENBANG_KECAMATAN)
                if furthest >= 5:
                    passed.append(Stage.POKIR if rng.random() < 0.3 else Stage.MUSRENBANG_KABKOTA)
        for stage in (Stage.PLANNED, Stage.BUDGETED, Stage.REALISED):
            if furthest >= RANK[stage]:
                passed.append(stage)
        closing = ""
        if furthest < 8:
            close_roll = rng.random()
            if close_roll < 0.12:
                closing = Stage.NOT_ACCOMMODATED
            elif close_roll < 0.16:
                closing = Stage.WITHDRAWN
        return passed, closing

    def _aspirations(self, groups, topics, representatives, per_group):
        rng = self.rng
        today = self.today
        now = datetime.datetime.now(datetime.UTC).isoformat()
        first_aspiration = self._next_id(Aspiration)
        aspiration_lines = []
        event_lines = []
        budget_lines = []
        start = datetime.date(2019, 1, 1)
        span = (today - start).days
        pk = first_aspiration - 1
        for group_id, village_id, regency_id in groups:
            for _n in range(per_group):
                pk += 1
                topic_id, urusan_id = rng.choice(topics)
                raised = start + datetime.timedelta(days=rng.randint(0, span))
                village_track = rng.random() < 0.5
                passed, closing = self._path(village_track)
                dates = [raised]
                for _stage in passed[1:]:
                    dates.append(dates[-1] + datetime.timedelta(days=rng.randint(7, 200)))
                # Keep every event in the past: a way that would end after today ends today.
                dates = [min(d, today) for d in dates]
                stage = passed[-1]
                stopped_at = ""
                stage_changed = dates[-1]
                events = [("created", "", Stage.RECORDED, raised)]
                for before, stage_now, when in zip(passed, passed[1:], dates[1:], strict=False):
                    events.append(("move", before, stage_now, when))
                if closing:
                    closed_on = min(dates[-1] + datetime.timedelta(days=rng.randint(7, 120)), today)
                    events.append(("move", stage, closing, closed_on))
                    stopped_at = stage
                    stage = closing
                    stage_changed = closed_on
                furthest = max(RANK[s] for s in passed)
                channel = rng.choices(_CHANNELS, _CHANNEL_WEIGHTS)[0]
                representative = representatives[regency_id] if channel == "reses" else None
                aspiration_lines.append(
                    "\t".join(
                        _tsv(v)
                        for v in (
                            pk,
                            group_id,
                            village_id,
                            f"Usulan {pk}",
                            "",
                            topic_id,
                            urusan_id,
                            channel,
                            raised,
                            rng.random() < 0.6,
                            rng.random() < 0.4,
                            rng.random() < 0.5,
                            rng.random() < 0.1,
                            "representative" if representative else "village",
                            representative,
                            stage,
                            stage_changed,
                            furthest,
                            stopped_at,
                            False,
                            now,
                            now,
                        )
                    )
                )
                # The events are in timeline order (dates never decrease, pk follows the
                # list), so each move's step before is the event before it in the list
                # (``AspirationEvent.previous_on``, ``services.link_steps``).
                before = None
                for kind, from_stage, to_stage, when in events:
                    amount = fiscal_year = None
                    fund = ""
                    if to_stage == Stage.BUDGETED:
                        amount = rng.randrange(5_000_000, 900_000_000, 50_000)
                        fiscal_year = when.year + 1 if when.month > 8 else when.year
                        fund = "apbdes" if village_track else rng.choice(_FUNDS[1:])
                        realised = Stage.REALISED in passed
                        budget_lines.append(
                            "\t".join(
                                _tsv(v)
                                for v in (
                                    pk,
                                    fund,
                                    fiscal_year,
                                    amount,
                                    urusan_id,
                                    "",
                                    amount if realised else None,
                                    dates[-1] if realised else None,
                                    "",
                                )
                            )
                        )
                    event_lines.append(
                        "\t".join(
                            _tsv(v)
                            for v in (
                                pk,
                                kind,
                                from_stage,
                                to_stage,
                                when,
                                before if kind == "move" else None,
                                now,
                                "",
                                "",
                                "",
                                amount,
                                fiscal_year,
                                fund,
                            )
                        )
                    )
                    before = when
            if len(aspiration_lines) >= 100_000:
                self._flush(aspiration_lines, event_lines, budget_lines)
        self._flush(aspiration_lines, event_lines, budget_lines)
        self._reset_sequence(Aspiration)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM aspirations_aspirationevent")
            events = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM aspirations_budgetoutcome")
            budgets = cursor.fetchone()[0]
        return f"{pk - first_aspiration + 1} / {events} / {budgets}"

    def _flush(self, aspiration_lines, event_lines, budget_lines):
        self._copy(
            Aspiration,
            (
                "id",
                "group_id",
                "village_id",
                "title",
                "description",
                "topic_id",
                "urusan_id",
                "channel",
                "raised_on",
                *(beneficiary.flag for beneficiary in Beneficiary),
                "addressed_to",
                "representative_id",
                "stage",
                "stage_changed_on",
                "furthest_rank",
                "stopped_at",
                "is_public",
                "created_at",
                "updated_at",
            ),
            aspiration_lines,
        )
        self._copy(
            AspirationEvent,
            (
                "aspiration_id",
                "kind",
                "from_stage",
                "to_stage",
                "occurred_on",
                "previous_on",
                "recorded_at",
                "note",
                "reason",
                "document_reference",
                "amount",
                "fiscal_year",
                "fund_source",
            ),
            event_lines,
        )
        self._copy(
            BudgetOutcome,
            (
                "aspiration_id",
                "source",
                "fiscal_year",
                "amount",
                "implementing_urusan_id",
                "implementing_agency",
                "realised_amount",
                "realised_on",
                "evidence",
            ),
            budget_lines,
        )
        aspiration_lines.clear()
        event_lines.clear()
        budget_lines.clear()
        self.stdout.write(".", ending="")
        self.stdout.flush()
