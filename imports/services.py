"""Writes of imports: the preview of an uploaded file (``import_job_preview``), the
uploader's choices for ambiguous rows (``import_row_resolve``) and the confirmed import
(``import_job_confirm``), one transaction for all rows."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from simple_history.utils import bulk_create_with_history

from aspirations.models import Topic
from groups.models import ConstituentGroup, Regency, Village
from imports import (
    activities,
    aspirations,
    attendance,
    budget_access,
    cases,
    public_roles,
    reses_meetings,
)
from imports import members as kind
from imports.errors import ImportChanged
from imports.models import ImportJob, ImportRow
from imports.readers import FileRefused, count_csv_rows, open_table
from kk_portal.permissions import writable
from members.models import Member
from members.text import fold_name

#: Rows read, matched and written at once: three queries and one insert per chunk.
CHUNK = 1000


def import_groups(user, job):
    """The groups ``user`` may import ``job``'s rows into: the groups they write for
    (``writable(user, "change", ConstituentGroup)``) in the job's group or regency."""
    groups = writable(user, "change", ConstituentGroup).filter(
        village__subdistrict__regency=job.regency_id
    )
    if job.group_id:
        groups = groups.filter(pk=job.group_id)
    return list(groups.values_list("pk", "name"))


def _targets(user, job):
    groups = import_groups(user, job)
    by_name = {}
    for pk, name in groups:
        by_name.setdefault(fold_name(name), []).append(pk)
    return [pk for pk, _name in groups], (job.group_id, by_name)


def _chunks(items):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_job_preview(job):
    """Read ``job``'s file and store what each row would do as ``ImportRow`` rows (create,
    update, unchanged, error, ambiguous), with the counts and the progress on the job;
    nothing else is written. A file that cannot be read leaves the job ``REFUSED`` with
    the reason, and is deleted. Run again (a retried task), it starts over."""
    with override(job.language):
        ImportRow.objects.filter(job=job).delete()
        group_ids, targets = _targets(job.created_by, job)
        matcher = kind.Matcher(group_ids)
        module = {
            ImportJob.Kind.ATTENDANCE: attendance,
            ImportJob.Kind.RESES_ATTENDANCE: attendance,
            ImportJob.Kind.ASPIRATIONS: aspirations,
            ImportJob.Kind.RESES_MEETINGS: reses_meetings,
            ImportJob.Kind.PUBLIC_ROLES: public_roles,
            ImportJob.Kind.ACTIVITIES: activities,
            ImportJob.Kind.BUDGET_ACCESS: budget_access,
            ImportJob.Kind.CASES: cases,
        }
        module = module.get(job.kind, kind)
        state = None
        if module is attendance:
            state = attendance.Preview(job)
        elif module is aspirations:
            state = aspirations.Preview(job, (group_ids, targets))
        elif module is reses_meetings:
            state = reses_meetings.Preview(job, group_ids)
        elif module is public_roles:
            state = public_roles.Preview(job, group_ids, targets)
        elif module in (activities, budget_access):
            state = module.Preview(job, (group_ids, targets))
        elif module is cases:
            state = cases.Preview(job, group_ids)
        counts = dict.fromkeys(ImportRow.Action.values, 0)
        with job.file.open("rb") as handle:
            total = count_csv_rows(handle) if job.file_name.lower().endswith(".csv") else 0
            try:
                # A kind whose export writes its own sheet title names it in SHEET_ALIASES.
                table = open_table(
                    handle,
                    name=job.file_name,
                    sheet=module.SHEET,
                    columns=module.HEADERS,
                    sheet_aliases=getattr(module, "SHEET_ALIASES", ()),
                )
                total = max(table.total, total - table.header_number)
                ImportJob.objects.filter(pk=job.pk).update(
                    total=total, done=0, ignored_columns=table.ignored
                )
                context = {"date_format": job.date_format, "epoch": table.epoch}
                done = 0
                for chunk in _chunks(table.rows()):
                    if state is not None:
                        rows = state.chunk(chunk, headers=_headers(table), context=context)
                    else:
                        parsed = [
                            (
                                number,
                                *kind.parse_row(
                                    record,
                                    headers=_headers(table),
                                    context=context,
                                    groups=targets,
                                ),
                            )
                            for number, record in chunk
                        ]
                        rows = _preview_chunk(matcher, parsed, job, dict(chunk), _headers(table))
                    ImportRow.objects.bulk_create(rows)
                    for row in rows:
                        counts[row.action] += 1
                    done += len(chunk)
                    total = max(total, done)
                    ImportJob.objects.filter(pk=job.pk).update(done=done, total=total)
            except FileRefused as refusal:
                refused = str(refusal)
            else:
                refused = None
        if refused is not None:
            ImportRow.objects.filter(job=job).delete()
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.REFUSED, message=refused, done=0, total=0
            )
            _discard_upload(job)
            return
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.PREVIEWED,
            done=done,
            total=done,
            created=counts["create"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
            errors=counts["error"],
            ambiguous=counts["ambiguous"],
            message=""
            if done
            else _("The file has a header row but no data rows; 0 rows imported."),
        )
        if job.kind == ImportJob.Kind.CASES:
            # Casework: the file is not kept once its rows are read (the confirm reads rows).
            _discard_upload(job)


