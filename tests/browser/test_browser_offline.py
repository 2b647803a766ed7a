"""An officer without signal: entries kept on the phone, sent once when the connection
returns (also when it drops in the middle of a send), and an entry the server refuses shown
with its message beside the field. Offline is Playwright's emulation
(``context.set_offline``); the service worker runs on the live server's origin."""

import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from aspirations.models import Aspiration
from kk_portal.scoping import Role
from members.models import Member
from tests import factories as f

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/offline-shots")
KEPT_PAGES = """async () => {
  const cache = await caches.open("kk-pages");
  return (await cache.keys()).map(request => new URL(request.url).pathname).sort();
}"""
KEPT_PHOTO_SIZE = """() => new Promise(done => {
  indexedDB.open("kk-drafts").onsuccess = event => {
    const store = event.target.result.transaction("drafts").objectStore("drafts");
    store.getAll().onsuccess = async got => {
      const bitmap = await createImageBitmap(got.target.result[0].files[0].blob);
      done([bitmap.width, bitmap.height]);
    };
  };
})"""
OFFICER_PAGES = [
    "/",
    "/aspirations/",
    "/aspirations/new/",
    "/members/",
    "/members/new/",
    "/offline/",
]


@pytest.fixture
def shoot():
    """``shoot(page, name)``: a full-page screenshot in /tmp/offline-shots/."""
    SHOTS.mkdir(exist_ok=True)
    return lambda page, name: page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def officer(world):
    f.TopicFactory(name="Air bersih dan sanitasi", slug="water")
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


def _sign_in(page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ketua-mawar")
    page.fill("input[name=password]", "rahasia-123")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    # The service worker keeps the officer's pages once after signing in.
    for _ in range(60):
        if page.evaluate(KEPT_PAGES) == OFFICER_PAGES:
            return
        page.wait_for_timeout(250)
    raise AssertionError(page.evaluate(KEPT_PAGES))


def _log_aspiration(page, title, photo=None):
    page.goto("/aspirations/new/")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=description]", "Warga mengambil air 2 km jauhnya.")
    page.select_option("select[name=topic]", label="Air bersih dan sanitasi")
    page.select_option("select[name=channel]", "letter")
    if photo:
        page.set_input_files("input[name=files]", str(photo))
    page.click("form.form button[type=submit]")


def _add_member(page, name, nik=""):
    page.goto("/members/new/")
    page.fill("input[name=full_name]", name)
    page.check("input[name=sex][value=F]")
    page.fill("input[name=birth_year]", "1984")
    page.fill("input[name=nik]", nik)
    page.check("input[name=consent]")
    page.click("form.form button[type=submit]")


def _expect_waiting(page, count):
    expect(page.locator("#net .waiting-count")).to_have_text(str(count))
    expect(page.locator("#net .waiting")).to_be_visible()


def test_entries_kept_without_signal_are_sent_once_when_it_returns(
    phone, officer, world, tmp_path, shoot
):
    photo = tmp_path / "sumur.jpg"
    Image.effect_noise((3200, 2400), 40).convert("RGB").save(photo, "JPEG", quality=80)
    page = phone(service_workers="allow")
    _sign_in(page)
    # Made after the lists were kept: an offline list must not show it.
    f.AspirationFactory(group=world.group_a1, title="Dicatat oleh fasilitator")

    page.context.set_offline(True)
    _log_aspiration(page, "Sumur bor Dusun Dua", photo)
    page.locator(".notice.saved").wait_for()
    assert page.evaluate(KEPT_PHOTO_SIZE) == [1600, 1200]
    assert not page.locator(".offline-banner").is_hidden()
    shoot(page, "01-aspiration-kept-offline")
    _add_member(page, "Wa Ode Sitti")
    page.locator(".notice.saved").wait_for()
    page.reload()

    _expect_waiting(page, 2)
    assert page.locator("input[name=full_name]").input_value() == ""
    shoot(page, "02-reloaded-offline-two-waiting")
    page.goto("/aspirations/")
    assert "Dicatat oleh fasilitator" not in page.content()
    page.goto("/offline/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _drafts_listed(page) == [
        "Aspirasi Sumur bor Dusun Dua menunggu sambungan",
        "Anggota Wa Ode Sitti menunggu sambungan",
    ]
    shoot(page, "03-offline-page-lists-drafts")
    assert (Aspiration.objects.count(), Member.objects.count()) == (1, 0)

    page.context.set_offline(False)
    page.locator("#net .waiting").wait_for(state="hidden")

    aspiration = Aspiration.objects.get(title="Sumur bor Dusun Dua")
    member = Member.objects.get()
    assert member.full_name == "Wa Ode Sitti"
    assert aspiration.attachments.count() == 1
    with aspiration.attachments.get().file.open("rb") as stored:
        assert max(Image.open(stored).size) == 1600
    assert _drafts_listed(page) == ["Tidak ada yang menunggu dikirim."]
    shoot(page, "04-online-all-sent")


