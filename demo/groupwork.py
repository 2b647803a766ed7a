"""The groups' own work for the demo, written through the service functions
(``members.services``, ``activities.services``), except the activities and their
attendance: 1,400 activities with 19,000 people present, written in bulk (``Activities``).

As the BaKTI article in ``../shared/seed/`` tells it: every group holds discussions and,
now and then, a training or a comparative study visit, on women's rights, human rights,
organising, case handling, public services and village planning and budgeting; members,
mostly women, come to hold public roles (RT head, PKK, posyandu cadre, BPD, a few village
heads and candidates for the DPRD); groups obtain village (APBDes) and regional (APBD)
money, and some CSR, for economic activity, natural farming and savings and loans; a few
practices one group starts (natural farming, a savings circle, a posyandu for the elderly)
are taken up by neighbouring groups. Every
group has officer terms from its founding, a new chair in some groups, and activities
every year from its founding to ``reference``.
"""

import datetime
from decimal import Decimal

from activities import services as work
from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    Attendance,
    BudgetPurpose,
    BudgetSource,
)
from members import services as people
from members.models import OfficerTerm, PublicRoleKind, Sex
from members.text import clean_name, fold_name

#: Kinds of activity by weight: discussions are most of them.
KINDS = (
    (ActivityKind.DISCUSSION, 60),
    (ActivityKind.TRAINING, 25),
    (ActivityKind.STUDY_VISIT, 8),
    (ActivityKind.OTHER, 7),
)
#: Topics and what the notebook says of them.
TOPICS = {
    ActivityTopic.WOMENS_RIGHTS: "Hak perempuan dan kesetaraan dalam keluarga",
    ActivityTopic.HUMAN_RIGHTS: "Hak asasi manusia dan layanan dasar",
    ActivityTopic.ORGANISING: "Penguatan organisasi dan administrasi kelompok",
    ActivityTopic.CASE_HANDLING: "Pendampingan kasus dan rujukan ke layanan",
    ActivityTopic.PUBLIC_SERVICES: "Pengaduan layanan publik: puskesmas, sekolah, Dukcapil",
    ActivityTopic.VILLAGE_PLANNING: "Musrenbang desa dan membaca APBDes",
}
_OTHER_TOPICS = ("Pembuatan pupuk organik", "Kesehatan reproduksi remaja", "Pengelolaan sampah")
_PLACES = ("Balai desa", "Rumah ketua kelompok", "Kantor lurah", "Aula kecamatan", "Posyandu")
_RESOURCE = ("Fasilitator lapangan", "Dinas PPPA", "Puskesmas", "Pendamping desa", "LBH APIK")
#: Public roles by weight; candidacies are rare.
ROLE_KINDS = (
    (PublicRoleKind.RT_HEAD, 18),
    (PublicRoleKind.RW_HEAD, 5),
    (PublicRoleKind.PKK, 25),
    (PublicRoleKind.POSYANDU, 25),
    (PublicRoleKind.LPM, 8),
    (PublicRoleKind.BPD, 12),
    (PublicRoleKind.VILLAGE_HEAD, 2),
    (PublicRoleKind.CANDIDATE_DPRD, 4),
    (PublicRoleKind.OTHER, 1),
)
#: Practices groups start and others take up: (name, description).
PRACTICES = (
    ("Pertanian alami", "Pupuk kompos dan pestisida nabati dari bahan sekitar pekarangan."),
    ("Simpan pinjam kelompok", "Tabungan bulanan anggota dan pinjaman kecil tanpa agunan."),
    ("Posyandu lansia", "Pemeriksaan bulanan warga lanjut usia bersama kader posyandu."),
    ("Kebun gizi pekarangan", "Sayur dan tanaman obat keluarga di pekarangan rumah."),
    ("Bank sampah", "Sampah dipilah dan ditabung; hasilnya untuk kas kelompok."),
)
_PARTIES = ("PKB", "Gerindra", "PDI-P", "Golkar", "NasDem", "PKS", "PAN", "Demokrat")


def _weighted(rng, pairs):
    return rng.choices([value for value, _w in pairs], [w for _v, w in pairs])[0]


