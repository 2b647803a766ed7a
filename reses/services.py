"""Write functions and read helpers for reses agendas and attendance lists.

The representative's responses change aspirations only through the pipeline's one function,
``aspirations.services.aspiration_record_response`` (DESIGN.md, "The aspiration's way").
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aspirations import services as aspiration_services
from aspirations.models import Aspiration, Beneficiary, benefiting_q
from groups.models import ConstituentGroup, Village
from kk_portal.zones import local_date
from members.text import clean_name, fold_name
from reses.models import AgendaItem, DistrictVillage, ResesAttendance, district_village_ids


def meeting_local_date(meeting):
    """The meeting's calendar day in its regency's zone (WITA or WIT), a ``date``."""
    return local_date(meeting.starts_at, meeting)


def reses_attendance_groups(meeting):
    """The ids (a set) of the groups whose members may be listed at ``meeting``: the groups
    of its village and its organising group (DESIGN.md: a meeting is "in their village or
    organised with their group")."""
    ids = set(
        ConstituentGroup.objects.filter(village=meeting.village_id).values_list("pk", flat=True)
    )
    if meeting.organising_group_id:
        ids.add(meeting.organising_group_id)
    return ids


def _check_started(meeting):
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))


def reses_attendance_add_members(meeting, *, members, recorded_by=None):
    """List ``members`` (of the groups of ``reses_attendance_groups``) as present at
    ``meeting``; members already listed are skipped, so a repeated import adds nobody
    twice. Sex, poverty and disability are copied from each member. Returns the number
    added. Raises ``ValidationError`` for a meeting that has not started yet or a member
    of another group."""
    _check_started(meeting)
    allowed = reses_attendance_groups(meeting)
    if any(member.group_id not in allowed for member in members):
        raise ValidationError(
            _(
                "Only members of the groups of the meeting's village or of its organising "
                "group can be listed."
            )
        )
    with transaction.atomic():
        listed = set(meeting.attendees.values_list("member", flat=True))
        new = [
            ResesAttendance(
                meeting=meeting,
                member=member,
                sex=member.sex,
                is_poor=member.is_poor,
                has_disability=member.has_disability,
                recorded_by=recorded_by,
            )
            for member in members
            if member.pk not in listed
        ]
        ResesAttendance.objects.bulk_create(new)
    return len(new)


def reses_attendance_add_guest(
    meeting, *, full_name, sex, is_poor=False, has_disability=False, recorded_by=None
):
    """List a guest (not a member) as present at ``meeting``. Returns the
    ``ResesAttendance``; raises ``ValidationError`` for a meeting not started yet, an empty
    name, or a guest of the same name (``members.text.fold_name``) already listed."""
    _check_started(meeting)
    name = clean_name(full_name)
    if not fold_name(name):
        raise ValidationError(_("Write the person's name."))
    try:
        with transaction.atomic():
            return ResesAttendance.objects.create(
                meeting=meeting,
                full_name=name,
                sex=sex,
                is_poor=is_poor,
                has_disability=has_disability,
                recorded_by=recorded_by,
            )
    except IntegrityError:
        raise ValidationError(_("This person is already on the attendance list.")) from None


def reses_attendance_read_by(meeting, user):
    """``(rows, counts)`` of the people listed at ``meeting`` as ``user`` reads them: the
    rows (by name, with their members) when ``user``'s role may see names
    (``ResesAttendance.objects.visible_to``), else ``None``; and the counts of the list
    (``ResesAttendanceQuerySet.counts``), which every reader of the meeting sees: aggregates
    are no personal data."""
    listed = ResesAttendance.objects.filter(meeting=meeting)
    rows = None
    if listed.scope_q(user) is not None:
        rows = list(listed.visible_to(user).select_related("member__group").by_name())
    return rows, listed.counts()


def with_days_waiting(aspirations, today=None):
    """Set ``days_waiting`` (whole days since ``raised_on``) on each aspiration; returns a list."""
    today = today or timezone.localdate()
    rows = list(aspirations)
    for aspiration in rows:
        aspiration.days_waiting = (today - aspiration.raised_on).days
    return rows


