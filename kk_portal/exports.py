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
  dates.

XLSX is the default format (people open these files in Excel); CSV is UTF-8 with a BOM so
Excel reads the characters right.
"""

import csv
import datetime
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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


@dataclass(frozen=True)
class Column:
    """One exported column: its ``header``, how to get its ``value`` from a row (a callable
    or an attribute/key name) and its ``kind`` (``TEXT``, ``CODE``, ``NUMBER``, ``MONEY``,
    ``DATE``)."""

    header: str
    value: object
    kind: str = TEXT

    def get(self, row):
        if callable(self.value):
            return self.value(row)
        if isinstance(row, dict):
            return row.get(self.value)
        return getattr(row, self.value)


def neutralise(text):
    """``text`` as it may stand in a CSV cell: a leading ``'`` when it would start a formula.

    ``'=HYPERLINK("x")'`` gives ``"'=HYPERLINK(\"x\")"``; ``"Jalan rusak"`` is unchanged.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_value(value, kind):
    """The string written in a CSV cell for ``value`` of column ``kind``."""
    if value is None:
        return ""
    if kind in (NUMBER, MONEY) and isinstance(value, int | float | Decimal):
        return str(value)
    if kind == DATE and isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if kind == CODE and _PLAIN_CODE.match(text):
        return text
    return neutralise(text)


class _Line:
    """A file-like object whose ``write`` hands back what the csv writer wrote."""

    def write(self, text):
        return text


def iter_csv(rows, columns):
    """CSV of ``rows`` as a stream of bytes: UTF-8 with a BOM first (so Excel reads the
    characters right), comma-separated, CRLF line ends; one chunk per row, so memory stays
    flat on long lists."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode()
    yield writer.writerow([neutralise(str(column.header)) for column in columns]).encode()
    for row in rows:
        yield writer.writerow(
            [csv_value(column.get(row), column.kind) for column in columns]
        ).encode()


def write_csv(rows, columns):
    """The whole CSV of ``rows`` as bytes (see ``iter_csv``)."""
    return b"".join(iter_csv(rows, columns))


def _xlsx_cell(sheet, value, kind):
    """What to append for ``value``: the plain value where openpyxl writes it right (a
    number, a date, text not starting with ``=``), else a cell with its type or format set."""
    if value is None:
        return None
    if kind in (NUMBER, MONEY) and isinstance(value, int | float | Decimal):
        if kind == NUMBER:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
        return cell
    if kind == DATE and isinstance(value, datetime.date):
        return value
    text = str(value)
    if not text.startswith("="):
        return text
    # openpyxl reads a leading "=" as a formula; a string cell is never evaluated.
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def write_xlsx(rows, columns, *, title, stream):
    """Write ``rows`` as an XLSX workbook (one sheet named ``title``) to ``stream``.

    Uses openpyxl's write-only mode, so memory stays flat on long lists.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_cell(sheet, str(column.header), TEXT) for column in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column.get(row), column.kind) for column in columns])
    book.save(stream)


def _sheet_title(title):
    # Excel allows 31 characters and none of []:*?/\ in a sheet name.
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Data"


def export_response(rows, columns, *, filename, fmt="xlsx", title=None):
    """An ``HttpResponse`` downloading ``rows`` as ``filename.xlsx`` or ``filename.csv``.

    ``fmt`` is ``"xlsx"`` (the default) or ``"csv"``; anything else is treated as XLSX.
    ``rows`` is any iterable; pass ``queryset.iterator()`` for long lists.
    """
    if fmt == "csv":
        response = StreamingHttpResponse(
            iter_csv(rows, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(rows, columns, title=title or filename, stream=spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_list(request, filterset, columns, *, filename, title):
    """A list page's rows as a download: XLSX, or CSV with ``?format=csv``.

    ``filterset`` is the list's ``django_filters.FilterSet`` bound to ``request.GET`` over
    rows from ``visible_to``, so the file holds exactly the list's scope and filters; an
    invalid filter (such as a tampered id of another scope's row) gives a file without rows,
    never the unfiltered ones.
    """
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return export_response(
        rows.iterator(chunk_size=2000),
        columns,
        filename=filename,
        fmt=export_format(request),
        title=title,
    )


def export_format(request):
    """The format asked for by ``?format=``: ``"csv"`` or the default ``"xlsx"``."""
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


#: Label of the format choice on pages.
FORMAT_LABELS = {"xlsx": _("Excel (XLSX)"), "csv": _("CSV")}
