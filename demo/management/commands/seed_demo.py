"""Build a believable demo on top of the reference data: groups, members, representatives,
reses meetings, Musrenbang forums, aspirations with their timelines and cases of assistance
(``demo.cases``), plus one user per role.

Proportions follow the BaKTI article in ``../shared/seed/`` (groups formed in 2014 in Kota
Mataram, Lombok Timur, Kota Ambon and Bone, in 2015 in the other five regencies; more than
70% of members and more than 95% of chairs are women, many of them poor). Names of people
and representatives are invented. Everything is drawn from ``random.Random(seed)`` and dated
relative to the fixed ``REFERENCE_DATE``, so a seed always gives the same demo. Stages move
only through ``aspirations.services`` so every timeline is consistent.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from simple_history.utils import bulk_create_with_history

from activities.models import Activity, BudgetAccess, ReplicatedPractice
from aspirations.models import (
    AddressedLevel,
    Aspiration,
    Channel,
    FundSource,
    MusrenbangForum,
    Topic,
)
from aspirations.services import aspiration_create, aspiration_move
from aspirations.stages import Stage
from assistance.models import AssistanceCase, CaseDocument
from audit.models import AccessLog
from dashboards import summaries
from demo.cases import CaseBuilder
from demo.groupwork import WorkBuilder
from groups.models import ConstituentGroup, Regency, Village
from kk_portal.models import User
from kk_portal.scoping import Role
from kk_portal.zones import zone_of
from members.models import Member, OfficerTerm, PublicRole, Sex
from members.text import fold_name
from notifications.models import Channel as NotificationChannel
from notifications.models import Preference
from notifications.receivers import responses_untold
from reses.models import (
    AgendaItem,
    DistrictVillage,
    ElectoralDistrict,
    Representative,
    ResesMeeting,
)
from reses.services import agenda_add, agenda_item_respond

#: Content is dated relative to this day, never to today, so a seed gives the same demo.
REFERENCE_DATE = datetime.date(2026, 10, 31)
DEFAULT_PASSWORD = "kkportal-demo"
DEMO_USERNAMES = (
    "demo-pengurus",
    "demo-pengurus-2",
    "demo-fasilitator",
    "demo-program",
    "demo-dprd",
    "demo-admin",
)

#: The nine regencies, the four 2014 cohort regions first (BaKTI article).
REGENCIES = ("52.71", "52.03", "81.71", "73.08", "73.18", "73.09", "73.72", "74.71", "53.04")
COHORT_2014 = {"52.71", "52.03", "81.71", "73.08"}

_MUSLIM_F = [
    "Nurhayati", "Hasnawati", "Rosmini", "Sitti Aminah", "Halimah", "Rabiah", "Jum'ah",
    "Mu'minah", "Sa'diah", "Nur'aini", "Hasnah", "Rahmawati", "Suriani", "Salmiah",
    "Darmawati", "Fatmawati", "Ruqayyah", "Sumarni", "Saripah", "Mahnun", "Sri Wahyuni",
]  # fmt: skip
_MUSLIM_M = [
    "Ma'ruf", "Abdul Rahman", "Muh. Arfah", "Syamsuddin", "Ismail", "Mahsun", "Zainuddin",
    "Ibrahim", "Jamaluddin", "Sahabuddin", "Rusdi",
]  # fmt: skip
_CHRISTIAN_F = [
    "Yohana", "Maria", "Marthina", "Ribka", "Lince", "Selvi", "Theresia", "Florentina",
    "Yuliana", "Elisabeth", "Agustina", "Magdalena", "Fransiska", "Veronika", "Maria Goreti",
]  # fmt: skip
_CHRISTIAN_M = [
    "Yohanis", "Yakobus", "Markus", "Petrus", "Agustinus", "Yosef", "Fransiskus", "Stefanus",
    "Daniel", "Paulus",
]  # fmt: skip

#: Naming customs: family, clan or second names, and titles/prefixes written before a
#: woman's or a man's name (Baiq/Lalu in Lombok, Andi/Daeng among the Bugis, Wa Ode/La Ode
#: in Buton, Hj./H. after the hajj).
_NAMES = {
    "sasak": (["Hamdi", "Sahnun", "Munawir", "Rohani", "Hidayat"], ["Baiq", "Hj."], ["Lalu", "H."]),
    "bugis": (
        ["Daeng Ngai", "Daeng Tene", "Dg. Bollo", "Daeng Caya", "Bau", "Sompa"],
        ["Hj.", "Andi", "St."],
        ["H.", "Andi"],
    ),
    "toraja": (
        ["Rante Allo", "Pasolang", "Tandi Rerung", "Sampe Bungin", "Palinggi", "Pong Masak"],
        [],
        [],
    ),
    "ambon": (
        [
            "Latuconsina",
            "Tuhumury",
            "Leleury",
            "Wattimena",
            "Sahetapy",
            "Lewerissa",
            "Letsoin",
            "Pattiasina",
            "Ohorella",
            "Tuasikal",
            "Wakanno",
        ],
        ["Hj."],
        ["H."],
    ),  # fmt: skip
    "buton": (["Rahim", "Saleh", "Tamburaka", "Lasaeha", "Mbaru"], ["Wa Ode", "Wa"], ["La Ode"]),
    "timor": (["Bere", "Mau", "Lotu", "Nahak", "Seran", "Klau", "Atok", "Fahik", "Tae"], [], []),
}
#: Per regency: naming custom and share of Christian given names.
_CUSTOM = {
    "52.71": ("sasak", 0.0),
    "52.03": ("sasak", 0.0),
    "81.71": ("ambon", 0.6),
    "73.08": ("bugis", 0.0),
    "73.09": ("bugis", 0.0),
    "73.72": ("bugis", 0.05),
    "73.18": ("toraja", 0.95),
    "74.71": ("buton", 0.1),
    "53.04": ("timor", 0.97),
}
_GROUP_NAMES = [
    "Mawar", "Melati", "Anggrek", "Cempaka", "Kenanga", "Flamboyan", "Teratai", "Matahari",
    "Pelangi", "Harapan Ibu", "Perempuan Bangkit", "Bunda Sejahtera", "Sehati",
    "Karya Bersama", "Suara Perempuan",
]  # fmt: skip
#: Group names in a local language, used only in their own region.
_LOCAL_GROUP_NAMES = {
    "sasak": ["Rinjani"],
    "bugis": ["Sipakatau", "Sipakalebbi"],
    "toraja": ["Tongkonan"],
    "ambon": ["Siwalima", "Pela Gandong"],
}
_PARTIES = [
    "PDI Perjuangan", "Partai Golkar", "Partai Gerindra", "Partai NasDem", "PKB", "PKS", "PAN",
    "Partai Demokrat", "PPP", "Partai Hanura", "Partai Perindo",
]  # fmt: skip
_COMMISSIONS = ["Komisi I", "Komisi II", "Komisi III", "Komisi IV"]
_DEGREES = ["S.Pd.", "S.E.", "S.H.", "S.Sos.", "S.IP.", "M.Si."]

#: Aspiration titles per topic slug (aspirations/topics.py); "{dusun}" gets a hamlet number.
_TITLES = {
    "civil-registration": [
        "Pelayanan KTP-el keliling untuk warga lansia",
        "Akta kelahiran untuk anak-anak di Dusun {dusun}",
        "Perbaikan data KK warga yang tidak terdaftar",
    ],
    "social-assistance": [
        "Pendataan ulang penerima PKH di Dusun {dusun}",
        "Beras bantuan pangan tidak sampai ke janda lansia",
        "Usulan warga miskin masuk DTKS",
    ],
    "health": [
        "Kartu BPJS PBI untuk keluarga miskin di Dusun {dusun}",
        "Posyandu lansia membutuhkan alat timbang dan tensimeter",
        "Bidan desa jarang hadir di polindes",
    ],
    "education": [
        "Anak putus sekolah di Dusun {dusun} kembali ke sekolah",
        "Seragam dan buku untuk anak keluarga miskin",
        "Perbaikan atap ruang kelas SD",
    ],
    "women-children-protection": [
        "Rumah aman bagi korban kekerasan dalam rumah tangga",
        "Sosialisasi pencegahan perkawinan anak",
        "Pendampingan hukum untuk perempuan korban kekerasan",
    ],
    "village-infrastructure": [
        "Perbaikan jalan tani Dusun {dusun}",
        "Sumur bor dan pipa air bersih untuk Dusun {dusun}",
        "Jamban sehat untuk rumah tangga miskin",
        "Lampu jalan di lorong Dusun {dusun}",
    ],
    "economy": [
        "Modal usaha kelompok tenun perempuan",
        "Pelatihan pengolahan ikan asap untuk ibu-ibu",
        "Izin usaha mikro bagi pedagang kecil",
    ],
    "agriculture-food": [
        "Bibit dan pupuk untuk kebun pekarangan",
        "Pelatihan pertanian alami untuk kelompok wanita tani",
        "Perbaikan saluran irigasi sawah Dusun {dusun}",
    ],
    "environment-disasters": [
        "Talud penahan abrasi pantai",
        "Bak sampah dan pengangkutan sampah mingguan",
        "Normalisasi sungai yang sering banjir",
    ],
    "other": ["Balai pertemuan untuk kegiatan kelompok", "Papan informasi desa"],
}

#: Reses periods of the 2024-2029 DPRD: name and first day. The last one lies after the
#: reference date: its meetings are still planned (no attendance, no responses yet).
_RESES = [
    ("Reses I 2025", datetime.date(2025, 3, 10)),
    ("Reses II 2025", datetime.date(2025, 7, 14)),
    ("Reses III 2025", datetime.date(2025, 11, 10)),
    ("Reses I 2026", datetime.date(2026, 3, 9)),
    ("Reses II 2026", datetime.date(2026, 7, 13)),
    ("Reses I 2027", datetime.date(2027, 3, 8)),
]

# Tracks of the aspiration's way (DESIGN.md): the village track skips ranks 4 and 5; the
# reses track starts at a reses meeting.
VILLAGE = (
    Stage.CONVEYED,
    Stage.MUSRENBANG_DESA,
    Stage.PLANNED,
    Stage.BUDGETED,
    Stage.REALISED,
)
REGENCY = (
    Stage.CONVEYED,
    Stage.MUSRENBANG_DESA,
    Stage.MUSRENBANG_KECAMATAN,
    Stage.MUSRENBANG_KABKOTA,
    Stage.PLANNED,
    Stage.BUDGETED,
    Stage.REALISED,
)
RESES = (Stage.POKIR, Stage.PLANNED, Stage.BUDGETED, Stage.REALISED)

#: The first aspirations of the demo reach every stage: (track, steps taken, closing stage).
_EVERY_STAGE = [
    (VILLAGE, 0, None),
    (VILLAGE, 1, None),
    (VILLAGE, 2, None),
    (REGENCY, 3, None),
    (REGENCY, 4, None),
    (RESES, 1, None),
    (VILLAGE, 3, None),
    (REGENCY, 6, None),
    (VILLAGE, 5, None),
    (REGENCY, 3, Stage.NOT_ACCOMMODATED),
    (VILLAGE, 1, Stage.WITHDRAWN),
]
MUSRENBANG_LEVEL = {
    Stage.MUSRENBANG_DESA: MusrenbangForum.Level.DESA,
    Stage.MUSRENBANG_KECAMATAN: MusrenbangForum.Level.KECAMATAN,
    Stage.MUSRENBANG_KABKOTA: MusrenbangForum.Level.KABKOTA,
}
_RESPONSE_NOTES = {
    "pokir": ["Dimasukkan ke dalam Pokir DPRD tahun depan.", "Akan diperjuangkan lewat Pokir."],
    "forwarded": ["Diteruskan ke dinas terkait.", "Surat diteruskan ke camat dan dinas."],
    "answered": ["Sudah dijawab di tempat: program sudah ada di dinas.", "Dijelaskan syaratnya."],
    "not_taken_up": ["Bukan kewenangan DPRD kabupaten/kota.", "Belum dapat ditindaklanjuti."],
}
_NOT_ACCOMMODATED = [
    "Tidak masuk prioritas pagu indikatif kecamatan.",
    "Anggaran desa tahun ini sudah habis untuk kegiatan lain.",
    "Dinas menyatakan usulan di luar kewenangan kabupaten.",
]
_WITHDRAWN = [
    "Sudah diselesaikan warga secara swadaya.",
    "Digabung dengan usulan kelompok lain.",
]


#: The demo's known duplicate: one need of the first group's village raised twice, face to
#: face and again by message, its title typed differently, both taken into Pokir by the
#: demo DPRD staff's representative and not linked, so that the duplicate guard has
#: something to find (and the Pokir export shows the double entry SIPD would receive).
KNOWN_DUPLICATE = (
    ("Perbaikan jalan tani Dusun 2", Channel.FACE_TO_FACE, datetime.date(2026, 2, 2)),
    ("perbaikan Jalan Tani di dusun 2", Channel.MESSAGE, datetime.date(2026, 3, 16)),
)


def _days(rng, low, high):
    return datetime.timedelta(days=rng.randint(low, high))


class DemoBuilder:
    """Writes the demo rows; one instance per run, all randomness from ``rng``."""

    def __init__(self, rng, groups, password, stdout):
        self.rng = rng
        self.group_count = groups
        self.password = password
        self.stdout = stdout
        self.nik_serial = 0
        self.forums = {}
        self.officer_of = {}
        self.staff_of = {}

    # People -------------------------------------------------------------------------------

    def person_name(self, regency_code, sex, titled=True):
        """A realistic name for someone from ``regency_code``: given name, often a family or
        clan name, sometimes a title; about one in seven people has a single name."""
        rng = self.rng
        custom, christian_share = _CUSTOM[regency_code]
        surnames, female_titles, male_titles = _NAMES[custom]
        christian = rng.random() < christian_share
        if sex == Sex.FEMALE:
            given = rng.choice(_CHRISTIAN_F if christian else _MUSLIM_F)
            titles = [] if christian else female_titles
        else:
            given = rng.choice(_CHRISTIAN_M if christian else _MUSLIM_M)
            titles = [] if christian else male_titles
        parts = [given]
        if rng.random() > 0.15:
            parts.append(rng.choice(surnames))
        if titled and titles and rng.random() < 0.15:
            parts.insert(0, rng.choice(titles))
        return " ".join(parts)

    def nik(self, village_code, sex, birth):
        """A 16-digit NIK in the Dukcapil layout: subdistrict code, birth date (day + 40 for
        women), serial. Invented and unique within the demo."""
        self.nik_serial += 1
        day = birth.day + (40 if sex == Sex.FEMALE else 0)
        region = village_code.replace(".", "")[:6]
        return f"{region}{day:02d}{birth:%m%y}{self.nik_serial:04d}"

    # Groups and members -------------------------------------------------------------------

    def build_groups(self):
        """``group_count`` groups spread over the nine regencies, one per village, each with
        its cohort year and village decree (SK). Returns them in creation order."""
        rng = self.rng
        regencies = {r.code: r for r in Regency.objects.filter(code__in=REGENCIES)}
        per_regency = defaultdict(list)
        for index in range(self.group_count):
            per_regency[REGENCIES[index % len(REGENCIES)]].append(index)
        groups = []
        for code in REGENCIES:
            if not per_regency[code]:
                continue
            villages = list(
                Village.objects.filter(subdistrict__regency=regencies[code])
                .exclude(groups__isnull=False)
                .order_by("code")
            )
            chosen = rng.sample(villages, len(per_regency[code]))
            year = 2014 if code in COHORT_2014 else 2015
            names = _GROUP_NAMES + _LOCAL_GROUP_NAMES.get(_CUSTOM[code][0], [])
            names = rng.sample(names, len(names))
            for number, village in enumerate(sorted(chosen, key=lambda v: v.code)):
                founded = datetime.date(year, 1, 1) + _days(rng, 60, 330)
                office = "DS" if village.kind == Village.Kind.DESA else "KEL"
                groups.append(
                    ConstituentGroup.objects.create(
                        village=village,
                        name=f"KK {names[number % len(names)]}",
                        founded_on=founded,
                        cohort_year=year,
                        decree_number=(
                            f"{rng.choice(['141', '188.4', '400'])}/{rng.randint(1, 99):02d}"
                            f"/{office}/{founded:%m}/{year}"
                        ),
                        decree_date=founded + _days(rng, 3, 30),
                    )
                )
        return groups

    def build_members(self, groups):
        """About 25 members per group: >70% women, chairs women (one man in fifty groups)."""
        rng = self.rng
        members = []
        for index, group in enumerate(groups):
            code = group.village.subdistrict.regency.code
            size = rng.randint(20, 30)
            women = round(size * rng.uniform(0.74, 0.88))
            sexes = [Sex.FEMALE] * women + [Sex.MALE] * (size - women)
            rng.shuffle(sexes)
            # The chair is a woman, except in one group in fifty (the article: >95% women).
            chair_sex = Sex.MALE if index % 50 == 17 else Sex.FEMALE
            if chair_sex in sexes:
                sexes.remove(chair_sex)
            sexes.insert(0, chair_sex)
            sexes = sexes[:size]
            positions = [
                Member.Position.CHAIR,
                Member.Position.SECRETARY,
                Member.Position.TREASURER,
            ]
            for position_index, sex in enumerate(sexes):
                birth = datetime.date(
                    rng.randint(1958, 2004), rng.randint(1, 12), rng.randint(1, 28)
                )
                poor = rng.random() < (0.55 if sex == Sex.FEMALE else 0.35)
                joined = group.founded_on + _days(rng, 0, 2500)
                joined = min(joined, REFERENCE_DATE - datetime.timedelta(days=30))
                left = None
                if rng.random() < 0.04:
                    left = joined + _days(rng, 90, 900)
                    left = left if left < REFERENCE_DATE else None
                name = self.person_name(code, sex)
                members.append(
                    Member(
                        group=group,
                        full_name=name,
                        name_folded=fold_name(name),
                        sex=sex,
                        birth_year=birth.year,
                        birth_date=birth if rng.random() < 0.6 else None,
                        nik=(
                            self.nik(group.village.code, sex, birth)
                            if rng.random() < 0.65
                            else None
                        ),
                        is_poor=poor,
                        poverty_evidence=(
                            rng.choice(
                                [
                                    Member.PovertyEvidence.DTKS,
                                    Member.PovertyEvidence.PKH,
                                    Member.PovertyEvidence.KIS,
                                    Member.PovertyEvidence.SKTM,
                                    Member.PovertyEvidence.ASSESSMENT,
                                ]
                            )
                            if poor
                            else Member.PovertyEvidence.NONE
                        ),
                        has_disability=rng.random() < 0.05,
                        position=(
                            positions[position_index]
                            if position_index < len(positions)
                            else Member.Position.MEMBER
                        ),
                        phone=(
                            f"+628{rng.randint(11, 59)}{rng.randint(1000000, 99999999)}"
                            if rng.random() < 0.6
                            else ""
                        ),
                        address=f"Dusun {rng.randint(1, 6)}, RT {rng.randint(1, 12):03d}",
                        joined_on=joined,
                        left_on=left,
                        consent_given_on=max(joined, datetime.date(2024, 1, 15)),
                    )
                )
        # With their first history row, so that a member's first edit shows old and new.
        bulk_create_with_history(members, Member, batch_size=500)
        return members

    # Representatives and meetings -----------------------------------------------------------

    def build_representatives(self):
        """Two or three invented representatives per district of the nine DPRD."""
        rng = self.rng
        representatives = []
        for district in ElectoralDistrict.objects.filter(
            regency__code__in=REGENCIES
        ).select_related("regency"):
            for index in range(min(district.seats, rng.randint(2, 3))):
                sex = Sex.FEMALE if index == 0 or rng.random() < 0.25 else Sex.MALE
                name = self.person_name(district.regency.code, sex, titled=False)
                if rng.random() < 0.4:
                    name = f"{name}, {rng.choice(_DEGREES)}"
                if rng.random() < 0.3:
                    name = f"{'Hj.' if sex == Sex.FEMALE else 'H.'} {name}"
                representatives.append(
                    Representative(
                        full_name=name,
                        sex=sex,
                        party=rng.choice(_PARTIES),
                        district=district,
                        commission=rng.choice(_COMMISSIONS),
                    )
                )
        Representative.objects.bulk_create(representatives)
        return list(Representative.objects.filter(district__regency__code__in=REGENCIES))

    def build_meetings(self, groups):
        """Reses meetings hosted by groups with representatives of their district."""
        rng = self.rng
        meetings = defaultdict(list)
        for group in groups:
            representatives = list(
                Representative.objects.filter(
                    district__in=DistrictVillage.objects.filter(village=group.village).values(
                        "district"
                    )
                ).order_by("pk")
            )
            if not representatives:
                continue
            zone = zone_of(group)
            periods = [p for p in _RESES if rng.random() < 0.5]
            if not any(day <= REFERENCE_DATE for _period, day in periods):
                # Every group has held at least one meeting, so reses responses exist.
                periods.insert(0, rng.choice([p for p in _RESES if p[1] <= REFERENCE_DATE]))
            for period, first_day in periods:
                day = first_day + _days(rng, 0, 9)
                start = datetime.datetime.combine(
                    day, datetime.time(rng.choice([9, 10, 14])), tzinfo=zone
                )
                held = day <= REFERENCE_DATE
                women = rng.randint(20, 60)
                meetings[group.pk].append(
                    ResesMeeting.objects.create(
                        representative=rng.choice(representatives),
                        reses_period=period,
                        starts_at=start,
                        ends_at=start + datetime.timedelta(hours=3),
                        venue=rng.choice(
                            [
                                f"Balai {group.village.name}",
                                "Rumah ketua kelompok",
                                "Masjid",
                                "Gereja",
                            ]
                        ),
                        village=group.village,
                        organising_group=group,
                        expected_attendance=rng.randint(40, 80),
                        attendance_female=women if held else None,
                        attendance_male=rng.randint(5, 25) if held else None,
                        attendance_poor=rng.randint(5, women) if held else None,
                        attendance_disability=rng.randint(0, 4) if held else None,
                    )
                )
        return meetings

    def forum(self, level, village, on_or_after):
        """The first Musrenbang of ``level`` for ``village``'s area held on or after a date.

        Village forums meet in January/February, subdistrict forums in February/March, the
        regency forum in March/April (Permendagri 86/2017 schedule), each planning the next
        fiscal year. Returns a ``MusrenbangForum``.
        """
        subdistrict = village.subdistrict
        regency = subdistrict.regency
        area, area_pk = {
            MusrenbangForum.Level.DESA: ({"village": village}, village.pk),
            MusrenbangForum.Level.KECAMATAN: ({"subdistrict": subdistrict}, subdistrict.pk),
            MusrenbangForum.Level.KABKOTA: ({}, regency.pk),
        }[level]
        start = {
            MusrenbangForum.Level.DESA: (1, 15),
            MusrenbangForum.Level.KECAMATAN: (2, 15),
            MusrenbangForum.Level.KABKOTA: (3, 20),
        }[level]
        year = on_or_after.year
        while True:
            key = (level, area_pk, year)
            if key not in self.forums:
                held = datetime.date(year, *start) + _days(self.rng, 0, 20)
                self.forums[key] = MusrenbangForum.objects.create(
                    level=level,
                    regency=regency,
                    held_on=held,
                    fiscal_year=year + 1,
                    attendance_female=self.rng.randint(10, 60),
                    attendance_male=self.rng.randint(20, 80),
                    **area,
                )
            forum = self.forums[key]
            if forum.held_on >= on_or_after:
                return forum
            year += 1

    # Aspirations ------------------------------------------------------------------------------

    def plan(self, index):
        """(track, steps taken, closing stage) for the ``index``-th aspiration of the demo."""
        if index < len(_EVERY_STAGE):
            return _EVERY_STAGE[index]
        rng = self.rng
        track = rng.choices([VILLAGE, REGENCY, RESES], weights=[5, 3, 3])[0]
        steps = rng.randint(0, len(track))
        closing = None
        if steps < len(track) and rng.random() < 0.18:
            closing = rng.choice([Stage.NOT_ACCOMMODATED, Stage.NOT_ACCOMMODATED, Stage.WITHDRAWN])
        return track, steps, closing

    def build_aspirations(self, groups, meetings, topics):
        """Six to ten aspirations per group; the first ones reach every stage. Returns the
        number created."""
        rng = self.rng
        count = 0
        for group in groups:
            for _ in range(rng.randint(6, 10)):
                track, steps, closing = self.plan(count)
                group_meetings = [
                    m for m in meetings.get(group.pk, []) if m.starts_at.date() <= REFERENCE_DATE
                ]
                if track is RESES and not group_meetings:
                    track = VILLAGE
                self.build_aspiration(group, track, steps, closing, topics, group_meetings, count)
                count += 1
        # Planned meetings (after the reference date): the group proposes waiting aspirations.
        for group in groups:
            for meeting in meetings.get(group.pk, []):
                if meeting.starts_at.date() > REFERENCE_DATE:
                    waiting = Aspiration.objects.filter(group=group, stage=Stage.RECORDED)[:3]
                    agenda_add(meeting, waiting, proposed_by_group=True)
        return count

    def reses_response(self, aspiration, meeting, index):
        """Put ``aspiration`` on a held ``meeting``'s agenda and record the representative's
        response through ``reses.services``. Returns the response."""
        rng = self.rng
        response = rng.choices(
            [
                AgendaItem.Response.POKIR,
                AgendaItem.Response.FORWARDED,
                AgendaItem.Response.ANSWERED,
                AgendaItem.Response.NOT_TAKEN_UP,
            ],
            weights=[7, 2, 1, 1] if index >= len(_EVERY_STAGE) else [1, 0, 0, 0],
        )[0]
        (item,) = agenda_add(meeting, [aspiration])
        agenda_item_respond(
            item,
            response=response,
            note=rng.choice(_RESPONSE_NOTES[response]),
            actor=self.staff_of.get(meeting.representative_id),
        )
        aspiration.refresh_from_db()
        return response

    def build_aspiration(self, group, track, steps, closing, topics, meetings, index):
        """Create one aspiration and walk it ``steps`` stages along ``track`` through the
        pipeline's services, with ascending real-world dates that stop at the reference date,
        then close it with ``closing`` (a closed stage or ``None``)."""
        rng = self.rng
        village = group.village
        regency = village.subdistrict.regency
        topic = rng.choice(topics)
        meeting = rng.choice(meetings) if track is RESES else None
        if meeting is not None:
            raised = meeting.starts_at.date() - _days(rng, 5, 40)
        elif index < len(_EVERY_STAGE):
            # Old enough for the whole way to fit before the reference date.
            raised = datetime.date(2021, 1, 1) + _days(rng, 0, 300)
        else:
            raised = max(group.founded_on, datetime.date(2019, 1, 1)) + _days(rng, 30, 2600)
            raised = min(raised, REFERENCE_DATE - datetime.timedelta(days=10))
        title = rng.choice(_TITLES.get(topic.slug, _TITLES["other"])).format(
            dusun=rng.randint(1, 6)
        )
        officer = self.officer_of.get(group.pk)
        aspiration, _created = aspiration_create(
            group=group,
            actor=officer,
            village=village,
            title=title,
            description=f"Disampaikan warga {village.name} dalam pertemuan kelompok.",
            topic=topic,
            channel=(
                Channel.RESES
                if meeting
                else rng.choice([Channel.FACE_TO_FACE, Channel.LETTER, Channel.MUSRENBANG])
            ),
            raised_on=raised,
            benefits_women=rng.random() < 0.8,
            benefits_men=rng.random() < 0.4,
            benefits_poor=rng.random() < 0.6,
            benefits_disability=rng.random() < 0.15,
            addressed_to=(
                AddressedLevel.REPRESENTATIVE
                if meeting
                else AddressedLevel.VILLAGE
                if track is VILLAGE
                else AddressedLevel.REGENCY
            ),
            representative=meeting.representative if meeting else None,
            is_public=rng.random() < 0.3,
        )
        date = raised
        stages = list(track[:steps])
        if meeting is not None and stages:
            stages.pop(0)
            response = self.reses_response(aspiration, meeting, index)
            date = aspiration.stage_changed_on if aspiration.stage != Stage.RECORDED else date
            if response != AgendaItem.Response.POKIR:
                stages = []
        fiscal_year = None
        amount = None
        source = FundSource.APBDES if track is VILLAGE else FundSource.APBD_KABKOTA
        for stage in stages:
            extra = {}
            if stage == Stage.CONVEYED:
                day = date + _days(rng, 7, 45)
                extra = {"note": "Surat usulan diserahkan."}
            elif stage in MUSRENBANG_LEVEL:
                forum = self.forum(
                    MUSRENBANG_LEVEL[stage], village, date + datetime.timedelta(days=3)
                )
                day = forum.held_on
                fiscal_year = forum.fiscal_year
                extra = {"musrenbang_forum": forum}
            elif stage == Stage.PLANNED:
                day = date + _days(rng, 30, 120)
                fiscal_year = fiscal_year or day.year + 1
                plan = "RKPDes" if track is VILLAGE else "RKPD"
                extra = {"document_reference": f"{plan} {fiscal_year}"}
            elif stage == Stage.BUDGETED:
                day = max(date + _days(rng, 30, 90), datetime.date(fiscal_year - 1, 10, 1))
                day += _days(rng, 0, 80)
                if rng.random() < 0.1 and track is not VILLAGE:
                    source = rng.choice([FundSource.APBD_PROVINSI, FundSource.APBN])
                unit = 500_000 if track is VILLAGE else 1_000_000
                low, high = (20, 300) if track is VILLAGE else (50, 1500)
                amount = Decimal(rng.randint(low, high) * 1_000_000 // unit * unit)
                document = "APBDes" if source == FundSource.APBDES else "APBD"
                extra = {
                    "amount": amount,
                    "fiscal_year": fiscal_year,
                    "fund_source": source,
                    "implementing_urusan": aspiration.urusan,
                    "implementing_agency": self.agency(aspiration, source, regency, village),
                    "document_reference": f"{document} {fiscal_year}",
                }
            else:  # realised
                day = max(date + _days(rng, 60, 200), datetime.date(fiscal_year, 3, 1))
                day += _days(rng, 0, 150)
                share = Decimal(rng.randint(85, 100)) / 100
                extra = {
                    "note": "Serah terima pekerjaan kepada warga.",
                    "realised_amount": (amount * share).quantize(Decimal("1000")),
                    "evidence": "Foto kegiatan dan berita acara serah terima.",
                }
            if day > REFERENCE_DATE:
                break
            date = day
            aspiration_move(aspiration, to=stage, actor=officer, occurred_on=date, **extra)
        if closing is not None and aspiration.stage != Stage.REALISED:
            day = aspiration.stage_changed_on + _days(rng, 30, 120)
            if day <= REFERENCE_DATE:
                reasons = _NOT_ACCOMMODATED if closing == Stage.NOT_ACCOMMODATED else _WITHDRAWN
                aspiration_move(
                    aspiration,
                    to=closing,
                    actor=officer,
                    occurred_on=day,
                    reason=rng.choice(reasons),
                )

    def build_known_duplicate(self, group):
        """``KNOWN_DUPLICATE`` in ``group``'s village, both moved to Pokir on 1 April 2026
        (no random numbers drawn: the rest of the demo stays as it was)."""
        officer = self.officer_of.get(group.pk)
        representative = next(iter(self.staff_of))
        topic = Topic.objects.get(slug="village-infrastructure")
        for title, channel, raised in KNOWN_DUPLICATE:
            aspiration, _created = aspiration_create(
                group=group,
                actor=officer,
                village=group.village,
                title=title,
                description=f"Disampaikan warga {group.village.name}.",
                topic=topic,
                channel=channel,
                raised_on=raised,
                benefits_women=True,
                benefits_poor=True,
                addressed_to=AddressedLevel.REPRESENTATIVE,
                representative_id=representative,
            )
            aspiration_move(
                aspiration,
                to=Stage.POKIR,
                actor=officer,
                occurred_on=datetime.date(2026, 4, 1),
                note="Dimasukkan ke dalam Pokir DPRD.",
            )

    @staticmethod
    def agency(aspiration, source, regency, village):
        """Name of the body that spends the money: the village government for APBDes, else
        the regency's agency (dinas) for the aspiration's urusan."""
        if source == FundSource.APBDES:
            return f"Pemerintah {village.name}"
        urusan = aspiration.urusan.name if aspiration.urusan else "terkait"
        return f"Dinas {urusan} {regency.name}"[:200]

    # Users ----------------------------------------------------------------------------------

    def build_users(self, groups, representatives):
        """One user per role; returns them in ``DEMO_USERNAMES`` order."""
        first = groups[0]
        regency = first.village.subdistrict.regency
        same_regency = [g for g in groups[1:] if g.village.subdistrict.regency_id == regency.pk]
        second = same_regency[0] if same_regency else groups[1]
        in_district = [
            r
            for r in representatives
            if DistrictVillage.objects.filter(district=r.district, village=first.village).exists()
        ]
        representative = next((r for r in in_district if r.sex == Sex.FEMALE), in_district[0])
        specs = [
            ("demo-pengurus", "Nurhayati", {"role": Role.OFFICER, "group": first}),
            ("demo-pengurus-2", "Yohana", {"role": Role.OFFICER, "group": second}),
            ("demo-fasilitator", "Rahmawati", {"role": Role.FACILITATOR, "regency": regency}),
            ("demo-program", "Magdalena", {"role": Role.PROGRAMME}),
            ("demo-dprd", "Ma'ruf", {"role": Role.DPRD, "representative": representative}),
            (
                "demo-admin",
                "Admin",
                {"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
            ),
        ]
        users = []
        # One hash for the six users, who share the password: hashing it is slow on purpose
        # (a third of a second each with Django's PBKDF2).
        password = make_password(self.password)
        for number, (username, first_name, fields) in enumerate(specs, start=1):
            # Reminders by SMS through the console gateway: the worker prints them (bin/demo).
            user = User(
                username=username,
                first_name=first_name,
                phone=f"+628120000000{number}",
                password=password,
                **fields,
            )
            user.save()
            users.append(user)
        Preference.objects.bulk_create(
            Preference(user=user, channel=NotificationChannel.SMS) for user in users
        )
        self.officer_of = {first.pk: users[0], second.pk: users[1]}
        self.staff_of = {representative.pk: users[4]}
        return users

    def build(self):
        """Write the whole demo; returns the demo users."""
        groups = self.build_groups()
        if len(groups) < 2:
            raise CommandError("The demo needs at least two groups (--groups 2 or more).")
        members = self.build_members(groups)
        representatives = self.build_representatives()
        users = self.build_users(groups, representatives)
        meetings = self.build_meetings(groups)
        topics = list(Topic.objects.order_by("order"))
        aspirations = self.build_aspirations(groups, meetings, topics)
        self.build_known_duplicate(groups[0])
        aspirations += len(KNOWN_DUPLICATE)
        cases = CaseBuilder(self, members, REFERENCE_DATE).build(groups, self.officer_of, users[2])
        work = WorkBuilder(self.rng, members, REFERENCE_DATE).build(groups)
        self.stdout.write(
            f"Demo: {len(groups)} groups, {len(members)} members, {len(representatives)} "
            f"representatives, {sum(len(m) for m in meetings.values())} reses meetings, "
            f"{len(self.forums)} Musrenbang forums, {aspirations} aspirations, "
            f"{cases} cases of assistance, {work['activities']} activities with "
            f"{work['present']} present, {work['roles']} public roles, {work['budget']} "
            f"budget access, {work['practices']} replicated practices taken up "
            f"{work['adoptions']} times."
        )
        return users


def reset_demo():
    """Delete the demo's rows: every group, member, aspiration, forum, meeting,
    representative, case of assistance, their edit histories and the access log, and the
    demo users. Meant for demo databases only; raises ``CommandError`` if other users still
    point at these rows."""
    AccessLog.objects.all().delete()
    for document in CaseDocument.objects.all():
        document.file.delete(save=False)
        document.thumbnail.delete(save=False)
    AssistanceCase.objects.all().delete()
    AssistanceCase.history.all().delete()
    Activity.objects.all().delete()
    BudgetAccess.objects.all().delete()
    ReplicatedPractice.objects.all().delete()
    PublicRole.objects.all().delete()
    OfficerTerm.objects.all().delete()
    Member.history.all().delete()
    User.objects.filter(username__in=DEMO_USERNAMES).delete()
    try:
        AgendaItem.objects.all().delete()
        Aspiration.objects.all().delete()
        MusrenbangForum.objects.all().delete()
        ResesMeeting.objects.all().delete()
        Representative.objects.all().delete()
        Member.objects.all().delete()
        ConstituentGroup.objects.all().delete()
    except ProtectedError as exc:
        raise CommandError(
            f"Cannot reset: other rows still refer to the demo data ({exc.protected_objects})."
        ) from None


class Command(BaseCommand):
    help = (
        "Build the demo (groups, members, representatives, reses, Musrenbang, aspirations) "
        "and one user per role. Deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of the demo users (default {DEFAULT_PASSWORD!r}).",
        )
        parser.add_argument(
            "--groups", type=int, default=60, help="Number of groups (default 60, at least 2)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all groups, members, aspirations, meetings, representatives and the "
            "demo users first. For demo databases only.",
        )
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000/",
            help="Address printed with the logins.",
        )

    def handle(self, *args, seed, password, groups, reset, address, **options):
        if groups < 2:
            raise CommandError("--groups must be at least 2.")
        if Regency.objects.filter(code__in=REGENCIES).count() < len(REGENCIES) or (
            not Topic.objects.exists()
        ):
            call_command("load_reference_data", stdout=self.stdout)
        with transaction.atomic():
            if reset:
                reset_demo()
            if User.objects.filter(username__in=DEMO_USERNAMES).exists():
                self.stdout.write(
                    self.style.WARNING(
                        "The demo is already in this database; nothing was changed. "
                        "Run with --reset to build it again."
                    )
                )
            else:
                builder = DemoBuilder(random.Random(seed), groups, password, self.stdout)
                # Counted once at the end, and afresh: --reset deleted aspirations outside
                # aspirations.services.
                with responses_untold(), summaries.rebuilt_after():
                    builder.build()
                self._print_logins(address, password)
                return
        self.stdout.write(
            f"Open {address} and sign in with the demo users ({', '.join(DEMO_USERNAMES)}); "
            f"their password is the one given when the demo was built (default "
            f"{DEFAULT_PASSWORD!r})."
        )

    def _print_logins(self, address, password):
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Open {address} and sign in as:"))
        for user in User.objects.filter(username__in=DEMO_USERNAMES).select_related(
            "group", "regency", "representative"
        ):
            scope = user.group or user.regency or user.representative or ""
            self.stdout.write(f"  {user.username:<18} {user.get_role_display():<20} {scope}")
        self.stdout.write(f"Password for all: {password}")
