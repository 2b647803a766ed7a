"""A streaming XLSX (Office Open XML spreadsheet) writer for the exports: each row is
written as XML text straight into the zip member of its sheet, so memory stays flat in rows
and a cell costs about a microsecond.

openpyxl's write-only mode builds an element per cell and serialises it through
``et_xmlfile`` (without lxml): 20,000 aspirations of 27 columns took most of an 11 s export
(issue 14). This writer knows only what the exports write (``kk_portal.exports``): strings
(inline, never formulas), numbers, dates, amounts with ``#,##0.00``, column widths, a frozen
header row and an autofilter. Files open in Excel, LibreOffice and openpyxl
(``tests/kk_portal/test_exports.py`` reads them back with openpyxl).

Sources: ECMA-376 Part 1 (SpreadsheetML: §18.3 worksheets, §18.8 styles, §18.2 workbook);
Excel's date serials count days from 1899-12-30 (the 1900 date system).
"""

import datetime
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

#: Styles (``cellXfs`` of ``styles.xml``) by index: 0 plain, 1 date, 2 amount.
PLAIN, DATE_STYLE, AMOUNT_STYLE = 0, 1, 2
#: The custom number format of dates (id 164, the first free one), as openpyxl writes dates.
DATE_FORMAT = "yyyy-mm-dd"
_EPOCH = datetime.datetime(1899, 12, 30)
_SECONDS_PER_DAY = 86_400

_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    f'<Override PartName="/xl/worksheets/sheet{{n}}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{sheets}"
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_SHEET_REL = (
    '<Relationship Id="rId{n}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet{n}.xml"/>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets>{names}</workbook>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    # 4 is the built-in "#,##0.00".
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>'
)
_FROZEN_VIEW = (
    '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
)
_PLAIN_VIEW = '<sheetView workbookViewId="0"/>'


def text_cell(ref, text):
    """A string cell (inline, so never read as a formula), spaces kept."""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def number_cell(ref, value, style=PLAIN):
    """A number cell of ``value`` (int, float or ``Decimal``, written from its own digits)."""
    if isinstance(value, Decimal):
        digits = format(value, "f")
    elif isinstance(value, float):
        digits = repr(value)
    else:
        digits = str(int(value))
    shown = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{shown}><v>{digits}</v></c>'


def date_cell(ref, value):
    """A date cell: ``value`` (a date, or a datetime's wall-clock time) as Excel's serial."""
    if isinstance(value, datetime.datetime):
        moment = value.replace(tzinfo=None) - _EPOCH
        serial = moment.days + moment.seconds / _SECONDS_PER_DAY
        digits = repr(serial) if moment.seconds else str(moment.days)
    else:
        digits = str((value - _EPOCH.date()).days)
    return f'<c r="{ref}" s="{DATE_STYLE}"><v>{digits}</v></c>'


class Workbook:
    """An XLSX file written to ``stream`` (a binary file object), sheet after sheet.

    ``add_sheet(title, widths, rows, frozen=True, autofilter=True)`` writes one sheet:
    ``widths`` its column widths in characters, ``rows`` an iterable of rows, each a list of
    cell XML strings (``text_cell``, ``number_cell``, ``date_cell``, each given its reference
    such as ``"B7"``) or ``None`` for an empty cell. ``close()`` writes the workbook's
    parts and ends the zip.
    """

    def __init__(self, stream):
        self.zip = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED)
        self.sheets = []

    def add_sheet(self, title, widths, rows, *, frozen=True, autofilter=True):
        number = len(self.sheets) + 1
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(widths, start=1)
        )
        last_row = 0
        with self.zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
            part.write(
                _SHEET_START.format(
                    view=_FROZEN_VIEW if frozen else _PLAIN_VIEW,
                    cols=f"<cols>{cols}</cols>" if cols else "",
                ).encode()
            )
            for last_row, cells in enumerate(rows, start=1):
                part.write(f'<row r="{last_row}">{"".join(c for c in cells if c)}</row>'.encode())
            part.write(b"</sheetData>")
            filter_ref = None
            if autofilter and widths:
                filter_ref = f"A1:{get_column_letter(len(widths))}{max(last_row, 1)}"
                part.write(f'<autoFilter ref="{filter_ref}"/>'.encode())
            part.write(b"</worksheet>")
        self.sheets.append((title, filter_ref))

    def close(self):
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
            for n, (title, _ref) in enumerate(self.sheets, start=1)
        )
        # Excel keeps an autofilter's range as the hidden name _FilterDatabase of its sheet.
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n - 1}" hidden="1">'
            f"{escape(_quoted_sheet(title))}!{_absolute(ref)}</definedName>"
            for n, (title, ref) in enumerate(self.sheets, start=1)
            if ref
        )
        parts = {
            "[Content_Types].xml": _CONTENT_TYPES.format(
                sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(self.sheets) + 1))
            ),
            "_rels/.rels": _ROOT_RELS,
            "xl/workbook.xml": _WORKBOOK.format(
                sheets=sheets, names=f"<definedNames>{names}</definedNames>" if names else ""
            ),
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(
                sheets="".join(_SHEET_REL.format(n=n) for n in range(1, len(self.sheets) + 1))
            ),
            "xl/styles.xml": _STYLES,
        }
        for name, content in parts.items():
            self.zip.writestr(name, content)
        self.zip.close()


def _quoted_sheet(title):
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref):
    start, end = ref.split(":")
    return ":".join(_dollar(part) for part in (start, end))


def _dollar(cell):
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters) :]}"
