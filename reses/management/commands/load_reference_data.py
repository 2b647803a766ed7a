"""Load the shipped reference data: regions, DPRD electoral districts, urusan and topics.

The command lives in ``reses``, the app that holds the last layer of this data (districts are
sets of villages) and may import the others; the files stay with the places, in
``groups/data/`` (see its README for sources): ``wilayah.csv`` (the nine
programme regencies; ``--national`` reads ``wilayah-indonesia-full.csv.gz`` instead),
``dapil-dprd-kabkota-2024.csv`` with ``dapil-dprd-kabkota-2024-split-kecamatan.csv``, and
``urusan-pemerintahan.csv``; topics come from ``aspirations/topics.py``.

Every file is read and checked before anything is written; a bad row stops the command with
``file:line: reason`` and the database is left as it was (all writes are one transaction).
Running it again changes nothing: rows are matched by their natural key (code, district
name) and updated only when a value differs. Regions are written with ``bulk_create`` and
``bulk_update`` in batches, so the 91,599 national rows take seconds, not minutes.
"""

import csv
import gzip
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aspirations.models import Topic, Urusan
from aspirations.topics import TOPICS
from groups.models import Province, Regency, Subdistrict, Village, time_zone_for_province
from reses.models import DistrictVillage, ElectoralDistrict, Legislature

DATA_DIR = Path(__file__).resolve().parents[3] / "groups" / "data"
REGIONS_FILE = "wilayah.csv"
NATIONAL_FILE = "wilayah-indonesia-full.csv.gz"
DISTRICTS_FILE = "dapil-dprd-kabkota-2024.csv"
SPLIT_FILE = "dapil-dprd-kabkota-2024-split-kecamatan.csv"
URUSAN_FILE = "urusan-pemerintahan.csv"
ELECTION_YEAR = 2024
BATCH_SIZE = 2000