class Activities:
    """The demo's activities and attendance, gathered and then written in three bulk inserts.

    Through ``activities.services`` each activity took seven queries (a second of the
    demo per hundred activities). What those functions check holds by construction here:
    every activity lies between its host's founding and the reference date (before today),
    the members listed belong to the groups taking part and were members on the day, each
    once, and the guests' names ("Ibu Warga 1", …) differ within an activity. The rows are
    the ones the services would write, in the same order: attendance copies sex, poverty
    and disability from the member, a guest's folded name is ``fold_name`` of the cleaned
    name (``Attendance.save``).
    """

    def __init__(self):
        self.activities = []
        self.groups = []
        self.attendance = []

    def add(self, group, fields, others, members, guests):
        """Gather one activity of ``group`` (host) with ``others`` taking part, ``members``
        present and ``guests`` (dicts of ``Attendance`` fields with ``full_name``).
        Returns the number of people present."""
        activity = Activity(group=group, **fields)
        self.activities.append(activity)
        self.groups.append(sorted({group.pk, *(g.pk for g in others)}))
        rows = [
            Attendance(
                member=member,
                sex=member.sex,
                is_poor=member.is_poor,
                has_disability=member.has_disability,
            )
            for member in members
        ]
        for guest in guests:
            name = clean_name(guest.pop("full_name"))
            rows.append(Attendance(full_name=name, name_folded=fold_name(name), **guest))
        self.attendance.append((activity, rows))
        return len(rows)

    def write(self):
        """Insert what was gathered (``bulk_create`` sets the activities' keys first)."""
        Activity.objects.bulk_create(self.activities, batch_size=500)
        through = Activity.groups.through
        through.objects.bulk_create(
            [
                through(activity_id=activity.pk, constituentgroup_id=group_id)
                for activity, group_ids in zip(self.activities, self.groups, strict=True)
                for group_id in group_ids
            ],
            batch_size=1000,
        )
        for activity, rows in self.attendance:
            for row in rows:
                row.activity = activity
        Attendance.objects.bulk_create(
            [row for _activity, rows in self.attendance for row in rows], batch_size=1000
        )


