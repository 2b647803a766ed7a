"""A facilitator on a phone imports members, and the attendance of a reses meeting: upload,
preview with a row to choose, confirm, summary; every page fits 360 pixels."""

import datetime
import zoneinfo

import pytest

from kk_portal.scoping import Role
from members.models import Member
from reses.models import ResesAttendance
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_browser_facilitator_uploads_previews_chooses_and_confirms(phone, shot, world, tmp_path):
    f.UserFactory(username="fasilitator-alfa", role=Role.FACILITATOR, regency=world.regency_a)
    for nik in ("9471024506880007", "9471024506880015"):
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik, birth_year=None)
    sheet = tmp_path / "anggota-kk-mawar.csv"
    sheet.write_text(
        "\ufeffnama;jenis_kelamin;hp;miskin\r\n"
        "Hj. Nurhayati Daeng Ngai, S.Pd.;P;0812-3456-7890;Ya\r\n"
        "Sumiyati;Perempuan;;\r\n"
        "Yohanis Wenda;L;;Tidak\r\n",
        encoding="utf-8",
    )

    page = phone()
    sign_in(page, "fasilitator-alfa")
    page.click("nav.menu a[href='/imports/']")
    page.click("a[href='/imports/new/']")
    page.select_option("select[name=group]", label="KK Mawar")
    page.set_input_files("input[name=file]", str(sheet))
    page.check("input[name=consent]")
    assert fits(page)
    shot(page, "imports-01-upload")
    page.click("form.form button[type=submit]")

    page.wait_for_selector("p.summary")
    summary = page.locator("p.summary").inner_text()
    assert summary == (
        "Pratinjau: 2 akan dibuat, 0 akan diperbarui, 0 tidak berubah, 0 bergalat, 1 perlu dipilih."
    )
    assert "2 anggota cocok" in page.locator("li.import-ambiguous").inner_text()
    assert page.locator("form[action$='/confirm/']").count() == 0
    assert fits(page)
    shot(page, "imports-02-preview-ambiguous")

    page.select_option("li.import-ambiguous select", index=1)
    page.click("text=Simpan pilihan")
    page.wait_for_selector("form[action$='/confirm/'] button")
    assert page.locator("form[action$='/confirm/'] button").inner_text() == "Impor 3 baris"
    shot(page, "imports-03-chosen")
    page.click("form[action$='/confirm/'] button")

    page.wait_for_selector("p.msg-success")
    assert page.locator("p.msg-success").inner_text() == (
        "Diimpor: 2 dibuat, 1 diperbarui, 0 tidak berubah, 0 dilewati."
    )
    assert fits(page)
    shot(page, "imports-04-summary")
    assert sorted(Member.objects.values_list("full_name", "phone")) == [
        ("Hj. Nurhayati Daeng Ngai, S.Pd.", "+6281234567890"),
        ("Sumiyati", ""),
        ("Yohanis Wenda", ""),
        ("Yohanis Wenda", ""),
    ]


def test_browser_progress_bar_follows_a_running_preview_and_the_page_shows_it_when_done(
    phone, shot, world
):
    user = f.UserFactory(
        username="fasilitator-alfa", role=Role.FACILITATOR, regency=world.regency_a
    )
    job = f.ImportJobFactory(
        created_by=user,
        regency=world.regency_a,
        group=world.group_a1,
        status="previewing",
        total=20000,
        done=4000,
    )

    page = phone()
    sign_in(page, "fasilitator-alfa")
    page.goto(job.get_absolute_url())
    assert page.locator("progress").get_attribute("value") == "4000"
    shot(page, "imports-05-progress")
    type(job).objects.filter(pk=job.pk).update(done=12000)
    page.wait_for_selector(".progress-text:text('12000 dari 20000 baris dibaca')")
    assert page.locator("progress").evaluate("bar => bar.value") == 12000
    type(job).objects.filter(pk=job.pk).update(status="previewed", done=20000, created=20000)

    page.wait_for_selector("p.summary")
    assert page.locator("p.summary").inner_text().startswith("Pratinjau: 20000 akan dibuat")


