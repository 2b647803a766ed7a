"""CSV and XLSX writers shared by every list and dashboard table.

Callers describe their columns once (``Column``) and pass rows they took from
``visible_to`` (the export is scoped exactly like the page, even for tampered ids). The writers
keep what spreadsheets break (``tests/kk_portal/test_exports.py``):

- ``CODE`` columns (NIK, phone numbers, RT/RW, region codes) are text: in XLSX string cells,
  so all 16 NIK digits and leading zeros survive; in CSV their exact characters.
- ``TEXT`` cells never become formulas: XLSX writes them as string cells; CSV prefixes a
  ``'`` to text that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  (OWASP "CSV injection").
- ``NUMBER`` and ``MONEY`` columns stay numbers (negative ones too); ``DATE`` columns are
  dates. A ``MONEY`` amount is written from its ``Decimal`` digits, never through a float: a
  number cell where Excel keeps every digit (15 significant digits, the precision of its
  doubles), else a text cell with the exact amount.
- Control characters (ESC, BEL, NUL …; tab and line breaks are kept) are dropped from every
  text cell: XML forbids them in XLSX, and no reader of a CSV wants them.
- Every XLSX sheet has column widths, a frozen header row and an autofilter; a last sheet
  ("About") says what was exported, with which filters, and when (with its zone).

XLSX is the default format (people open these files in Excel); CSV is UTF-8 with a BOM so
Excel reads the characters right.
"""

import csv
import datetime
import io
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from kk_portal import xlsx
from kk_portal.formats import format_time_in_zone, yes_no
from kk_portal.sorting import sort_rows

TEXT = "text"
CODE = "code"
NUMBER = "number"
MONEY = "money"
DATE = "date"