def _headers(table):
    return {key: table.headers[index] for index, key in table.columns.items()}


def _preview_chunk(matcher, parsed, job, records, headers):
    """The rows of one chunk; ``records`` are the chunk's cells by row number, so that an
    error quotes the cell as typed rather than the value it was read as."""
    matcher.load([(n, values, e) for n, values, e in parsed])

    def decide(row):
        record = records[row.number]
        earlier = matcher.repeated(row.number, row.values)
        if earlier is not None:
            row.errors.append(
                kind.error(
                    headers,
                    kind.BY_KEY,
                    "full_name",
                    record.get("full_name"),
                    _("The same person as row %(row)d.") % {"row": earlier},
                )
            )
        else:
            _decide(row, matcher, record, headers)

    return ImportRow.of_chunk(job, parsed, decide)


def _decide(row, matcher, record, headers):
    """Set ``row``'s action, member, candidates and changes from the match of its values;
    an error quotes the cell of ``record`` (``{key: cell}``) as typed (the jabatan cell
    "Ketua", not the code ``chair`` it was read as)."""
    values = row.values
    action, member, candidates, row.matched_by, errors = matcher.match(values)
    fields = kind.from_json(values)
    if action == "match":
        errors = errors + kind.check_fields(member, fields)
        row.member = member
        row.changes = kind.changes(member, fields)
        row.action = ImportRow.Action.UPDATE if row.changes else ImportRow.Action.UNCHANGED
    elif action == "ambiguous":
        row.action = ImportRow.Action.AMBIGUOUS
        row.candidates = [kind.candidate(m) for m in candidates]
    elif action == "create":
        errors = errors + kind.check_fields(None, fields)
        row.action = ImportRow.Action.CREATE
    for key, message in errors:
        row.errors.append(kind.error(headers, kind.BY_KEY, key, record.get(key), message))


def import_rows_shown(job, rows):
    """Set ``row.shown`` on each of ``rows`` (one page of ``job``'s preview): ``[(label,
    text)]`` of what a row to create writes, or of what a row to choose would write as a
    new member, in the active language (names of groups, villages and topics looked up
    once for the page). Other rows show their ``changes`` or their errors: ``[]``."""
    rows = list(rows)
    shown = [r for r in rows if r.action in (ImportRow.Action.CREATE, ImportRow.Action.AMBIGUOUS)]
    for row in rows:
        row.shown = []
    if job.kind == ImportJob.Kind.ASPIRATIONS:
        names = {
            "groups": _names(ConstituentGroup, shown, "group_id"),
            "villages": _names(Village, shown, "village_id"),
            "topics": _names(Topic, shown, "topic_id"),
        }
        for row in shown:
            row.shown = aspirations.written(row.values, names)
    elif job.kind == ImportJob.Kind.CASES:
        for row in shown:
            row.shown = cases.written(row.values)
    elif job.kind in (ImportJob.Kind.MEMBERS, ImportJob.Kind.ATTENDANCE):
        groups = _names(ConstituentGroup, shown, "group_id")
        for row in shown:
            row.shown = kind.written(row.values, groups)
    elif job.kind == ImportJob.Kind.PUBLIC_ROLES:
        for row in shown:
            row.shown = public_roles.written(row.values)
    return rows