def test_browser_facilitator_imports_a_reses_attendance_sheet_choosing_one_yohanis_wenda(
    phone, shot, world, tmp_path
):
    f.UserFactory(username="fasilitator-alfa", role=Role.FACILITATOR, regency=world.regency_a)
    meeting = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        reses_period="Reses II 2024",
        starts_at=datetime.datetime(2024, 8, 17, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar")),
    )
    wendas = [
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik, sex="M")
        for nik in ("9471024506880007", "9471024506880015")
    ]
    sheet = tmp_path / "hadir-reses.csv"
    sheet.write_text(
        "nama;nik;jenis_kelamin\r\nYohanis Wenda;;\r\nIbu Kepala Desa;;P\r\n", encoding="utf-8"
    )

    page = phone()
    sign_in(page, "fasilitator-alfa")
    page.goto("/imports/new/")
    page.select_option("select[name=kind]", value="reses_attendance")
    page.select_option("select[name=meeting]", value=str(meeting.pk))
    page.set_input_files("input[name=file]", str(sheet))
    page.check("input[name=consent]")
    page.click("form.form button[type=submit]")

    page.wait_for_selector("p.summary")
    assert page.locator("p.summary").inner_text() == (
        "Pratinjau: 1 akan dibuat, 0 akan diperbarui, 0 tidak berubah, 0 bergalat, 1 perlu dipilih."
    )
    assert "2 anggota cocok" in page.locator("li.import-ambiguous").inner_text()
    assert fits(page)
    shot(page, "imports-06-reses-attendance-ambiguous")

    page.select_option("li.import-ambiguous select", value=str(wendas[1].pk))
    page.click("text=Simpan pilihan")
    page.wait_for_selector("form[action$='/confirm/'] button")
    page.click("form[action$='/confirm/'] button")

    page.wait_for_selector("p.msg-success")
    assert page.locator("p.msg-success").inner_text() == (
        "Diimpor: 2 dibuat, 0 diperbarui, 0 tidak berubah, 0 dilewati."
    )
    page.goto(meeting.get_absolute_url())
    assert page.locator("ul.attendees").inner_text().splitlines() == [
        "Ibu Kepala Desa tamu",
        "Yohanis Wenda anggota · KK Mawar",
    ]
    assert fits(page)
    shot(page, "imports-07-reses-meeting-attendance")
    assert sorted(ResesAttendance.objects.values_list("member_id", flat=True), key=str) == sorted(
        [None, wendas[1].pk], key=str
    )


def test_browser_the_preview_lists_each_rows_values_and_an_abandoned_preview_is_deleted(
    phone, shot, world, tmp_path
):
    f.UserFactory(username="fasilitator-alfa", role=Role.FACILITATOR, regency=world.regency_a)
    f.MemberFactory(
        group=world.group_a1, full_name="Sumiyati", nik="9471024506880007", is_poor=False
    )
    sheet = tmp_path / "anggota-panjang.csv"
    sheet.write_text(
        "nama,jenis_kelamin,nik,hp,miskin,tanggal_bergabung,alamat\r\n"
        "Sumiyati,P,9471024506880007,,Ya,,\r\n"
        "Hj. Nurhayati Daeng Ngai S.Pd.,Wanita,,0812-3456-7890,Ya,01/03/2015,"
        "Dusun Oelnasi RT 003 / RW 001 dekat masjid Nurul Iman\r\n",
        encoding="utf-8",
    )

    page = phone()
    sign_in(page, "fasilitator-alfa")
    page.goto("/imports/new/")
    page.select_option("select[name=group]", label="KK Mawar")
    page.set_input_files("input[name=file]", str(sheet))
    page.check("input[name=consent]")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("p.summary")

    update = page.locator("li.import-update").inner_text()
    create = page.locator("li.import-create").inner_text()
    assert "Miskin: Tidak → Ya" in update
    assert "Jenis kelamin: Perempuan" in create and "Tanggal bergabung: 1 Maret 2015" in create
    assert fits(page)
    shot(page, "imports-06-preview-values")

    page.click("nav.menu a[href='/imports/']")
    assert "anggota-panjang.csv" in page.locator("ul.import-jobs").inner_text()
    assert "WITA" in page.locator("ul.import-jobs").inner_text()
    assert fits(page)
    shot(page, "imports-07-list")
    page.click("text=anggota-panjang.csv")
    page.click("text=Hapus impor ini")
    assert fits(page)
    shot(page, "imports-08-delete")
    page.click("button:text('Hapus impor')")

    page.wait_for_selector("ul.import-jobs")
    assert "anggota-panjang.csv dihapus" in page.inner_text("main")
    assert "anggota-panjang.csv" not in page.locator("ul.import-jobs").inner_text()