FORMATS = ("xlsx", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A code that is only digits, dots, slashes, dashes or spaces, optionally after one "+":
#: no spreadsheet reads that as a formula, so its characters are written exactly.
_PLAIN_CODE = re.compile(r"^\+?[0-9][0-9./ \-]*$")
#: C0 controls except tab, line feed and carriage return, and DEL: not allowed in XLSX's XML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Significant digits Excel keeps in a number cell (an IEEE 754 double, shown to 15 digits).
EXCEL_DIGITS = 15
#: Rows fetched from the database at a time by an export.
CHUNK = 2000
#: Rows of a CSV export written to the response at a time (about 40 KB of aspirations).
CSV_ROWS_PER_CHUNK = 200
#: The words of a flag, as ``kk_portal.formats.yes_no`` writes them.
_YES, _NO = _("yes"), _("no")
#: Column widths in characters by kind, when a column gives none.
_WIDTHS = {TEXT: 28, CODE: 18, NUMBER: 12, MONEY: 18, DATE: 12}


@dataclass(frozen=True)
class Column:
    """One exported column: its ``header``, how to get its ``value`` from a row (a callable
    or an attribute/key name) and its ``kind`` (``TEXT``, ``CODE``, ``NUMBER``, ``MONEY``,
    ``DATE``)."""

    header: str
    value: object
    kind: str = TEXT
    #: Width in characters of the XLSX column; ``None`` for the kind's default.
    width: int | None = None

    def getter(self):
        """``row -> value`` for one export, in the active language: a label helper
        (``choice_label``, ``flag_label``, ``text_or``) gives its function for that language,
        built once, so that 20,000 rows ask neither ``gettext`` nor the active language
        again for every cell."""
        value = self.value
        if callable(value):
            bind = getattr(value, "bind", None)
            return bind(get_language()) if bind else value

        def attribute(row):
            return row.get(value) if isinstance(row, dict) else getattr(row, value)

        return attribute


def _per_language(make):
    """A ``Column`` value from ``make()``, which returns ``row -> value`` with the labels of
    the language active when it is called. Called on a row, it looks the language up each
    time; ``bind(language)`` gives the function made for ``language`` (the active one),
    made once per language."""
    made = {}

    def bind(language):
        if language not in made:
            made[language] = make()
        return made[language]

    def value(row):
        return bind(get_language())(row)

    value.bind = bind
    return value


def choice_label(path, *, model=None):
    """A ``Column`` value: the label of a choice field of the row, in the active language.

    ``path`` names the field, through relations with dots (``"stage"``, ``"member.sex"``);
    with ``model`` the rows are dicts (``values()``) whose key ``path`` holds the field of
    ``model`` named by the path's last part (``choice_label("stage", model=Aspiration)``).
    The labels are looked up once per export and language, where ``get_FOO_display`` builds
    the choices and translates them again for every row (issue 14: 8.6 s of a 15.6 s XLSX
    export of 19,347 aspirations). A value outside the choices is returned as it is, as
    ``get_FOO_display`` does.
    """
    *through, name = path.split(".")

    def make():
        tables = {}

        def table_for(found_model):
            table = tables.get(found_model)
            if table is None:
                field = found_model._meta.get_field(name)
                table = tables[found_model] = {c: str(label) for c, label in field.flatchoices}
            return table

        if model is not None:
            table = table_for(model)
            return lambda row: table.get(row[path], row[path])

        def value(row):
            for step in through:
                row = getattr(row, step)
            raw = getattr(row, name)
            return table_for(type(row)).get(raw, raw)

        return value

    return _per_language(make)


def flag_label(key):
    """A ``Column`` value: "yes" or "no" (``yes_no``) for the flag ``key`` of a row (a dict
    key or an attribute), translated once per export and language."""

    def make():
        yes, no = str(_YES), str(_NO)

        def value(row):
            flag = row[key] if isinstance(row, dict) else getattr(row, key)
            return yes if flag else no

        return value

    return _per_language(make)


def text_or(key, fallback):
    """A ``Column`` value: the row's ``key`` (dict key or attribute), or the lazily translated
    ``fallback`` (such as ``NOT_FILLED``) when it is empty, translated once per export and
    language."""

    def make():
        shown = str(fallback)

        def value(row):
            found = row[key] if isinstance(row, dict) else getattr(row, key)
            return found if found not in (None, "") else shown

        return value

    return _per_language(make)


def clean_text(text):
    """``text`` without control characters: ``"Jalan\x1b rusak\x07"`` gives ``"Jalan rusak"``;
    tabs and line breaks stay."""
    return _CONTROL.sub("", text)


def neutralise(text):
    """``text`` as it may stand in a CSV cell: without control characters (``clean_text``)
    and with a leading ``'`` when it would start a formula.

    ``'=HYPERLINK("x")'`` gives ``"'=HYPERLINK(\"x\")"``; ``"Jalan rusak"`` is unchanged.
    """
    text = clean_text(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def exact_amount(value):
    """``value`` (a ``Decimal``, an int, or a float from an aggregate) as a ``Decimal`` with
    the digits people see: a float goes through its shortest ``repr`` (``0.1`` stays
    ``Decimal("0.1")``), never through its binary expansion."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def fits_excel(amount):
    """Whether Excel keeps every digit of ``amount`` (a ``Decimal``) in a number cell: at most
    ``EXCEL_DIGITS`` significant digits (trailing zeros of the fraction do not count)."""
    return len(amount.normalize().as_tuple().digits) <= EXCEL_DIGITS


def _csv_text(value):
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    # Most cells need no change, and ``isprintable`` (no control character, no line break)
    # is a far cheaper test than ``neutralise``'s substitution.
    if text.isprintable() and not text.startswith(_FORMULA_START):
        return text
    return neutralise(text)


def _csv_code(value):
    if value is None:
        return ""
    text = str(value)
    return text if _PLAIN_CODE.match(text) else _csv_text(text)


def _csv_number(value):
    return str(value) if isinstance(value, int | float | Decimal) else _csv_text(value)


def _csv_money(value):
    if isinstance(value, int | float | Decimal):
        return f"{exact_amount(value):f}"
    return _csv_text(value)


def _csv_date(value):
    return value.isoformat() if isinstance(value, datetime.date) else _csv_text(value)


#: ``value -> the string written in a CSV cell`` for each column kind, chosen once per
#: column, not per cell.
_CSV_CELL = {
    TEXT: _csv_text,
    CODE: _csv_code,
    NUMBER: _csv_number,
    MONEY: _csv_money,
    DATE: _csv_date,
}


def iter_csv(rows, columns):
    """CSV of ``rows`` as a stream of bytes: UTF-8 with a BOM first (so Excel reads the
    characters right), comma-separated, CRLF line ends; ``CSV_ROWS_PER_CHUNK`` rows per chunk,
    so memory stays flat on long lists and a server writes a few hundred chunks for 20,000
    rows, not one per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(str(column.header)) for column in columns])
    cells = [(column.getter(), _CSV_CELL[column.kind]) for column in columns]
    for chunk in batched(rows, CSV_ROWS_PER_CHUNK):
        writer.writerows([to_cell(get(row)) for get, to_cell in cells] for row in chunk)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        # No rows: the header alone.
        yield buffer.getvalue().encode()