def _names(model, rows, key):
    ids = {row.values.get(key) for row in rows} - {None}
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def import_row_resolve(row, *, choice):
    """Record the uploader's ``choice`` for the ambiguous ``row``: a candidate's id (as
    text), ``"new"`` (a new member) or ``"skip"``. Raises ``ValidationError`` for another
    value, ``"new"`` without a sex, or ``"new"`` for public roles (they never create a
    member)."""
    allowed = {str(c["id"]) for c in row.candidates} | {"new", "skip"}
    if row.job.kind == ImportJob.Kind.PUBLIC_ROLES:
        allowed.discard("new")
    if choice not in allowed:
        raise ValidationError(_("Choose one of the members offered, a new member or skip."))
    if choice == "new" and not row.values.get("sex"):
        # A new member, or for attendance a guest: both need their sex.
        raise ValidationError(_("The sex is required for a new member."))
    row.resolution = choice
    row.save(update_fields=["resolution"])
    return row


def unresolved(job):
    """The ambiguous rows of ``job`` still without a choice (a QuerySet)."""
    return job.rows.filter(action=ImportRow.Action.AMBIGUOUS, resolution="")


def import_job_confirm(job_id):
    """Write the previewed rows of the job ``job_id`` in one transaction: all rows or none.

    The regency's row is locked first, so confirms into one regency run one after the
    other, and each row is matched again inside the lock: a file imported twice, or twice
    at once, creates each member once (the second time its rows are unchanged). New
    members are created with the consent date of the import (the uploader confirmed the
    members' consent at upload) and their history. Once written, the uploaded file and
    the preview's rows (personal data) are deleted; the job keeps its counts. Returns the
    job; a row that no longer does what the preview showed leaves everything unwritten and
    the job ``REFUSED`` with the row named (a refused import of cases loses its rows too).
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with override(job.language):
        try:
            counts = _confirm(job)
        except ImportChanged as change:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.REFUSED,
                message=_("%(reason)s; 0 rows imported. Upload the file again for a new preview.")
                % {"reason": change},
            )
            if job.kind == ImportJob.Kind.CASES:
                # Casework is not kept in a refused import: it is uploaded again to retry.
                ImportRow.objects.filter(job=job).delete()
        else:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.DONE, finished_at=timezone.now(), **counts
            )
            # Written: the file and the preview's copies of its personal data are not kept.
            ImportRow.objects.filter(job=job).delete()
            _discard_upload(job)
    job.refresh_from_db()
    return job


def _discard_upload(job):
    """Delete ``job``'s uploaded file (it holds personal data) once it is written or
    refused; the job keeps its name and counts."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _confirm(job):
    user = job.created_by
    today = timezone.localdate()
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    with transaction.atomic():
        Regency.objects.select_for_update().get(pk=job.regency_id)
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportJob.Status.IMPORTING:
            raise ImportChanged(_("This import is not waiting to be written"))
        if job.rows.filter(action=ImportRow.Action.ERROR).exists() or unresolved(job).exists():
            raise ImportChanged(_("The preview still has errors or rows to choose"))
        if job.kind in attendance.LISTS:
            return attendance.confirm(job)
        if job.kind == ImportJob.Kind.ASPIRATIONS:
            return aspirations.confirm(job, _targets(user, job))
        if job.kind == ImportJob.Kind.RESES_MEETINGS:
            return reses_meetings.confirm(job, [pk for pk, _name in import_groups(user, job)])
        if job.kind == ImportJob.Kind.PUBLIC_ROLES:
            return public_roles.confirm(job, [pk for pk, _name in import_groups(user, job)])
        if job.kind == ImportJob.Kind.ACTIVITIES:
            return activities.confirm(job, _targets(user, job))
        if job.kind == ImportJob.Kind.BUDGET_ACCESS:
            return budget_access.confirm(job, _targets(user, job))
        if job.kind == ImportJob.Kind.CASES:
            return cases.confirm(job, [pk for pk, _name in import_groups(user, job)])
        group_ids = [pk for pk, _name in import_groups(user, job)]
        matcher = kind.Matcher(group_ids)
        for chunk in _chunks(job.rows.order_by("number").iterator(chunk_size=CHUNK)):
            matcher.load([(row.number, row.values, []) for row in chunk])
            new = []
            for row in chunk:
                outcome = _confirm_row(row, matcher, group_ids)
                if isinstance(outcome, Member):
                    outcome.created_by, outcome.consent_given_on = user, today
                    new.append(outcome)
                else:
                    counts[outcome] += 1
            if new:
                bulk_create_with_history(new, Member, batch_size=CHUNK, default_user=user)
                counts["created"] += len(new)
    return counts


