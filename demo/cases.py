"""Cases of assistance for the demo, written through ``assistance.services`` only.

The groups' assistance work as the BaKTI article in ``../shared/seed/`` tells it: identity
cards, family cards and birth certificates from Dukcapil, rice aid and PKH through the
village office and the Dinas Sosial, BPJS/KIS cards, children back to school, and women and
children who suffered violence accompanied to the UPTD PPA and the police. Every kind is
present; cases of violence are confidential, handled by a demo officer where the group has
one (``demo-pengurus``, ``demo-pengurus-2``), kept as anonymous counts elsewhere and when
consent was not given; one case has its consent withdrawn. Dates run up to
``REFERENCE_DATE``; follow-ups planned after it show as overdue on the demo's home pages.
"""

import datetime

from assistance import services
from assistance.models import AgeGroup, ConsentBy, Need, Outcome, Service
from members.models import Sex

#: How often each need is drawn, out of 100 (the article: civil registration and social
#: assistance first, violence cases a minority).
NEED_WEIGHTS = (
    (Need.KTP, 14),
    (Need.KK, 12),
    (Need.BIRTH_CERTIFICATE, 12),
    (Need.RASTRA_BPNT, 11),
    (Need.PKH, 9),
    (Need.BPJS_KIS, 16),
    (Need.BACK_TO_SCHOOL, 9),
    (Need.VIOLENCE_WOMAN, 8),
    (Need.VIOLENCE_CHILD, 4),
    (Need.OTHER, 5),
)
#: The service each need is taken to first, and where it is obtained or refused.
SERVICE_OF = {
    Need.KTP: Service.DUKCAPIL,
    Need.KK: Service.DUKCAPIL,
    Need.BIRTH_CERTIFICATE: Service.DUKCAPIL,
    Need.RASTRA_BPNT: Service.DINAS_SOSIAL,
    Need.PKH: Service.DINAS_SOSIAL,
    Need.BPJS_KIS: Service.BPJS,
    Need.BACK_TO_SCHOOL: Service.SCHOOL,
    Need.VIOLENCE_WOMAN: Service.UPTD_PPA,
    Need.VIOLENCE_CHILD: Service.UPTD_PPA,
    Need.OTHER: Service.VILLAGE_OFFICE,
}
#: Needs of a child: a guardian gives consent, the person is under 18.
CHILD_NEEDS = {Need.BIRTH_CERTIFICATE, Need.BACK_TO_SCHOOL, Need.VIOLENCE_CHILD}
VIOLENCE_NEEDS = {Need.VIOLENCE_WOMAN, Need.VIOLENCE_CHILD}
_DESCRIPTIONS = {
    Need.KTP: "Belum punya KTP-el, tidak bisa mendaftar bantuan.",
    Need.KK: "Nama anak belum masuk kartu keluarga.",
    Need.BIRTH_CERTIFICATE: "Anak belum punya akta kelahiran untuk mendaftar sekolah.",
    Need.RASTRA_BPNT: "Keluarga miskin belum terdaftar penerima beras.",
    Need.PKH: "Ibu hamil dari keluarga miskin belum menerima PKH.",
    Need.BPJS_KIS: "Butuh kartu KIS untuk berobat ke puskesmas.",
    Need.BACK_TO_SCHOOL: "Anak putus sekolah karena membantu orang tua di kebun.",
    Need.VIOLENCE_WOMAN: "Korban kekerasan dalam rumah tangga, butuh pendampingan.",
    Need.VIOLENCE_CHILD: "Anak korban kekerasan, didampingi bersama orang tuanya.",
    Need.OTHER: "Butuh surat keterangan tidak mampu dari kantor desa.",
}
_CONTACTS = {
    Service.UPTD_PPA: "Petugas pengaduan UPTD PPA",
    Service.POLICE: "Unit PPA Polres",
    Service.DINAS_SOSIAL: "Pendamping PKH kecamatan",
    Service.DUKCAPIL: "Loket pelayanan Dukcapil",
    Service.BPJS: "Petugas BPJS Kesehatan",
}