def test_a_send_cut_off_after_the_server_saved_it_ends_in_one_row(phone, officer, shoot):
    page = phone(service_workers="allow")
    _sign_in(page)

    def save_then_drop(route):
        route.fetch()  # the server saves the aspiration; its answer never arrives
        route.abort("connectionreset")

    page.route(
        "**/aspirations/new/",
        lambda route: (
            save_then_drop(route) if route.request.method == "POST" else route.continue_()
        ),
    )
    _log_aspiration(page, "Jalan tani Dusun Tiga")
    page.locator(".notice.saved").wait_for()
    assert Aspiration.objects.count() == 1
    _expect_waiting(page, 1)
    shoot(page, "05-send-cut-off-waiting")

    page.unroute("**/aspirations/new/")
    page.click("#net .send-now")
    page.locator("#net .waiting").wait_for(state="hidden")

    assert list(Aspiration.objects.values_list("title", flat=True)) == ["Jalan tani Dusun Tiga"]


def test_two_tabs_sending_the_same_draft_make_one_row(phone, officer):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "La Ode Hamid")
    page.locator(".notice.saved").wait_for()
    other = page.context.new_page()
    other.goto("/members/")
    _expect_waiting(other, 1)

    # Both tabs see the connection return at the same moment and send.
    page.context.set_offline(False)
    page.locator("#net .waiting").wait_for(state="hidden")
    other.locator("#net .waiting").wait_for(state="hidden")
    other.reload()

    assert list(Member.objects.values_list("full_name", flat=True)) == ["La Ode Hamid"]
    assert other.locator("#net .waiting").is_hidden()


def test_a_draft_the_server_refuses_is_shown_for_correction(phone, officer, world, shoot):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Nurhayati", nik="5271 0101 8400 0001")
    page.locator(".notice.saved").wait_for()
    # Meanwhile the facilitator registered the same NIK.
    existing = f.MemberFactory(group=world.group_a1, nik="5271010184000001")

    page.context.set_offline(False)
    page.goto("/offline/")
    page.locator("#drafts li.draft-refused").wait_for()
    assert "Anggota dengan NIK ini sudah terdaftar." in page.locator("#drafts").inner_text()
    _expect_waiting(page, 1)
    shoot(page, "06-refused-draft-listed")

    page.click("#drafts a.button")
    page.locator(".field-nik .errorlist").wait_for()
    assert page.locator(".field-nik .errorlist").inner_text() == (
        "Anggota dengan NIK ini sudah terdaftar. Buka data yang sudah ada"
    )
    # The officer sees the member the facilitator registered: the message links to her.
    link = page.locator(".field-nik .errorlist a")
    assert link.get_attribute("href") == existing.get_absolute_url()
    assert page.locator("input[name=full_name]").input_value() == "Nurhayati"
    shoot(page, "07-refused-draft-beside-field")
    page.fill("input[name=nik]", "")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/members/\d+/$"))

    assert Member.objects.filter(full_name="Nurhayati", nik=None).count() == 1
    assert page.locator("#net .waiting").is_hidden()


def test_logging_out_with_entries_waiting_asks_and_deletes_them(phone, officer):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Wa Ode Sitti")
    page.locator(".notice.saved").wait_for()
    # The connection returns, but the send does not get through.
    page.route("**/members/new/", lambda route: route.abort())
    page.context.set_offline(False)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))

    page.click("form.logout button")
    page.wait_for_url("**/accounts/login/")
    _sign_in(page)

    assert asked == [
        "Entri belum terkirim: 1. Keluar akan menghapusnya dari ponsel ini. Tetap keluar?"
    ]
    assert page.locator("#net .waiting").is_hidden()
    assert Member.objects.count() == 0


def test_a_probable_duplicate_sent_later_asks_for_the_box_then_saves(phone, officer, world):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Wa Ode Sitti")
    page.locator(".notice.saved").wait_for()
    # Meanwhile another officer registered a member of that name and birth year.
    f.MemberFactory(group=world.group_a1, full_name="Wa Ode Sitti", birth_year=1984)

    page.context.set_offline(False)
    page.goto("/offline/")
    page.click("#drafts a.button")
    page.locator(".field-different_person .errorlist").wait_for()
    page.check("input[name=different_person]")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/members/\d+/$"))

    assert Member.objects.filter(full_name="Wa Ode Sitti").count() == 2


def test_entries_kept_when_the_session_ended_are_sent_after_signing_in_again(phone, officer):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Wa Ode Sitti")
    page.locator(".notice.saved").wait_for()
    page.context.clear_cookies(name="sessionid")

    page.context.set_offline(False)
    page.locator("#net .sign-in").wait_for()
    assert Member.objects.count() == 0
    page.click("#net .sign-in")
    page.fill("input[name=username]", "ketua-mawar")
    page.fill("input[name=password]", "rahasia-123")
    page.click("form.form button[type=submit]")
    # The banner starts hidden on every page: wait for the send itself.
    for _ in range(40):
        if Member.objects.exists():
            break
        page.wait_for_timeout(250)

    assert list(Member.objects.values_list("full_name", flat=True)) == ["Wa Ode Sitti"]
    page.locator("#net .waiting").wait_for(state="hidden")