def _confirm_row(row, matcher, group_ids):
    """A new unsaved ``Member``, or ``"updated"``, ``"unchanged"`` or ``"skipped"`` (after
    saving an update) for one previewed ``row``; raises ``ImportChanged``."""
    fields = kind.from_json(row.values)
    if row.resolution == "skip":
        return "skipped"
    if row.resolution == "new":
        return _new_member(row, fields, matcher)
    if row.resolution:
        member = Member.objects.filter(pk=int(row.resolution), group_id__in=group_ids).first()
        if member is None:
            raise ImportChanged(_("Row %(row)d: the chosen member is gone") % {"row": row.number})
    else:
        action, member, _c, _by, errors = matcher.match(row.values)
        if action == "create":
            return _new_member(row, fields, matcher)
        if action != "match" or errors:
            raise ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
    if kind.check_fields(member, fields):
        raise ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
    if not kind.changes(member, fields):
        return "unchanged"
    for key, value in fields.items():
        setattr(member, key, value)
    member._history_user = row.job.created_by
    member.save()
    return "updated"


def _new_member(row, fields, matcher):
    """The unsaved ``Member`` of ``row`` (``bulk_create_with_history`` skips ``save``, so
    the folded name is set here); a NIK registered since the preview raises
    ``ImportChanged``."""
    if fields.get("nik") in matcher.by_nik:
        raise ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
    member = Member(group_id=row.values["group_id"], **fields)
    member.name_folded = fold_name(member.full_name)
    return member


def import_job_delete(job, *, user):
    """Delete ``job`` with its preview rows and its stored file, when ``user`` may
    (``write_rules["delete"]``: the uploader or an administrator, and the job wrote nothing,
    ``models.NEVER_WRITTEN``). The job's row is locked first, so a confirm started meanwhile
    keeps it. Returns ``True`` when deleted, ``False`` when it may not be (written, running,
    or another user's)."""
    with transaction.atomic():
        locked = writable(user, "delete", ImportJob).select_for_update().filter(pk=job.pk).first()
        if locked is None:
            return False
        ImportRow.objects.filter(job=locked).delete()
        stored = locked.file
        locked.delete()
        if stored:
            # The file goes once the deletion is committed, never while it may roll back.
            transaction.on_commit(lambda: stored.storage.delete(stored.name))
    return True


def import_job_fail(job_id, *, step):
    """Mark the job ``job_id`` failed after every run of ``step`` (``ImportJob.Step``) raised,
    with a message in the uploader's language; a confirm writes in one transaction, so a
    failed one wrote nothing. Called by the tasks' ``on_final_failure``."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:  # deleted meanwhile: nothing to mark
        return
    with override(job.language):
        if step == ImportJob.Step.PREVIEW:
            message = _("The file could not be read because of a fault on our side.")
        else:
            message = _("The import failed because of a fault on our side; 0 rows imported.")
        message = f"{message} {_('Try again; if it fails again, tell an administrator.')}"
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, failed_step=step, message=message
    )


def import_job_retry(job):
    """Run the failed step of the failed ``job`` again, once: ``True`` when this call moved
    it back to reading the file or importing (the caller then queues the step's task)."""
    status = {
        ImportJob.Step.PREVIEW: ImportJob.Status.PREVIEWING,
        ImportJob.Step.CONFIRM: ImportJob.Status.IMPORTING,
    }.get(job.failed_step)
    if status is None:
        return False
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
            status=status, failed_step="", message="", done=0
        )
    )


def import_job_start(job):
    """Mark the previewed ``job`` as importing, once: ``True`` when this call did (a second
    tap on "Import" finds it importing already and returns ``False``)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED, errors=0).update(
            status=ImportJob.Status.IMPORTING, done=0
        )
    )
