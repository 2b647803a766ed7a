"""Reading spreadsheets row by row: XLSX (openpyxl's read-only mode) and CSV (UTF-8 with or
without BOM, comma or semicolon), so memory stays flat in the number of rows.

``open_table(file, name=…, sheet=…, columns=…)`` finds the sheet and the header row and
returns a ``Table``; a file that cannot be read is refused with ``FileRefused``, whose
message says why and that no row was imported.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

#: Rows searched for the header row (a title and a blank line may stand above it).
HEADER_SEARCH_ROWS = 10
#: Lines of a CSV file read to choose its delimiter.
SNIFF_LINES = 20
DELIMITERS = (",", ";")


class FileRefused(Exception):
    """The whole file cannot be imported; ``str(error)`` says why (in the active language)."""


def header_key(text):
    """A header as compared: ``" Nama_Lengkap "``, ``"\\ufeffnama lengkap"`` and ``"NAMA-
    LENGKAP"`` all give ``"namalengkap"`` (case, spaces, ``_``, ``-``, ``.`` and a BOM
    ignored)."""
    return re.sub(r"[\s_\-.\ufeff]+", "", str(text or "").casefold())


@dataclass
class Table:
    """A sheet ready to be read: ``columns`` maps a column index to its field key,
    ``headers`` an index to the header as written, ``ignored`` the headers not recognised,
    ``total`` the data rows (an estimate for XLSX: the sheet's dimension), ``epoch`` the
    workbook's date system (``None`` for CSV); ``rows()`` yields ``(number, {key: value})``
    for every non-blank row below the header, ``number`` counting from 1 at the file's
    first line."""

    columns: dict
    headers: dict
    ignored: list
    total: int
    epoch: object
    _rows: object = field(repr=False)
    header_number: int = 0

    def rows(self):
        for number, cells in self._rows:
            record = {}
            for index, key in self.columns.items():
                value = cells[index] if index < len(cells) else None
                if isinstance(value, str):
                    value = value.strip()
                record[key] = None if value == "" else value
            if any(value is not None for value in record.values()):
                yield number, record


def find_header(rows, columns):
    """``(position, {index: key}, {index: header}, ignored)`` of the first of ``rows`` (lists
    of cells) in which at least two cells, or the only cell, name a known column;
    ``columns`` maps ``header_key`` of each accepted header to its field key. ``None`` when
    no row does."""
    for position, cells in enumerate(rows):
        found, headers, ignored = {}, {}, []
        for index, cell in enumerate(cells):
            text = str(cell).strip().lstrip("\ufeff") if cell is not None else ""
            key = columns.get(header_key(text))
            if key and key not in found.values():
                found[index] = key
                headers[index] = text
            elif text:
                ignored.append(text)
        filled = [cell for cell in cells if cell not in (None, "")]
        if len(found) >= 2 or (found and len(filled) == 1):
            return position, found, headers, ignored
    return None


def open_table(file, *, name, sheet, columns, sheet_aliases=()):
    """The ``Table`` of the uploaded ``file`` (a binary file object) called ``name``: an
    ``.xlsx`` workbook's only sheet, or its sheet named ``sheet`` (else one of
    ``sheet_aliases``, such as the title of this product's export in Indonesian and English)
    when it has several, or a ``.csv`` file. ``columns`` maps ``header_key`` of accepted
    headers to field keys. Raises ``FileRefused``."""
    if name.lower().endswith(".csv"):
        return _csv_table(file, columns)
    if name.lower().endswith(".xlsx"):
        return _xlsx_table(file, (sheet, *sheet_aliases), columns)
    raise FileRefused(_("Only .xlsx and .csv files can be imported; 0 rows imported."))


def _no_header(first):
    if first and len(first) == 1 and ";" in str(first[0] or ""):
        return FileRefused(
            _(
                "The header row was read as one column containing ';': save the file again "
                "as CSV separated by commas or semicolons; 0 rows imported."
            )
        )
    return FileRefused(
        _(
            "No header row found: none of the first %(count)d rows names the template's "
            "columns; 0 rows imported."
        )
        % {"count": HEADER_SEARCH_ROWS}
    )


def _xlsx_table(file, sheets, columns):
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(
            _("This file is not a readable .xlsx workbook; 0 rows imported.")
        ) from error
    names = book.sheetnames
    if len(names) == 1:
        data = book[names[0]]
    else:
        keys = [header_key(sheet) for sheet in sheets]
        chosen = sorted(
            (n for n in names if header_key(n) in keys), key=lambda n: keys.index(header_key(n))
        )
        if not chosen:
            raise FileRefused(
                _("sheet '%(sheet)s' not found, 0 rows imported (the file has: %(names)s).")
                % {"sheet": sheets[0], "names": ", ".join(names)}
            )
        data = book[chosen[0]]
    rows = data.iter_rows(values_only=True)
    head = []
    for cells in rows:
        head.append(list(cells))
        if len(head) == HEADER_SEARCH_ROWS:
            break
    found = find_header(head, columns)
    if found is None:
        raise _no_header(next((r for r in head if any(c not in (None, "") for c in r)), None))
    position, indexes, headers, ignored = found

    def numbered():
        for number, cells in enumerate(head[position + 1 :], start=position + 2):
            yield number, cells
        for number, cells in enumerate(rows, start=len(head) + 1):
            yield number, cells

    total = max((data.max_row or 0) - position - 1, 0)
    epoch = getattr(book, "epoch", CALENDAR_WINDOWS_1900)
    return Table(indexes, headers, ignored, total, epoch, numbered(), position + 1)


def _csv_table(file, columns):
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        sample = [line for _n, line in zip(range(SNIFF_LINES), text, strict=False)]
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("This CSV file is not UTF-8: save it as 'CSV UTF-8'; 0 rows imported.")
        ) from error
    best = None
    for delimiter in DELIMITERS:
        head = list(csv.reader(sample[:HEADER_SEARCH_ROWS], delimiter=delimiter))
        found = find_header(head, columns)
        if found and (best is None or len(found[1]) > len(best[1][1])):
            best = (delimiter, found)
    if best is None:
        head = list(csv.reader(sample[:HEADER_SEARCH_ROWS], delimiter=","))
        raise _no_header(next((r for r in head if any(r)), None))
    delimiter, (position, indexes, headers, ignored) = best
    # The sample lines were taken from the stream: read them again, then the rest.
    reader = csv.reader(_chain(sample, text), delimiter=delimiter)

    def numbered():
        try:
            for number, cells in enumerate(reader, start=1):
                if number > position + 1:
                    yield number, cells
        except UnicodeDecodeError as error:
            raise FileRefused(
                _("This CSV file is not UTF-8: save it as 'CSV UTF-8'; 0 rows imported.")
            ) from error

    return Table(indexes, headers, ignored, 0, None, numbered(), position + 1)


def _chain(first, rest):
    yield from first
    yield from rest


def count_csv_rows(file):
    """Lines of the binary ``file`` (an estimate of its rows for the progress bar), read in
    blocks; the file is rewound."""
    count = 0
    for block in iter(lambda: file.read(1 << 20), b""):
        count += block.count(b"\n")
    file.seek(0)
    return count