class WorkBuilder:
    """Officer terms, activities with attendance, public roles and budget access of every
    demo group, up to ``reference`` (a ``date``)."""

    def __init__(self, rng, members, reference):
        self.rng = rng
        self.reference = reference
        self.members_of = {}
        for member in members:
            self.members_of.setdefault(member.group_id, []).append(member)
        self.counts = dict.fromkeys(
            ("activities", "present", "roles", "budget", "practices", "adoptions"), 0
        )

    def build(self, groups):
        """Write it all; returns the counts of what was written."""
        activities = Activities()
        for group in groups:
            members = self.members_of.get(group.pk, [])
            self.officers(group, members)
            self.activities(group, members, groups, activities)
            self.roles(group, members)
            self.budget(group)
        activities.write()
        self.practices(groups)
        return self.counts

    def officers(self, group, members):
        """Chair, secretary and treasurer from the founding (the first three members, as
        ``seed_demo`` made them); in one group in three a new chair from 2021."""
        for member, position in zip(members, OfficerTerm.Position.values, strict=False):
            people.officer_term_start(
                group, member=member, position=position, started_on=group.founded_on
            )
        women = [m for m in members[3:] if m.sex == Sex.FEMALE and m.left_on is None]
        if women and self.rng.random() < 0.33:
            started = datetime.date(2021, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 500))
            people.officer_term_start(
                group, member=self.rng.choice(women), position="chair", started_on=started
            )

    def activities(self, group, members, groups, activities):
        """One to three activities a year from the founding; about one in five with a
        neighbouring group of the same regency; members present as on the day. Gathered in
        ``activities`` (``Activities``), written after all groups."""
        rng = self.rng
        regency = group.village.subdistrict.regency_id
        neighbours = [
            g for g in groups if g.village.subdistrict.regency_id == regency and g != group
        ]
        for year in range(group.founded_on.year, self.reference.year + 1):
            for _number in range(rng.randint(1, 3)):
                day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if not group.founded_on < day <= self.reference:
                    continue
                kind = _weighted(rng, KINDS)
                topic = rng.choice(list(TOPICS) + [ActivityTopic.OTHER])
                other = [rng.choice(neighbours)] if neighbours and rng.random() < 0.2 else []
                fields = {
                    "kind": kind,
                    "topic": topic,
                    "topic_text": TOPICS.get(topic) or rng.choice(_OTHER_TOPICS),
                    "held_on": day,
                    "place": rng.choice(_PLACES),
                    "resource_person": rng.choice(_RESOURCE),
                    "organiser": group.name,
                }
                in_group = [
                    m
                    for m in members + [m for g in other for m in self.members_of.get(g.pk, [])]
                    if (m.joined_on is None or m.joined_on <= day)
                    and (m.left_on is None or m.left_on > day)
                ]
                present = rng.sample(in_group, min(len(in_group), rng.randint(8, 22)))
                guests = []
                for index in range(rng.randint(0, 3)):
                    sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE
                    guests.append(
                        {
                            "full_name": (
                                f"{'Ibu' if sex == Sex.FEMALE else 'Bapak'} Warga {index + 1}"
                            ),
                            "sex": sex,
                            "is_poor": rng.random() < 0.4,
                            "has_disability": rng.random() < 0.05,
                        }
                    )
                self.counts["activities"] += 1
                self.counts["present"] += activities.add(group, fields, other, present, guests)

    def roles(self, group, members):
        """One to four members of the group take up public roles after joining; the
        earlier ones have ended."""
        rng = self.rng
        for member in rng.sample(members, min(len(members), rng.randint(1, 4))):
            kind = _weighted(rng, ROLE_KINDS)
            joined = member.joined_on or group.founded_on
            start = joined + datetime.timedelta(days=rng.randint(120, 2400))
            if start >= self.reference:
                continue
            fields = {"kind": kind, "started_on": start, "ended_on": None}
            if kind == PublicRoleKind.CANDIDATE_DPRD:
                election = rng.choice((2019, 2024))
                fields.update(
                    party=rng.choice(_PARTIES),
                    election_year=election,
                    result=rng.choice(("elected", "not_elected", "not_elected")),
                    started_on=datetime.date(election - 1, 9, 1),
                    ended_on=datetime.date(election, 3, 20),
                )
            else:
                prefix = {PublicRoleKind.RT_HEAD: "RT", PublicRoleKind.RW_HEAD: "RW"}.get(kind)
                fields["description"] = f"{prefix} {rng.randint(1, 12):03d}" if prefix else ""
                if rng.random() < 0.25:
                    end = start + datetime.timedelta(days=rng.randint(365, 1800))
                    fields["ended_on"] = end if end < self.reference else None
            people.public_role_add(member, fields=fields)
            self.counts["roles"] += 1

    def budget(self, group):
        """Most groups obtain village money once or twice after 2017; some APBD or CSR."""
        rng = self.rng
        for _number in range(rng.choice((0, 1, 1, 2, 3))):
            source = rng.choice(
                (BudgetSource.APBDES,) * 6 + (BudgetSource.APBD,) * 2 + (BudgetSource.CSR,)
            )
            low, high = {"apbdes": (5, 60), "apbd": (25, 150), "csr": (10, 80)}[source]
            women = rng.randint(10, 30)
            work.budget_access_add(
                group,
                fields={
                    "source": source,
                    "amount": Decimal(rng.randint(low, high) * 500_000),
                    "year": rng.randint(max(2017, group.cohort_year + 2), self.reference.year),
                    "purpose": rng.choice(BudgetPurpose.values),
                    "description": "",
                    "women": women,
                    "men": rng.randint(0, women // 3),
                },
            )
            self.counts["budget"] += 1

    def practices(self, groups):
        """Each practice started by a group founded by then (one practice per group at
        most), from 2016 to a year before ``reference``, and taken up by one to four other
        groups of its regency founded by the day they take it up."""
        rng = self.rng
        starters = rng.sample(list(groups), min(len(groups), len(PRACTICES)))
        last_start = self.reference - datetime.timedelta(days=365)
        for group, (name, description) in zip(starters, PRACTICES, strict=False):
            first = max(group.founded_on, datetime.date(2016, 1, 1))
            if first > last_start:
                continue
            started = first + datetime.timedelta(days=rng.randint(0, (last_start - first).days))
            practice = work.practice_record(
                group, name=name, description=description, started_on=started
            )
            self.counts["practices"] += 1
            regency = group.village.subdistrict.regency_id
            others = [
                g
                for g in groups
                if g.pk != group.pk and g.village.subdistrict.regency_id == regency
            ]
            for other in rng.sample(others, min(len(others), rng.randint(1, 4))):
                earliest = max(started, other.founded_on) + datetime.timedelta(days=60)
                if earliest > self.reference:
                    continue
                day = earliest + datetime.timedelta(
                    days=rng.randint(0, (self.reference - earliest).days)
                )
                work.practice_adopt(practice, group=other, adopted_on=day)
                self.counts["adoptions"] += 1
