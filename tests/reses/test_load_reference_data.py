"""load_reference_data: real counts, time zones, the Sirimau split, idempotency, bad files."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from aspirations.models import Topic, Urusan
from aspirations.topics import TOPICS
from groups.models import Province, Regency, Subdistrict, Village, time_zone_for_province
from reses.management.commands.load_reference_data import DATA_DIR, NATIONAL_FILE, parse_regions
from reses.models import DistrictVillage, ElectoralDistrict

pytestmark = pytest.mark.django_db


MODELS = (
    Province,
    Regency,
    Subdistrict,
    Village,
    ElectoralDistrict,
    DistrictVillage,
    Urusan,
    Topic,
)


def load(*args):
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def data_dir(tmp_path):
    """A copy of the shipped reference files that a test may break."""
    for name in (
        "wilayah.csv",
        "dapil-dprd-kabkota-2024.csv",
        "dapil-dprd-kabkota-2024-split-kecamatan.csv",
        "urusan-pemerintahan.csv",
    ):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def replace_line(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


WILAYAH = "wilayah.csv"


DAPIL = "dapil-dprd-kabkota-2024.csv"


SPLIT = "dapil-dprd-kabkota-2024-split-kecamatan.csv"


URUSAN = "urusan-pemerintahan.csv"


def test_load_reference_data_loads_the_real_counts():
    load()

    assert counts() == {
        "Province": 5,
        "Regency": 9,
        "Subdistrict": 119,
        "Village": 1156,
        "ElectoralDistrict": 45,
        "DistrictVillage": 1156,
        "Urusan": 52,
        "Topic": 10,
    }
    assert sum(ElectoralDistrict.objects.values_list("seats", flat=True)) == 325


def test_load_reference_data_time_zone_per_regency():
    load()

    zones = dict(Regency.objects.values_list("name", "time_zone"))
    assert zones.pop("Kota Ambon") == "Asia/Jayapura"
    assert set(zones.values()) == {"Asia/Makassar"}
    assert len(zones) == 8


def test_load_reference_data_keeps_legal_kinds():
    load()

    assert Village.objects.filter(kind="kelurahan").count() == 298
    assert Village.objects.filter(kind="desa").count() == 858
    assert dict(Regency.objects.values_list("code", "kind"))["73.72"] == "kota"
    assert dict(Regency.objects.values_list("code", "kind"))["73.08"] == "kabupaten"


def test_load_reference_data_splits_sirimau_between_ambon_1_and_2():
    load()

    def sirimau_villages(district_name):
        return set(
            DistrictVillage.objects.filter(
                district__name=district_name, village__subdistrict__code="81.71.02"
            ).values_list("village__name", flat=True)
        )

    assert sirimau_villages("KOTA AMBON 1") == {
        "Rijali",
        "Amantelu",
        "Karang Panjang",
        "Waihoka",
        "Batu Meja",
        "Batu Gajah",
        "Uritetu",
        "Honipopu",
        "Ahusen",
        "Soya",
    }
    assert sirimau_villages("KOTA AMBON 2") == {
        "Pandan Kasturi",
        "Hative Kecil",
        "Galala",
        "Batu Merah",
    }
    # Every village of the nine regencies lies in exactly one district.
    assert DistrictVillage.objects.values("village").distinct().count() == 1156


def test_load_reference_data_districts_carry_kpu_codes_and_seats():
    load()

    bone_1 = ElectoralDistrict.objects.get(name="BONE 1")
    assert (bone_1.kpu_code, bone_1.seats, bone_1.regency.name) == ("730801", 10, "Kabupaten Bone")
    assert bone_1.province.code == "73"


def test_load_reference_data_topics_map_to_urusan():
    load()

    mapping = dict(Topic.objects.values_list("slug", "default_urusan__code"))
    assert mapping == {spec.slug: spec.urusan_code for spec in TOPICS}
    assert mapping["civil-registration"] == "2.12"
    assert Urusan.objects.get(code="2.12").parent.code == "2"


def test_load_reference_data_second_run_changes_nothing():
    load()
    before = counts()
    villages = list(Village.objects.values_list("pk", "code", "name", "kind", "subdistrict_id"))

    output = load()

    assert counts() == before
    assert list(Village.objects.values_list("pk", "code", "name", "kind", "subdistrict_id")) == (
        villages
    )
    assert output.count("0 created, 0 updated") == 8


def test_load_reference_data_updates_only_what_changed():
    load()
    Village.objects.filter(code="81.71.02.1011").update(name="Rijali Lama")

    output = load()

    assert Village.objects.get(code="81.71.02.1011").name == "Rijali"
    assert "villages: 0 created, 1 updated" in output


def test_load_reference_data_from_data_dir(data_dir):
    load("--data-dir", str(data_dir))

    assert Village.objects.count() == 1156


@pytest.mark.parametrize(
    ("file", "old", "new", "reason"),
    [
        (WILAYAH, "73.08.01.1001,", "73.08.01.10X1,", "is not a valid desa_kelurahan code"),
        (WILAYAH, "73.08,Kabupaten Bone,kabupaten_kota,73,kabupaten", "73.08,,", "fields"),
        (WILAYAH, "73.72,Kota Parepare,", "73.72,,", "no name"),
        (WILAYAH, "kabupaten_kota,73,kota", "kabupaten_kota,73,desa", "not allowed"),
        (WILAYAH, "2.03.01,desa", "2.03.01,kelurahan", "contradicts"),
        (WILAYAH, ",52.03,kecamatan", ",52.04,kecamatan", "parent of"),
        (WILAYAH, "code,name,level,parent_code,kind", "kode,nama,level", "header must be"),
        (DAPIL, "BONE 1,10,", "BONE 1,ten,", "seats must be"),
        (DAPIL, ",73.08.15;", ",73.99.15;", "not in regency"),
        (SPLIT, "81.71.02.1011", "81.71.03.1011", "is not in"),
        (URUSAN, "2.12,Administrasi", "2.1X,Administrasi", "not an urusan code"),
    ],
)  # fmt: skip
def test_load_reference_data_malformed_file_stops_with_file_line_reason(
    data_dir, file, old, new, reason
):
    path = data_dir / file
    rows = path.read_text(encoding="utf-8").splitlines()
    line = next(number for number, row in enumerate(rows, 1) if old in row)
    replace_line(path, old, new)

    with pytest.raises(CommandError) as error:
        load("--data-dir", str(data_dir))

    message = str(error.value)
    assert message.startswith(f"{path}:{line}: ")
    assert reason in message
    assert counts() == dict.fromkeys(counts(), 0)


def test_load_reference_data_incomplete_file_leaves_database_as_it_was(data_dir):
    load()
    before = counts()
    names = dict(Village.objects.values_list("code", "name"))
    # Rename one village (would be an update) and lose a Sirimau row of the split file.
    replace_line(data_dir / "wilayah.csv", ",Rijali,", ",Rijali Baru,")
    split = data_dir / "dapil-dprd-kabkota-2024-split-kecamatan.csv"
    replace_line(split, "81.71,KOTA AMBON 2,81.71.02,81.71.02.2003\n", "")

    with pytest.raises(CommandError) as error:
        load("--data-dir", str(data_dir))

    assert str(error.value) == (f"{split}: villages of '81.71.02' not assigned: ['81.71.02.2003']")
    assert counts() == before
    assert dict(Village.objects.values_list("code", "name")) == names


def test_load_reference_data_file_cut_short_is_refused(data_dir):
    path = data_dir / "wilayah.csv"
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    last_subdistrict = max(i for i, row in enumerate(rows) if ",kecamatan," in row)
    path.write_text("".join(rows[: last_subdistrict + 1]), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        load("--data-dir", str(data_dir))

    code = rows[last_subdistrict].split(",")[0]
    assert str(error.value) == (
        f"{path}:{last_subdistrict + 1}: kecamatan {code!r} has no desa_kelurahan below it"
    )
    assert counts() == dict.fromkeys(counts(), 0)


def test_load_reference_data_failure_while_writing_rolls_everything_back(data_dir):
    # The topic "civil-registration" needs urusan 2.12; without it the topics step fails
    # after the regions were written, and the transaction must undo them.
    replace_line(
        data_dir / "urusan-pemerintahan.csv",
        "2.12,Administrasi Kependudukan dan Pencatatan Sipil,2\n",
        "",
    )

    with pytest.raises(CommandError, match="unknown urusan '2.12'"):
        load("--data-dir", str(data_dir))

    assert counts() == dict.fromkeys(counts(), 0)


def test_load_reference_data_missing_file_is_named(data_dir):
    (data_dir / "urusan-pemerintahan.csv").unlink()

    with pytest.raises(CommandError, match="urusan-pemerintahan.csv: file not found"):
        load("--data-dir", str(data_dir))

    assert Province.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "zone"),
    [("11", "Asia/Jakarta"), ("21", "Asia/Jakarta"), ("31", "Asia/Jakarta"),
     ("61", "Asia/Jakarta"), ("51", "Asia/Makassar"), ("64", "Asia/Makassar"),
     ("73", "Asia/Makassar"), ("81", "Asia/Jayapura"), ("97", "Asia/Jayapura")],
)  # fmt: skip
def test_time_zone_follows_the_province_code(code, zone):
    assert time_zone_for_province(code) == zone


def test_national_file_parses_with_every_region_and_a_zone_for_each_province():
    regions = parse_regions(DATA_DIR / NATIONAL_FILE)

    assert {level: len(rows) for level, rows in regions.items()} == {
        "provinsi": 38,
        "kabupaten_kota": 514,
        "kecamatan": 7285,
        "desa_kelurahan": 83762,
    }
    zones = {time_zone_for_province(code) for code in regions["provinsi"]}
    assert zones == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