def write_csv(rows, columns):
    """The whole CSV of ``rows`` as bytes (see ``iter_csv``)."""
    return b"".join(iter_csv(rows, columns))


def _xlsx_cell(ref, value, kind):
    """The XML of the cell ``ref`` (``"B7"``) holding ``value`` of column ``kind``; ``None``
    for an empty cell. Text is always a string cell, so never a formula."""
    if value is None:
        return None
    if kind == NUMBER and isinstance(value, int | float | Decimal):
        return xlsx.number_cell(ref, value)
    if kind == MONEY and isinstance(value, int | float | Decimal):
        amount = exact_amount(value)
        if not fits_excel(amount):
            # A double would round the Rupiah away: the exact amount as text instead.
            return xlsx.text_cell(ref, f"{amount:f}")
        return xlsx.number_cell(ref, amount, xlsx.AMOUNT_STYLE)
    if kind == DATE and isinstance(value, datetime.date):
        return xlsx.date_cell(ref, value)
    return xlsx.text_cell(ref, clean_text(str(value)))


def write_xlsx(rows, columns, *, title, stream, about=(), sheets=()):
    """Write ``rows`` as an XLSX workbook to ``stream``: a sheet named ``title``, then one
    per ``(title, rows, columns)`` of ``sheets``, then the "About" sheet of ``about``
    (``[(label, value)]``, e.g. the filters used and the export's time).

    Streams row by row (``kk_portal.xlsx``), so memory stays flat on long lists; every data
    sheet gets its column widths, a frozen header row and an autofilter over its rows.
    """
    book = xlsx.Workbook(stream)
    for sheet_title, sheet_rows, sheet_columns in ((title, rows, columns), *sheets):
        _write_sheet(book, sheet_title, sheet_rows, sheet_columns)
    if about:
        book.add_sheet(
            _sheet_title(_("About")),
            [28, 60],
            (
                [_xlsx_cell(f"A{n}", str(label), TEXT), _xlsx_cell(f"B{n}", str(value), TEXT)]
                for n, (label, value) in enumerate(about, start=1)
            ),
            frozen=False,
            autofilter=False,
        )
    book.close()


def _write_sheet(book, title, rows, columns):
    widths = [
        column.width or max(_WIDTHS.get(column.kind, 16), len(str(column.header)) + 2)
        for column in columns
    ]
    letters = [get_column_letter(index) for index in range(1, len(columns) + 1)]
    kinds = [column.kind for column in columns]

    def lines():
        getters = [column.getter() for column in columns]
        yield [
            _xlsx_cell(f"{letter}1", str(column.header), TEXT)
            for letter, column in zip(letters, columns, strict=True)
        ]
        for number, row in enumerate(rows, start=2):
            line = str(number)
            yield [
                _xlsx_cell(letter + line, get(row), kind)
                for letter, get, kind in zip(letters, getters, kinds, strict=True)
            ]

    book.add_sheet(_sheet_title(title), widths, lines())


def _sheet_title(title):
    # Excel allows 31 characters and none of []:*?/\ in a sheet name.
    return re.sub(r"[\[\]:*?/\\]", " ", clean_text(str(title)))[:31] or "Data"