def agenda_candidates(meeting, user):
    """Open aspirations ``user`` may see that concern a village of the district of the
    meeting's representative, were raised on or before the meeting's local date
    (``meeting_local_date``: a meeting cannot discuss what was not yet raised, and its
    response cannot be dated before the aspiration) and are not yet on its agenda.

    Ordered by subdistrict, village, topic and age, for grouping by village and topic.
    """
    return (
        Aspiration.objects.visible_to(user)
        .open()
        .filter(
            village__in=district_village_ids(meeting.representative_id),
            raised_on__lte=meeting_local_date(meeting),
        )
        .exclude(agenda_items__meeting=meeting)
        .select_related("village__subdistrict", "topic", "urusan")
        # Groups fetched for the page's rows only: joined, all 20,000 groups were hashed
        # before the sort (bench/RESULTS.md).
        .prefetch_related("group")
        .order_by(
            "village__subdistrict__name",
            "village__name",
            "topic__order",
            "topic__name",
            "raised_on",
            "pk",
        )
    )


def candidate_villages(candidates):
    """The villages of ``candidates`` (``agenda_candidates``, maybe narrowed by topic) with
    how many candidates each has, folded by subdistrict: what the agenda builder shows of
    a district with more candidates than one page (852 villages in the largest).

    Returns a list of dicts, one per subdistrict with candidates, in the order of
    ``agenda_candidates`` (subdistrict name, then village name): ``name`` (the
    subdistrict's), ``total`` (its candidates) and ``villages``, a list of dicts ``pk``,
    ``name`` and ``count``; villages without candidates are left out. Two queries however
    many villages and candidates: the counts by village id (joining each of 15,000
    candidates to its village and subdistrict for their names doubled the time at
    national scale, bench/RESULTS.md), then those villages' names.
    """
    counts = dict(
        candidates.select_related(None)
        .prefetch_related(None)
        .order_by()
        .values_list("village")
        .annotate(count=Count("pk"))
    )
    villages = sorted(
        Village.objects.filter(pk__in=counts).select_related("subdistrict"),
        key=lambda v: (v.subdistrict.name, v.subdistrict_id, v.name, v.pk),
    )
    folded = {}
    for village in villages:
        subdistrict = folded.setdefault(
            village.subdistrict_id, {"name": village.subdistrict.name, "total": 0, "villages": []}
        )
        subdistrict["total"] += counts[village.pk]
        subdistrict["villages"].append(
            {"pk": village.pk, "name": village.name, "count": counts[village.pk]}
        )
    return list(folded.values())


def agenda_items(meeting, *, accepted=None):
    """The meeting's agenda items with their aspirations, in the staff's order."""
    items = meeting.agenda_items.select_related(
        "aspiration__village__subdistrict",
        "aspiration__topic",
        "aspiration__urusan",
        "aspiration__group",
    ).order_by("order", "pk")
    if accepted is not None:
        items = items.filter(accepted=accepted)
    return items


def agenda_items_read_by(meeting, user, *, accepted=None, today=None):
    """The meeting's agenda items as ``user`` may read them, a list in the staff's order.

    Each item gets ``in_full``: ``True`` when ``user`` may see its aspiration
    (``Aspiration.objects.visible_to``), and then also ``days_waiting`` on the aspiration
    (``with_days_waiting``). An item whose aspiration ``user`` may not see shows only what is
    read out at the meeting: its title, village, topic and the response; pages and the
    agenda pack must not show its group, beneficiaries, description, urusan, age or a link to
    it (DESIGN.md, "Who may see what": an officer sees other groups' items on a meeting of
    their village, not the items themselves). A proposal still awaiting staff is left out
    for such a user: it is not on the agenda yet. Two queries for any number of items.
    """
    items = list(agenda_items(meeting, accepted=accepted))
    visible = set(
        Aspiration.objects.visible_to(user)
        .filter(agenda_items__meeting=meeting)
        .values_list("pk", flat=True)
    )
    rows = []
    for item in items:
        item.in_full = item.aspiration_id in visible
        if item.in_full or item.accepted:
            rows.append(item)
    with_days_waiting([item.aspiration for item in rows if item.in_full], today)
    return rows


def check_agenda(meeting, aspirations):
    """Raise ``ValidationError`` (a list of messages) unless every aspiration in the list
    ``aspirations`` may be on the meeting's agenda: it concerns a village of the district of
    the meeting's representative (``AgendaItem.check_in_district``) and was raised on or
    before the meeting's local date (``meeting_local_date``)."""
    AgendaItem.check_in_district(meeting, aspirations)
    day = meeting_local_date(meeting)
    later = [aspiration for aspiration in aspirations if aspiration.raised_on > day]
    if later:
        raise ValidationError(
            [
                _("“%(title)s” was raised after the meeting; it cannot be on its agenda.")
                % {"title": aspiration.title}
                for aspiration in later
            ]
        )


