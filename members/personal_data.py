"""What the portal holds about one member, gathered for her copy (UU PDP 27/2022 art. 7).

``member_personal_data`` builds one dictionary, written out as JSON by the member's data
view and drawn as an A4 PDF by ``members/pdf.py``. Attendance and cases of assistance belong
to apps above this one: they are reached through the member's reverse relations
(``member.attendance``, ``member.reses_attendance``, ``member.assistance_cases``) and each
narrowed with ``visible_to``,
so the copy holds only what the requesting user may see.
"""

from django.utils import timezone

#: Fields of ``Member`` left out of the copy: derived for search or for double taps.
INTERNAL_FIELDS = ("name_folded", "submission_token")


def json_value(value):
    """A JSON-ready value: dates and times as ISO 8601 text, the rest unchanged."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def fields_of(obj, fields):
    """``{field: value}`` of ``obj`` for the model fields named in ``fields``, with each
    field with choices followed by ``<field>_label``, its label in the active language.
    Shared with the copy of an assisted person's data (``assistance/personal_data.py``)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        data[name] = json_value(value)
        if field.choices and value not in (None, ""):
            data[f"{name}_label"] = str(getattr(obj, f"get_{name}_display")())
    return data


def member_fields(member):
    """``{field: value}`` of every stored field of ``member`` (``INTERNAL_FIELDS`` left out),
    the group and the account that recorded her as their ids with names beside them."""
    names = [
        field.name
        for field in member._meta.concrete_fields
        if field.name not in INTERNAL_FIELDS and not field.is_relation
    ]
    data = fields_of(member, names)
    data["group"] = member.group_id
    data["group_name"] = str(member.group)
    data["created_by"] = member.created_by_id
    return data


def member_held(member, user):
    """The rows held about ``member`` that ``user`` may see, ``{name: QuerySet}``:
    ``officer_terms``, ``public_roles``, ``attendance`` (activities she is listed at, with
    the activity and its host group), ``reses_attendance`` (reses meetings she is listed at,
    with the meeting's representative and village), ``cases`` (cases of assistance where
    she is the person helped, only those ``user`` sees: a confidential case appears to its
    handlers and the regency's facilitators) and ``history`` (the records of her row's edit
    history)."""
    return {
        "officer_terms": member.officer_terms.all().visible_to(user).order_by("started_on", "pk"),
        "public_roles": member.public_roles.all().visible_to(user).order_by("started_on", "pk"),
        "attendance": member.attendance.all()
        .visible_to(user)
        .select_related("activity__group")
        .order_by("activity__held_on", "pk"),
        "reses_attendance": member.reses_attendance.all()
        .visible_to(user)
        .select_related("meeting__representative", "meeting__village__subdistrict__regency")
        .order_by("meeting__starts_at", "pk"),
        "cases": member.assistance_cases.all().visible_to(user).order_by("opened_on", "pk"),
        "history": member.history.order_by("history_date", "history_id"),
    }


def member_personal_data(member, user, held=None):
    """Everything held about ``member`` that ``user`` may see, as a JSON-ready ``dict``:

    ``member`` (her row, ``member_fields``), ``officer_terms``, ``public_roles``,
    ``activity_attendance`` (the activities she is listed at), ``reses_attendance`` (the reses
    meetings she is listed at; the start in UTC), ``assistance_cases``,
    ``edit_history`` (the dates and kinds, ``+`` created, ``~`` changed, of the changes to her
    row; the old values are not repeated) and ``generated_at`` (UTC, ISO 8601). The rows are
    those of ``held`` (``member_held``, made when not given). Dates are ISO 8601 text.
    """
    held = held or member_held(member, user)
    terms, roles = held["officer_terms"], held["public_roles"]
    attendance, cases, history = held["attendance"], held["cases"], held["history"]
    return {
        "generated_at": timezone.now().isoformat(),
        "member": member_fields(member),
        "officer_terms": [
            {"id": term.pk, **fields_of(term, ("position", "started_on", "ended_on"))}
            for term in terms
        ],
        "public_roles": [
            {
                "id": role.pk,
                **fields_of(
                    role,
                    (
                        "kind",
                        "description",
                        "party",
                        "election_year",
                        "result",
                        "started_on",
                        "ended_on",
                    ),
                ),
            }
            for role in roles
        ],
        "activity_attendance": [
            {
                "activity": row.activity_id,
                "title": str(row.activity),
                "held_on": json_value(row.activity.held_on),
                "place": row.activity.place,
                "host_group": str(row.activity.group),
            }
            for row in attendance
        ],
        "reses_attendance": [
            {
                "meeting": row.meeting_id,
                "title": str(row.meeting),
                "starts_at": json_value(row.meeting.starts_at),
                "venue": row.meeting.venue,
                "representative": str(row.meeting.representative),
            }
            for row in held["reses_attendance"]
        ],
        "assistance_cases": [
            {
                "id": case.pk,
                **fields_of(
                    case,
                    (
                        "kind",
                        "need",
                        "confidential",
                        "description",
                        "status",
                        "outcome",
                        "opened_on",
                        "closed_on",
                        "consent_given_on",
                        "consent_by",
                    ),
                ),
            }
            for case in cases
        ],
        "edit_history": [
            {"date": json_value(record.history_date), "type": record.history_type}
            for record in history
        ],
    }
