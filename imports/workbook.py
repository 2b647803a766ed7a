"""The downloadable XLSX template of an import: the data sheet with the Indonesian headers
and one example row (NIK and phone columns formatted as text, so Excel keeps all 16 digits
and the leading 0), and a sheet explaining every column and its allowed values."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from imports import members as kind

#: Rows below the header formatted as text in the NIK and phone columns.
TEXT_ROWS = 500


def template_xlsx(kind=kind):
    """The template of ``kind`` (the module of a kind: ``imports.members``,
    ``imports.attendance`` or ``imports.aspirations``) as XLSX bytes: its sheet
    (``Anggota``, ``Kehadiran``, ``Aspirasi``) and the sheet ``Petunjuk``, ending with the
    kind's ``instructions()`` rows where it has them (the stages and topics)."""
    book = Workbook()
    data = book.active
    data.title = kind.SHEET
    data.append([column.header for column in kind.COLUMNS])
    data.append([column.example for column in kind.COLUMNS])
    for index, column in enumerate(kind.COLUMNS, start=1):
        data.cell(row=1, column=index).font = Font(bold=True)
        data.column_dimensions[data.cell(row=1, column=index).column_letter].width = 20
        if column.key in ("nik", "phone"):
            for row in range(2, TEXT_ROWS + 2):
                data.cell(row=row, column=index).number_format = "@"
    data.freeze_panes = "A2"
    about = book.create_sheet(_("Instructions"))
    about.append([_("Column"), _("What to write"), _("Allowed values")])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for column in kind.COLUMNS:
        about.append([column.header, str(column.about), str(column.allowed)])
    about.append([])
    about.append(
        [
            _("Rows"),
            str(getattr(kind, "ROWS_ABOUT", ""))
            or _(
                "A row is matched to a member by NIK, else by phone number, else by name, "
                "birth year and group. A blank cell leaves the stored value as it is. Delete "
                "the example row before importing."
            ),
            "",
        ]
    )
    for row in kind.instructions() if hasattr(kind, "instructions") else ():
        about.append(row)
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 70
    about.column_dimensions["C"].width = 40
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