def test_a_draft_the_account_may_no_longer_send_is_kept_with_a_message(phone, officer, world):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Wa Ode Sitti")
    page.locator(".notice.saved").wait_for()
    # Meanwhile the account was made DPRD staff, who write no group's members (programme
    # staff would first be asked for their second factor).
    type(officer).objects.filter(pk=officer.pk).update(
        role=Role.DPRD, group=None, representative=world.representative
    )

    page.context.set_offline(False)
    page.goto("/offline/")
    page.locator("#drafts li.draft-refused").wait_for()

    assert "Server tidak menerima entri ini dari akun Anda." in page.locator("#drafts").inner_text()
    assert Member.objects.count() == 0


def test_a_refused_draft_is_deleted_only_by_the_user_after_confirming(phone, officer, world):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Nurhayati", nik="5271 0101 8400 0001")
    page.locator(".notice.saved").wait_for()
    f.MemberFactory(group=world.group_a1, nik="5271010184000001")
    page.context.set_offline(False)
    page.goto("/offline/")
    page.locator("#drafts li.draft-refused").wait_for()

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#drafts .delete-draft")
    _expect_waiting(page, 1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#drafts .delete-draft")

    expect(page.locator("#drafts li")).to_have_text(["Tidak ada yang menunggu dikirim."])
    assert page.locator("#net .waiting").is_hidden()
    assert Member.objects.count() == 1


NOT_SIGNED_OUT = "Anda belum keluar: tidak ada sambungan. Tekan Keluar lagi saat sinyal kembali."
SIGNED_IN = """async () => (await fetch("/members/", {redirect: "manual"})).status"""


def _drafts_listed(page):
    """The drafts the offline page lists, once it has read them from the phone."""
    page.locator("#drafts:not([aria-busy])").wait_for()
    return page.locator("#drafts li").all_inner_texts()


def _drafts_kept(page):
    page.goto("/offline/")
    return _drafts_listed(page)


def test_logging_out_without_signal_keeps_the_session_and_the_drafts(phone, officer, shoot):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Wa Ode Sitti")
    page.locator(".notice.saved").wait_for()
    told = []
    page.once("dialog", lambda dialog: (told.append(dialog.message), dialog.accept()))

    page.click("form.logout button")
    page.wait_for_timeout(500)

    assert told == [NOT_SIGNED_OUT]
    _expect_waiting(page, 1)
    assert page.locator("form.logout button").is_visible()
    assert _drafts_kept(page) == ["Anggota Wa Ode Sitti menunggu sambungan"]
    assert page.evaluate(KEPT_PAGES) == OFFICER_PAGES
    shoot(page, "08-log-out-offline-kept")
    page.context.set_offline(False)
    page.locator("#net .waiting").wait_for(state="hidden")
    assert page.evaluate(SIGNED_IN) == 200


def test_a_log_out_that_does_not_reach_the_server_deletes_nothing(phone, officer):
    page = phone(service_workers="allow")
    _sign_in(page)
    page.context.set_offline(True)
    _add_member(page, "Wa Ode Sitti")
    page.locator(".notice.saved").wait_for()
    # The phone believes it is online, but nothing gets through.
    page.route("**/members/new/", lambda route: route.abort())
    page.route("**/accounts/logout/", lambda route: route.abort())
    page.context.set_offline(False)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    page.click("form.logout button")
    page.wait_for_timeout(500)

    assert dialogs == [
        "Entri belum terkirim: 1. Keluar akan menghapusnya dari ponsel ini. Tetap keluar?",
        NOT_SIGNED_OUT,
    ]
    _expect_waiting(page, 1)
    assert page.evaluate(KEPT_PAGES) == OFFICER_PAGES
    page.unroute("**/accounts/logout/")
    assert page.evaluate(SIGNED_IN) == 200


def test_a_form_the_server_refuses_online_is_not_kept_as_a_draft(phone, officer, world, shoot):
    water = Aspiration._meta.get_field("topic").related_model.objects.get(slug="water")
    f.AspirationFactory(group=world.group_a1, title="Sumur Bor dusun dua", topic=water)
    page = phone(service_workers="allow")
    _sign_in(page)

    _add_member(page, "Nurhayati", nik="123")
    page.locator(".field-nik .errorlist").wait_for()
    shoot(page, "09-refused-online-member")

    assert page.locator("#net .waiting").is_hidden()
    assert page.locator("#net .waiting-count").inner_text() == "0"
    assert page.locator("input[name=full_name]").input_value() == "Nurhayati"
    # The duplicate guard's question is an answer of the server too.
    _log_aspiration(page, "Sumur bor Dusun Dua")
    page.locator(".field-same_need").wait_for()
    shoot(page, "10-duplicate-question-online")
    assert page.locator("#net .waiting").is_hidden()

    assert _drafts_kept(page) == ["Tidak ada yang menunggu dikirim."]
    assert (Member.objects.count(), Aspiration.objects.count()) == (0, 1)