def agenda_add(meeting, aspirations, *, proposed_by_group=False):
    """Put ``aspirations`` on the meeting's agenda after the items already there.

    Items proposed by a group wait for staff to accept them (``accepted=False``). An aspiration
    already on the agenda is skipped. Raises ``ValidationError`` (nothing written) if one
    concerns a village outside the representative's district or was raised after the
    meeting's local date (see ``agenda_candidates``). Returns the new items.
    """
    aspirations = list(aspirations)
    check_agenda(meeting, aspirations)
    with transaction.atomic():
        present = set(meeting.agenda_items.values_list("aspiration_id", flat=True))
        last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
        items = []
        for aspiration in aspirations:
            if aspiration.pk in present:
                continue
            last += 1
            present.add(aspiration.pk)
            items.append(
                AgendaItem(
                    meeting=meeting,
                    aspiration=aspiration,
                    order=last,
                    proposed_by_group=proposed_by_group,
                    accepted=not proposed_by_group,
                )
            )
        return AgendaItem.objects.bulk_create(items)


def agenda_item_respond(item, *, response, note, actor):
    """Record the representative's ``response`` (an ``AgendaItem.Response`` value) to one item.

    Writes the event on the aspiration's timeline through the pipeline's function, dated the
    meeting's local day, and keeps the response on the item. Raises ``ValidationError`` if the
    item already has a response, the meeting has not started yet, or the pipeline refuses.
    """
    if item.response:
        raise ValidationError(_("A response to this item is already recorded."))
    meeting = item.meeting
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Responses can be recorded once the meeting has taken place."))
    with transaction.atomic():
        aspiration_services.aspiration_record_response(
            item.aspiration,
            response=response,
            actor=actor,
            occurred_on=meeting_local_date(meeting),
            reses_meeting=meeting,
            note=note,
        )
        item.response = response
        item.response_note = note
        item.save(update_fields=["response", "response_note"])


def village_profiles(meeting, user):
    """A short profile of the open aspirations of each village on the agenda.

    Returns a list of dicts, one per village and topic, ordered by village: ``village``
    (name), ``subdistrict``, ``topic``, ``total`` and the counts benefiting ``women``,
    ``poor`` and ``disability`` (``aspirations.models.benefiting_q``). Counts only
    aspirations ``user`` may see.
    """
    villages = meeting.agenda_items.filter(accepted=True).values("aspiration__village")
    return list(
        Aspiration.objects.visible_to(user)
        .open()
        .filter(village__in=villages)
        .values("village__name", "village__subdistrict__name", "topic__name")
        .annotate(
            total=Count("pk"),
            women=Count("pk", filter=benefiting_q(Beneficiary.WOMEN)),
            poor=Count("pk", filter=benefiting_q(Beneficiary.POOR)),
            disability=Count("pk", filter=benefiting_q(Beneficiary.DISABILITY)),
        )
        .order_by("village__subdistrict__name", "village__name", "topic__name")
    )


def district_add_villages(district, codes):
    """Add every village of the regencies and subdistricts named by ``codes`` to ``district``.

    ``codes`` are Kemendagri codes (``"81.71"`` a regency, ``"81.71.02"`` a subdistrict,
    ``"81.71.02.2003"`` one village); this is how an administrator builds a DPRD provinsi or
    DPR RI district. Villages already in the district are kept once. Raises
    ``ValidationError`` naming the codes that match nothing (nothing written). Returns the
    number of villages added.
    """
    villages = Village.objects.none()
    unknown = []
    for code in codes:
        parts = code.count(".")
        lookup = {1: "subdistrict__regency__code", 2: "subdistrict__code", 3: "code"}.get(parts)
        matched = Village.objects.filter(**{lookup: code}) if lookup else Village.objects.none()
        if not matched.exists():
            unknown.append(code)
        villages = villages | matched
    if unknown:
        raise ValidationError(
            _("No villages found for these codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    present = DistrictVillage.objects.filter(district=district).values("village")
    new_ids = villages.exclude(pk__in=present).values_list("pk", flat=True)
    rows = [DistrictVillage(district=district, village_id=pk) for pk in new_ids.iterator()]
    DistrictVillage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
