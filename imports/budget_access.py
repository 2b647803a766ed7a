"""The budget access kind of import: money a group obtained (``activities.models
.BudgetAccess``, dana yang diperoleh), one a row: the group (``kelompok``, per row when
importing into a regency), source (``sumber``), amount (``jumlah``, Rupiah through
``aspirations.money.parse_rupiah`` as the form reads it: ``1.500.000``, ``Rp 1.500.000``,
``617.666.666,66``), year (``tahun``, 2000 to the group's current year), purpose
(``tujuan``), description and the women and men benefiting.

``BudgetAccess`` has no date: a row is known by its group, source, year, amount and
purpose, so a row matching a stored one on these is unchanged and importing a sheet twice
creates each row once; a stored row is never changed by an import. Rows are written
through ``activities.services.budget_access_add``.

The headers of this product's own budget-access export (``activities.views.BUDGET_COLUMNS``,
in Indonesian and English), its sheet title and its values (choices by their labels, the
CSV's amounts as ``1500000.00``) are accepted too, and its regency column ignored, so an
exported file imports back unchanged."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import BudgetAccess, BudgetPurpose, BudgetSource
from activities.services import budget_access_add
from aspirations.money import parse_rupiah
from imports import activities, members
from imports import values as v
from imports.readers import header_key
from kk_portal.formats import format_rupiah
from kk_portal.zones import today_in

SHEET = "Dana"
#: The sheet of the budget-access export (its title, in Indonesian and English).
SHEET_ALIASES = ("Akses anggaran", "Budget access")
#: An amount as the export's CSV writes it (``1500000.00``): never Indonesian writing, whose
#: dots group three digits.
EXPORTED_AMOUNT = re.compile(r"^\d+\.\d\d$")
Column = members.Column
ROWS_ABOUT = gettext_lazy(
    "One row is money one group obtained. A row is matched to a stored row of its group by "
    "source, year, amount and purpose: a row already stored is unchanged (the import does "
    "not change it). Delete the example row before importing."
)
SOURCE_SYNONYMS = {
    BudgetSource.APBDES: ("apbdes", "dana desa", "apb desa"),
    BudgetSource.APBD: ("apbd", "apbd kabupaten", "apbd provinsi"),
    BudgetSource.CSR: ("csr", "perusahaan"),
    BudgetSource.OTHER: ("lainnya", "lain lain"),
}
SOURCE_ALLOWED = "APBDes, APBD, CSR, lainnya"
PURPOSE_SYNONYMS = {
    BudgetPurpose.ECONOMIC: ("ekonomi", "usaha ekonomi", "kegiatan ekonomi"),
    BudgetPurpose.NATURAL_FARMING: ("pertanian alami", "pertanian organik"),
    BudgetPurpose.SAVINGS: ("simpan pinjam", "tabungan"),
    BudgetPurpose.OTHER: ("lainnya", "lain lain"),
}
PURPOSE_ALLOWED = "ekonomi, pertanian alami, simpan pinjam, lainnya"


def _amount(value, _context):
    """The amount as text (JSON keeps it exact), read by ``parse_rupiah`` (or as the
    export's CSV writes it), above zero."""
    text = v.text_value(value)
    amount = Decimal(text) if EXPORTED_AMOUNT.match(text) else parse_rupiah(value)
    if amount is None:
        return None
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    return str(amount)


def _whole(value, _context):
    """A count of people: a whole number from 0; blank gives ``None``."""
    text = v.text_value(value)
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("Write a whole number of people, 0 or more."))
    return int(text)


def _year(value, _context):
    text = v.text_value(value)
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError(_("Write the year with four digits, e.g. 2024."))
    return int(text)


COLUMNS = (
    activities.GROUP,
    Column(
        "source",
        "sumber",
        ("sumber dana", "source"),
        activities.choice(BudgetSource.choices, SOURCE_SYNONYMS, SOURCE_ALLOWED),
        gettext_lazy("Where the money came from."),
        SOURCE_ALLOWED,
        "APBDes",
    ),
    Column(
        "amount",
        "jumlah",
        ("jumlah (rp)", "jumlah (rupiah)", "nilai", "amount", "amount (rupiah)"),
        _amount,
        gettext_lazy("The amount in Rupiah, written the Indonesian way."),
        gettext_lazy("1.500.000, Rp 1.500.000 or 617.666.666,66"),
        "15.000.000",
    ),
    Column(
        "year",
        "tahun",
        ("tahun anggaran", "year"),
        _year,
        gettext_lazy("The year the money was obtained."),
        gettext_lazy("a year from 2000 to this year"),
        2024,
    ),
    Column(
        "purpose",
        "tujuan",
        ("peruntukan", "purpose"),
        activities.choice(BudgetPurpose.choices, PURPOSE_SYNONYMS, PURPOSE_ALLOWED),
        gettext_lazy("What the money is for."),
        PURPOSE_ALLOWED,
        "simpan pinjam",
    ),
    Column(
        "description",
        "keterangan",
        ("uraian", "description"),
        activities.text(200),
        gettext_lazy("A few words about it, if needed."),
        gettext_lazy("text, at most 200 characters"),
        "",
    ),
    Column(
        "women",
        "perempuan",
        ("penerima perempuan", "perempuan penerima manfaat", "women", "women benefiting"),
        _whole,
        gettext_lazy("How many women benefit (blank: 0)."),
        gettext_lazy("a whole number, 0 or more"),
        20,
    ),
    Column(
        "men",
        "laki_laki",
        ("penerima laki-laki", "laki-laki penerima manfaat", "men", "men benefiting"),
        _whole,
        gettext_lazy("How many men benefit (blank: 0)."),
        gettext_lazy("a whole number, 0 or more"),
        5,
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {
    header_key(header): column.key
    for column in COLUMNS
    for header in (column.header, *column.aliases)
}


class Preview(activities.Records):
    """What each budget access row does for the job's uploader, and its confirm."""

    COLUMNS = COLUMNS
    REQUIRED = {
        "source": gettext_lazy("The source is required."),
        "amount": gettext_lazy("The amount is required."),
        "year": gettext_lazy("The year is required."),
        "purpose": gettext_lazy("The purpose is required."),
    }
    REPEATED_COLUMN = "amount"
    SUMMARY = ("source", "year", "amount", "group")

    def key(self, group, values):
        return (values["source"], values["year"], Decimal(values["amount"]), values["purpose"])

    def stored(self, group):
        return BudgetAccess.objects.filter(group=group).values_list(
            "source", "year", "amount", "purpose"
        )

    def check(self, group, values):
        this_year = today_in(group.regency).year
        if not 2000 <= values["year"] <= this_year:
            message = _("Write a year between 2000 and %(last)d.") % {"last": this_year}
            return [("year", message)]
        return []

    def summary(self, group, values):
        amount = format_rupiah(Decimal(values["amount"]))
        return f"{BudgetSource(values['source']).label} {values['year']} · {amount} · {group.name}"

    def create(self, group, values, user):
        fields = {
            "source": values["source"],
            "amount": Decimal(values["amount"]),
            "year": values["year"],
            "purpose": values["purpose"],
            "description": values.get("description", ""),
            "women": values.get("women", 0),
            "men": values.get("men", 0),
        }
        return budget_access_add(group, fields=fields)


def confirm(job, groups):
    """Create the budget access rows of ``job``'s previewed rows (``Records.confirm``)."""
    return Preview(job, groups).confirm()
