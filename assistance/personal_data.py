"""What the portal holds about a person helped who is not a member, gathered for her copy
(UU PDP 27/2022 art. 7), in the shape of a member's copy (``members/personal_data.py``).

A person entered for a case (``AssistanceCase.person_name``) has no row of her own: what is
held about her is that case. So her copy is the copy of one case: her details as entered,
the case, its steps, its documents (described, not included) and the dates of the edits.
People share names, so cases are never joined by name: a person helped in two cases gets
the copy of each. A member's cases are in her member's copy instead.
"""

from django.utils import timezone

from members.personal_data import fields_of, json_value

#: The person's fields of a case, in the copy's ``person``.
PERSON_FIELDS = (
    "person_name",
    "person_sex",
    "person_age_group",
    "person_phone",
    "person_is_poor",
    "person_has_disability",
)
#: The case's own fields, as in a member's copy (``assistance_cases``), then the dates.
CASE_FIELDS = (
    "kind",
    "need",
    "confidential",
    "description",
    "status",
    "outcome",
    "opened_on",
    "closed_on",
    "follow_up_on",
    "consent_given_on",
    "consent_by",
    "created_at",
)
#: A step's fields. The contact at the service is left out: it is the data of another
#: person (the service's worker), not of the person helped.
STEP_FIELDS = ("kind", "occurred_on", "service", "follow_up_on", "outcome", "note")


def case_held(case):
    """The rows held about the person of ``case``, ``{name: QuerySet}``: ``steps`` (oldest
    first), ``documents`` (with their step) and ``history`` (the case's edit history)."""
    return {
        "steps": case.steps.order_by("occurred_on", "pk"),
        "documents": case.documents.order_by("uploaded_at", "pk"),
        "history": case.history.order_by("history_date", "history_id"),
    }


def case_person_data(case, held=None):
    """Everything held about the person helped in ``case`` (not a member, not anonymous),
    as a JSON-ready ``dict``:

    ``generated_at`` (UTC, ISO 8601); ``person`` (her details as entered: name, sex, age
    group, phone, poverty, disability, with ``_label`` beside the choices, and her village
    as ``person_village`` and ``person_village_name``); ``assistance_cases`` (this case,
    with the keys of a member's copy, its ``steps`` and ``documents``: id, file name, type,
    size in bytes, when uploaded); ``edit_history`` (the dates and kinds, ``+`` created,
    ``~`` changed, of the changes to the case; the old values are not repeated). The rows
    are those of ``held`` (``case_held``, made when not given); dates are ISO 8601 text.
    """
    held = held or case_held(case)
    person = fields_of(case, PERSON_FIELDS)
    person["person_village"] = case.person_village_id
    person["person_village_name"] = str(case.person_village)
    return {
        "generated_at": timezone.now().isoformat(),
        "person": person,
        "assistance_cases": [
            {
                "id": case.pk,
                "group_name": str(case.group),
                **fields_of(case, CASE_FIELDS),
                "steps": [
                    {"id": step.pk, **fields_of(step, STEP_FIELDS)} for step in held["steps"]
                ],
                "documents": [
                    {
                        "id": document.pk,
                        "file_name": document.original_name,
                        "content_type": document.content_type,
                        "size": document.size,
                        "uploaded_at": json_value(document.uploaded_at),
                    }
                    for document in held["documents"]
                ],
            }
        ],
        "edit_history": [
            {"date": json_value(record.history_date), "type": record.history_type}
            for record in held["history"]
        ],
    }