# level in the file -> (code pattern, allowed kinds); patterns as in groups.models constraints.
_LEVELS = {
    "provinsi": (re.compile(r"^[0-9]{2}$"), {"provinsi"}),
    "kabupaten_kota": (re.compile(r"^[0-9]{2}\.[0-9]{2}$"), {"kabupaten", "kota"}),
    "kecamatan": (re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$"), {"kecamatan"}),
    "desa_kelurahan": (
        re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[1-3][0-9]{3}$"),
        {"desa", "kelurahan", "desa_adat"},
    ),
}
_URUSAN_CODE = re.compile(r"^[0-9](\.[0-9]{2})?$")
_DISTRICT_NUMBER = re.compile(r" ([0-9]{1,2})$")


class DataError(CommandError):
    """A reference file is missing, malformed or incomplete; the message names file and line."""

    def __init__(self, path, line, reason):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


def _open(path):
    if not path.exists():
        raise DataError(path, None, "file not found")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def read_csv(path, columns):
    """Yield ``(line_number, row_dict)`` for each data row of ``path``.

    The header must be exactly ``columns``; every row must have that many fields. Raises
    ``DataError`` naming file and line otherwise.
    """
    with _open(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise DataError(path, 1, "file is empty")
            header = [h.strip().lstrip("\ufeff") for h in header]
            if header != list(columns):
                raise DataError(
                    path, 1, f"header must be {','.join(columns)}, not {','.join(header)}"
                )
            for row in reader:
                if not row:
                    continue
                if len(row) != len(columns):
                    raise DataError(
                        path,
                        reader.line_num,
                        f"expected {len(columns)} fields, found {len(row)}",
                    )
                yield reader.line_num, dict(zip(columns, (v.strip() for v in row), strict=True))
        except (csv.Error, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
            raise DataError(path, reader.line_num, f"cannot be read: {exc}") from None


def parse_regions(path):
    """Read a ``wilayah*.csv`` file into ``{level: {code: row}}``, checking every row.

    Checks: known level, code format of the level, kind allowed for the level (a village's
    kind must agree with its code), non-empty name, no duplicate code, the parent present
    earlier in the file (files are sorted by code), and no region above village level without
    regions below it (a file cut short). Raises ``DataError``.
    """
    regions = {level: {} for level in _LEVELS}
    seen = {}
    for line, row in read_csv(path, ("code", "name", "level", "parent_code", "kind")):
        code, level, kind, parent = row["code"], row["level"], row["kind"], row["parent_code"]
        if level not in _LEVELS:
            raise DataError(path, line, f"unknown level {level!r}")
        pattern, kinds = _LEVELS[level]
        if not pattern.match(code):
            raise DataError(path, line, f"code {code!r} is not a valid {level} code")
        if kind not in kinds:
            raise DataError(path, line, f"kind {kind!r} is not allowed for {level}")
        if level == "desa_kelurahan" and Village.kind_for_code(code) != kind:
            raise DataError(
                path,
                line,
                f"kind {kind!r} contradicts code {code!r} ({Village.kind_for_code(code)})",
            )
        if not row["name"]:
            raise DataError(path, line, f"code {code!r} has no name")
        if code in seen:
            raise DataError(path, line, f"code {code!r} repeats line {seen[code]}")
        if level == "provinsi":
            try:
                time_zone_for_province(code)
            except ValueError as exc:
                raise DataError(path, line, str(exc)) from None
        expected_parent = code.rpartition(".")[0]
        if parent != expected_parent:
            raise DataError(
                path, line, f"parent of {code!r} must be {expected_parent!r}, not {parent!r}"
            )
        if parent and parent not in seen:
            raise DataError(path, line, f"parent {parent!r} of {code!r} is not listed before it")
        seen[code] = line
        regions[level][code] = row
    if not regions["provinsi"]:
        raise DataError(path, None, "no regions found")
    # A cut-off file still parses; every region above village level must have children.
    levels = list(_LEVELS)
    for upper, lower in zip(levels, levels[1:], strict=False):
        parents = {row["parent_code"] for row in regions[lower].values()}
        childless = sorted(set(regions[upper]) - parents)
        if childless:
            raise DataError(
                path, seen[childless[0]], f"{upper} {childless[0]!r} has no {lower} below it"
            )
    return regions


def parse_urusan(path):
    """Read the urusan file into a list of ``(code, name, parent_code)``; raises ``DataError``."""
    rows, seen = [], set()
    for line, row in read_csv(path, ("code", "name", "parent_code")):
        code, parent = row["code"], row["parent_code"]
        if not _URUSAN_CODE.match(code):
            raise DataError(path, line, f"code {code!r} is not an urusan code like 1 or 1.03")
        if code in seen:
            raise DataError(path, line, f"code {code!r} appears twice")
        expected_parent = code.partition(".")[0] if "." in code else ""
        if parent != expected_parent:
            raise DataError(path, line, f"parent {parent!r} does not fit code {code!r}")
        if parent and parent not in seen:
            raise DataError(path, line, f"parent {parent!r} is not listed before {code!r}")
        if not row["name"]:
            raise DataError(path, line, f"code {code!r} has no name")
        seen.add(code)
        rows.append((code, row["name"], parent))
    return rows


def parse_districts(path, split_path, regions):
    """Read the dapil files and return ``{name: district_dict}`` with the villages of each.

    ``district_dict`` holds ``regency_code``, ``seats``, ``kpu_code`` and ``villages`` (a
    set of village codes). A subdistrict listed in several districts must be divided by the
    split file, village by village; every subdistrict of a regency must be covered and every
    village of a split subdistrict assigned exactly once. Raises ``DataError``.
    """
    subdistricts = regions["kecamatan"]
    villages_of = defaultdict(set)
    for code in regions["desa_kelurahan"]:
        villages_of[code.rpartition(".")[0]].add(code)

    districts = {}
    for line, row in read_csv(path, ("kabkota_code", "dapil_name", "seats", "kecamatan_codes")):
        regency, name = row["kabkota_code"], row["dapil_name"]
        if regency not in regions["kabupaten_kota"]:
            raise DataError(path, line, f"regency {regency!r} is not in the regions file")
        if not name or name in districts:
            raise DataError(path, line, f"district name {name!r} is empty or repeated")
        number = _DISTRICT_NUMBER.search(name)
        if not number:
            raise DataError(path, line, f"district name {name!r} does not end in its number")
        try:
            seats = int(row["seats"])
        except ValueError:
            seats = 0
        if seats < 1:
            raise DataError(path, line, f"seats must be a whole number ≥ 1, not {row['seats']!r}")
        codes = [c.strip() for c in row["kecamatan_codes"].split(";") if c.strip()]
        if not codes:
            raise DataError(path, line, "no subdistricts listed")
        for code in codes:
            if code not in subdistricts or not code.startswith(regency + "."):
                raise DataError(path, line, f"subdistrict {code!r} is not in regency {regency!r}")
        districts[name] = {
            "line": line,
            "regency_code": regency,
            "seats": seats,
            "kpu_code": regency.replace(".", "") + f"{int(number.group(1)):02d}",
            "subdistricts": codes,
            "villages": set(),
        }
    if not districts:
        raise DataError(path, None, "no districts found")

    split = defaultdict(dict)  # subdistrict -> {village: district name}
    for line, row in read_csv(
        split_path, ("kabkota_code", "dapil_name", "kecamatan_code", "desa_code")
    ):
        name, sub, village = row["dapil_name"], row["kecamatan_code"], row["desa_code"]
        district = districts.get(name)
        if district is None or district["regency_code"] != row["kabkota_code"]:
            raise DataError(split_path, line, f"district {name!r} is not in {path.name}")
        if sub not in district["subdistricts"]:
            raise DataError(split_path, line, f"subdistrict {sub!r} is not listed for {name!r}")
        if village not in villages_of[sub]:
            raise DataError(split_path, line, f"village {village!r} is not in {sub!r}")
        if village in split[sub]:
            raise DataError(
                split_path, line, f"village {village!r} is already in {split[sub][village]!r}"
            )
        split[sub][village] = name

    listed = Counter(code for d in districts.values() for code in d["subdistricts"])
    for name, district in districts.items():
        for sub in district["subdistricts"]:
            if listed[sub] > 1:
                if sub not in split:
                    raise DataError(
                        split_path,
                        None,
                        f"subdistrict {sub!r} is listed in several districts of {path.name} "
                        "but not divided here",
                    )
                district["villages"] |= {v for v, d in split[sub].items() if d == name}
            else:
                district["villages"] |= villages_of[sub]
    for sub, assigned in split.items():
        missing = sorted(villages_of[sub] - set(assigned))
        if missing:
            raise DataError(split_path, None, f"villages of {sub!r} not assigned: {missing}")
    regencies = {d["regency_code"] for d in districts.values()}
    uncovered = sorted(
        code
        for code, row in subdistricts.items()
        if row["parent_code"] in regencies and code not in listed
    )
    if uncovered:
        raise DataError(path, None, f"subdistricts in no district: {uncovered}")
    return districts


class Stats:
    """Created/updated counts per model, for the command's report and tests."""

    def __init__(self):
        self.created = Counter()
        self.updated = Counter()

    LABELS = (
        "provinces",
        "regencies",
        "subdistricts",
        "villages",
        "districts",
        "district villages",
        "urusan",
        "topics",
    )

    def __str__(self):
        return "\n".join(
            f"{name}: {self.created[name]} created, {self.updated[name]} updated"
            for name in self.LABELS
        )


def _sync(model, wanted, fields, stats, label):
    """Make ``model`` rows keyed by ``code`` match ``wanted`` (``{code: {field: value}}``).

    New codes are bulk-created, rows whose ``fields`` differ are bulk-updated, others are left
    alone; rows not in ``wanted`` are kept. Returns ``{code: pk}`` for the wanted codes.
    """
    existing = {
        row["code"]: row
        for row in model.objects.filter(code__in=list(wanted)).values("pk", "code", *fields)
    }
    new, changed = [], []
    for code, values in wanted.items():
        current = existing.get(code)
        if current is None:
            new.append(model(code=code, **values))
        elif any(current[f] != values[f] for f in fields):
            changed.append(model(pk=current["pk"], code=code, **values))
    model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    stats.created[label] += len(new)
    stats.updated[label] += len(changed)
    return dict(model.objects.filter(code__in=list(wanted)).values_list("code", "pk"))


def write_regions(regions, stats):
    """Write parsed regions level by level; returns ``{code: pk}`` of villages."""
    zone = {code: time_zone_for_province(code) for code in regions["provinsi"]}
    provinces = _sync(
        Province,
        {c: {"name": r["name"], "time_zone": zone[c]} for c, r in regions["provinsi"].items()},
        ["name", "time_zone"],
        stats,
        "provinces",
    )
    regencies = _sync(
        Regency,
        {
            c: {
                "name": r["name"],
                "kind": r["kind"],
                "province_id": provinces[r["parent_code"]],
                "time_zone": zone[r["parent_code"]],
            }
            for c, r in regions["kabupaten_kota"].items()
        },
        ["name", "kind", "province_id", "time_zone"],
        stats,
        "regencies",
    )
    subdistricts = _sync(
        Subdistrict,
        {
            c: {"name": r["name"], "regency_id": regencies[r["parent_code"]]}
            for c, r in regions["kecamatan"].items()
        },
        ["name", "regency_id"],
        stats,
        "subdistricts",
    )
    return _sync(
        Village,
        {
            c: {
                "name": r["name"],
                "kind": Village.kind_for_code(c),
                "subdistrict_id": subdistricts[r["parent_code"]],
            }
            for c, r in regions["desa_kelurahan"].items()
        },
        ["name", "kind", "subdistrict_id"],
        stats,
        "villages",
    )


def write_districts(districts, stats):
    """Create or update the DPRD kabupaten/kota districts and make their village sets match."""
    regencies = {
        r.code: r
        for r in Regency.objects.filter(code__in={d["regency_code"] for d in districts.values()})
    }
    existing = {
        d.name: d
        for d in ElectoralDistrict.objects.filter(
            legislature=Legislature.DPRD_KABKOTA, election_year=ELECTION_YEAR, name__in=districts
        )
    }
    for name, spec in districts.items():
        regency = regencies[spec["regency_code"]]
        values = {
            "kpu_code": spec["kpu_code"],
            "seats": spec["seats"],
            "regency_id": regency.pk,
            "province_id": regency.province_id,
        }
        district = existing.get(name)
        if district is None:
            existing[name] = ElectoralDistrict.objects.create(
                legislature=Legislature.DPRD_KABKOTA,
                name=name,
                election_year=ELECTION_YEAR,
                **values,
            )
            stats.created["districts"] += 1
        elif any(getattr(district, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(district, key, value)
            district.save(update_fields=list(values))
            stats.updated["districts"] += 1

    village_pk = dict(
        Village.objects.filter(
            code__in={v for d in districts.values() for v in d["villages"]}
        ).values_list("code", "pk")
    )
    wanted = {
        (existing[name].pk, village_pk[code])
        for name, spec in districts.items()
        for code in spec["villages"]
    }
    district_ids = [d.pk for d in existing.values()]
    current = set(
        DistrictVillage.objects.filter(district_id__in=district_ids).values_list(
            "district_id", "village_id"
        )
    )
    DistrictVillage.objects.bulk_create(
        [DistrictVillage(district_id=d, village_id=v) for d, v in sorted(wanted - current)],
        batch_size=BATCH_SIZE,
    )
    stale = current - wanted
    for district_id, village_id in stale:
        DistrictVillage.objects.filter(district_id=district_id, village_id=village_id).delete()
    stats.created["district villages"] += len(wanted - current)
    # A village that left a district counts as an update of the district's area.
    stats.updated["district villages"] += len(stale)


def write_urusan(rows, stats):
    """Create or update urusan groups and bidang (parents first: the file is sorted)."""
    existing = {u.code: u for u in Urusan.objects.all()}
    for code, name, parent_code in rows:
        parent = existing[parent_code] if parent_code else None
        urusan = existing.get(code)
        if urusan is None:
            existing[code] = Urusan.objects.create(code=code, name=name, parent=parent)
            stats.created["urusan"] += 1
        elif urusan.name != name or urusan.parent_id != (parent.pk if parent else None):
            urusan.name, urusan.parent = name, parent
            urusan.save(update_fields=["name", "parent"])
            stats.updated["urusan"] += 1


def write_topics(stats):
    """Create or update the starting topics of ``aspirations.topics`` by slug."""
    urusan = {u.code: u.pk for u in Urusan.objects.all()}
    existing = {t.slug: t for t in Topic.objects.all()}
    for spec in TOPICS:
        if spec.urusan_code and spec.urusan_code not in urusan:
            raise CommandError(
                f"aspirations/topics.py: topic {spec.slug!r} names unknown urusan "
                f"{spec.urusan_code!r}"
            )
        values = {
            "name": spec.name,
            "order": spec.order,
            "default_urusan_id": urusan.get(spec.urusan_code),
        }
        topic = existing.get(spec.slug)
        if topic is None:
            Topic.objects.create(slug=spec.slug, **values)
            stats.created["topics"] += 1
        elif any(getattr(topic, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(topic, key, value)
            topic.save(update_fields=list(values))
            stats.updated["topics"] += 1


def load_reference_data(data_dir=DATA_DIR, national=False):
    """Check every file in ``data_dir`` (a ``Path``), then write all of it in one transaction.

    Returns a ``Stats``. Raises ``DataError`` (a ``CommandError``) naming file, line and
    reason for bad input, before anything is written.
    """
    data_dir = Path(data_dir)
    regions = parse_regions(data_dir / (NATIONAL_FILE if national else REGIONS_FILE))
    districts = parse_districts(data_dir / DISTRICTS_FILE, data_dir / SPLIT_FILE, regions)
    urusan = parse_urusan(data_dir / URUSAN_FILE)
    stats = Stats()
    with transaction.atomic():
        write_regions(regions, stats)
        write_districts(districts, stats)
        write_urusan(urusan, stats)
        write_topics(stats)
    return stats


class Command(BaseCommand):
    help = (
        "Load the shipped reference data (regions of the nine regencies, DPRD electoral "
        "districts 2024, urusan, topics). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--national",
            action="store_true",
            help="Load all 91,599 regions of Indonesia instead of the nine regencies.",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Directory holding the reference files (default: groups/data).",
        )

    def handle(self, *args, national, data_dir, **options):
        started = time.monotonic()
        stats = load_reference_data(data_dir, national=national)
        self.stdout.write(str(stats))
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded in {time.monotonic() - started:.1f} s.")
        )