def export_response(rows, columns, *, filename, fmt="xlsx", title=None, about=(), sheets=()):
    """An ``HttpResponse`` downloading ``rows`` as ``filename.xlsx`` or ``filename.csv``.

    ``fmt`` is ``"xlsx"`` (the default) or ``"csv"``; anything else is treated as XLSX.
    ``rows`` is any iterable; pass ``queryset.iterator()`` for long lists. The CSV is a
    streaming response of ``rows`` alone; the XLSX adds the ``sheets`` and the "About"
    sheet (``write_xlsx``), spooled to a temporary file past 8 MB.
    """
    if fmt == "csv":
        response = StreamingHttpResponse(
            iter_csv(rows, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(rows, columns, title=title or filename, stream=spool, about=about, sheets=sheets)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_about(request, *, title, filters=(), order=None):
    """The "About" sheet's rows: what was exported (``title``), each filter used
    (``[(label, value)]``, only those with a value), the rows' ``order`` (text) if given,
    and when, in the user's zone (``2 Desember 2026 15.50 WITA``)."""
    rows = [(_("Export"), title)]
    rows += [(label, value) for label, value in filters if value not in (None, "", [])]
    if len(rows) == 1:
        rows.append((_("Filters"), _("none (every row the user sees)")))
    if order:
        rows.append((_("Sorted by"), order))
    zone = getattr(request.user, "time_zone", None) or timezone.get_current_timezone_name()
    rows.append((_("Exported at"), format_time_in_zone(timezone.now(), zone)))
    return rows


def filters_used(form):
    """``[(label, value)]`` of the bound, valid ``form``'s fields that hold a value, with
    choices by their label and rows by their name."""
    used = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or value is False:
            continue
        choices = dict(getattr(field, "choices", ()) or ())
        if isinstance(value, bool):
            value = yes_no(value)
        elif isinstance(value, list | tuple | set) or hasattr(value, "model"):
            value = ", ".join(str(choices.get(v, v)) for v in value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif not hasattr(value, "pk"):
            value = choices.get(value, value)
        used.append((field.label or name, str(value)))
    return used


def export_list(request, filterset, columns, *, filename, title, sheets=(), sort=None, fetch=None):
    """A list page's rows as a download: XLSX, or CSV with ``?format=csv``.

    ``filterset`` is the list's ``django_filters.FilterSet`` bound to ``request.GET`` over
    rows from ``visible_to``, so the file holds exactly the list's scope and filters; an
    invalid filter (such as a tampered id of another scope's row) gives a file without rows,
    never the unfiltered ones. ``sheets`` is a callable taking the filtered rows and giving
    further XLSX sheets (``write_xlsx``). ``sort`` is the list's ``(keys, default)`` of
    ``kk_portal.sorting.sort_rows``: the file's rows then come in the page's order. The
    XLSX's "About" sheet lists the filters used and the order. ``fetch`` takes the filtered,
    sorted rows and gives what the columns read (e.g. dicts of ``values()``); by default the
    model instances, 2,000 at a time.
    """
    valid = filterset.is_valid()
    rows = filterset.qs if valid else filterset.queryset.none()
    fmt = export_format(request)
    order = None
    if sort is not None:
        rows, sorting = sort_rows(request, rows, *sort)
        direction = _("descending") if sorting.descending else _("ascending")
        order = f"{sorting.keys[sorting.name].label} ({direction})"
    about = export_about(
        request, title=title, filters=filters_used(filterset.form) if valid else (), order=order
    )
    return export_response(
        fetch(rows) if fetch else rows.iterator(chunk_size=CHUNK),
        columns,
        filename=filename,
        fmt=fmt,
        title=title,
        about=about,
        sheets=sheets(rows) if sheets and fmt == "xlsx" else (),
    )


def export_format(request):
    """The format asked for by ``?format=``: ``"csv"`` or the default ``"xlsx"``."""
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


#: Label of the format choice on pages.
FORMAT_LABELS = {"xlsx": _("Excel (XLSX)"), "csv": _("CSV")}