def _pick_need(rng):
    draw = rng.randrange(100)
    for need, weight in NEED_WEIGHTS:
        if draw < weight:
            return need
        draw -= weight
    return Need.OTHER


def _later(rng, day, low, high, limit):
    """A day ``low`` to ``high`` days after ``day``, but not after ``limit``."""
    return min(day + datetime.timedelta(days=rng.randint(low, high)), limit)


class CaseBuilder:
    """Writes the demo's cases; ``builder`` is the demo's ``DemoBuilder`` (its ``rng`` and
    its names of people), ``reference_date`` the last day a step may be dated."""

    def __init__(self, builder, members, reference_date):
        self.rng = builder.rng
        self.builder = builder
        self.limit = reference_date
        self.members_of = {}
        for member in members:
            if member.left_on is None:
                self.members_of.setdefault(member.group_id, []).append(member)

    def build(self, groups, officer_of, facilitator):
        """Two to four cases per group. ``officer_of`` maps a group id to its demo officer,
        who records its cases and handles its cases of violence; ``facilitator`` records
        those of the other groups of her regency. Returns the number of cases written."""
        rng = self.rng
        written = 0
        for group in groups:
            officer = officer_of.get(group.pk)
            in_regency = facilitator.regency_id == group.village.subdistrict.regency_id
            actor = officer or (facilitator if in_regency else None)
            for _n in range(rng.randint(2, 4)):
                need = _pick_need(rng)
                opened = self.limit - datetime.timedelta(days=rng.randint(20, 700))
                self.case(group, need, opened, actor, officer)
                written += 1
            if officer is not None:
                written += self.confidential_cases(group, officer)
        return written

    def confidential_cases(self, group, officer):
        """The demo officer's confidential cases, whatever the draw: a woman referred to the
        UPTD PPA whose follow-up is overdue, a child with the guardian's consent, and a
        woman who later withdrew her consent. Returns 3."""
        rng = self.rng
        for need, days_ago, withdraw in (
            (Need.VIOLENCE_WOMAN, 40, False),
            (Need.VIOLENCE_CHILD, 120, False),
            (Need.VIOLENCE_WOMAN, 200, True),
        ):
            opened = self.limit - datetime.timedelta(days=days_ago)
            _member, person = self.person(group, need, consent=True)
            case, _created = services.case_open(
                group=group,
                actor=officer,
                need=need,
                opened_on=opened,
                person_village=group.village,
                consent_given_on=opened,
                consent_by=ConsentBy.GUARDIAN if need in CHILD_NEEDS else ConsentBy.PERSON,
                description=_DESCRIPTIONS[need],
                handlers=[officer],
                **person,
            )
            day = opened + datetime.timedelta(days=rng.randint(1, 3))
            services.case_accompany(case, actor=officer, occurred_on=day, service=Service.POLICE)
            services.case_refer(
                case,
                actor=officer,
                occurred_on=day,
                service=Service.UPTD_PPA,
                contact=_CONTACTS[Service.UPTD_PPA],
                follow_up_on=day + datetime.timedelta(days=21),
                note="Korban diterima untuk konseling dan pendampingan hukum.",
            )
            if withdraw:
                services.case_withdraw_consent(case, actor=officer, occurred_on=self.limit)
        return 3

    def person(self, group, need, consent):
        """``(member, person fields)`` of the person helped: a member of the group now and
        then, else someone entered for the case; nobody without consent."""
        rng = self.rng
        child = need in CHILD_NEEDS
        candidates = self.members_of.get(group.pk, [])
        if not child and need not in VIOLENCE_NEEDS and candidates and rng.random() < 0.3:
            return rng.choice(candidates), {}
        if not consent:
            return None, {}
        sex = Sex.FEMALE if need == Need.VIOLENCE_WOMAN or rng.random() < 0.6 else Sex.MALE
        code = group.village.subdistrict.regency.code
        return None, {
            "person_name": self.builder.person_name(code, sex, titled=False),
            "person_sex": sex,
            "person_age_group": AgeGroup.UNDER_18
            if child
            else rng.choice([AgeGroup.AGE_18_29, AgeGroup.AGE_30_44, AgeGroup.AGE_45_59]),
            "person_phone": (
                f"+628{rng.randint(11, 59)}{rng.randint(1000000, 99999999)}"
                if not child and rng.random() < 0.5
                else ""
            ),
            "person_is_poor": rng.random() < 0.7,
            "person_has_disability": rng.random() < 0.06,
        }

    def case(self, group, need, opened, actor, officer):
        """Open one case and take it along the way its need usually goes."""
        rng = self.rng
        violence = need in VIOLENCE_NEEDS
        # A case of violence is recorded in full only with a handling officer and consent.
        consent = not violence or (officer is not None and rng.random() < 0.8)
        member, person = self.person(group, need, consent)
        case, _created = services.case_open(
            group=group,
            actor=actor,
            need=need,
            opened_on=opened,
            person_village=group.village,
            consent_given_on=opened if consent else None,
            consent_by=ConsentBy.GUARDIAN if need in CHILD_NEEDS else ConsentBy.PERSON,
            member=member,
            description=_DESCRIPTIONS[need],
            handlers=[officer] if violence and officer else [],
            **person,
        )
        if case.is_anonymous:
            return case
        if violence:
            self.violence_steps(case, opened, actor)
        else:
            self.service_steps(case, need, opened, actor)
        return case

    def violence_steps(self, case, opened, actor):
        """Accompanied to the police, referred to the UPTD PPA, followed up; some closed as
        handed over, one in seven with consent later withdrawn."""
        rng, limit = self.rng, self.limit
        day = _later(rng, opened, 1, 10, limit)
        services.case_accompany(case, actor=actor, occurred_on=day, service=Service.POLICE)
        day = _later(rng, day, 1, 5, limit)
        services.case_refer(
            case,
            actor=actor,
            occurred_on=day,
            service=Service.UPTD_PPA,
            contact=_CONTACTS[Service.UPTD_PPA],
            follow_up_on=day + datetime.timedelta(days=rng.randint(14, 45)),
            note="Korban diterima untuk konseling dan pendampingan hukum.",
        )
        if rng.random() < 0.6:
            day = _later(rng, day, 14, 40, limit)
            services.case_follow_up(
                case,
                actor=actor,
                occurred_on=day,
                note="Korban dan keluarga sudah dihubungi; pendampingan berlanjut.",
                next_follow_up_on=day + datetime.timedelta(days=rng.randint(20, 60)),
            )
        draw = rng.random()
        if draw < 0.4:
            services.case_close(
                case,
                actor=actor,
                occurred_on=_later(rng, day, 5, 30, limit),
                outcome=Outcome.REFERRED,
            )
        elif draw > 0.85:
            services.case_withdraw_consent(case, actor=actor, occurred_on=limit)

    def service_steps(self, case, need, opened, actor):
        """Accompanied and submitted to the service; then waiting with a follow-up, obtained
        or refused, and mostly closed."""
        rng, limit = self.rng, self.limit
        service = SERVICE_OF[need]
        day = _later(rng, opened, 1, 10, limit)
        services.case_accompany(case, actor=actor, occurred_on=day, service=service)
        day = _later(rng, day, 0, 7, limit)
        services.case_submit(case, actor=actor, occurred_on=day, service=service)
        draw = rng.random()
        if draw < 0.2:
            day = _later(rng, day, 0, 3, limit)
            services.case_refer(
                case,
                actor=actor,
                occurred_on=day,
                service=service,
                contact=_CONTACTS.get(service, "Kantor desa"),
                follow_up_on=day + datetime.timedelta(days=rng.randint(10, 40)),
            )
            return
        day = _later(rng, day, 7, 60, limit)
        if draw < 0.85:
            services.case_obtain(case, actor=actor, occurred_on=day, service=service)
        else:
            services.case_refuse(
                case,
                actor=actor,
                occurred_on=day,
                service=service,
                reason="Data belum ada di DTKS; diminta mengurus lewat musyawarah desa.",
            )
        if rng.random() < 0.75:
            services.case_close(case, actor=actor, occurred_on=_later(rng, day, 0, 14, limit))
