"""The Indonesian catalogue is complete and compiled; pages read Indonesian by default; dates
read ``17 Agustus 2024``; English (the source) stays one switch away."""

import ast
import datetime
import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests import factories as f

PO_PATH = settings.LOCALE_PATHS[0] / "id" / "LC_MESSAGES" / "django.po"


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def parse_po(path):
    """Entries of a gettext ``.po`` file as dicts, the header (empty msgid) included.

    Each dict holds ``flags`` (set of str), ``msgctxt`` (str or None), ``msgid``,
    ``msgid_plural`` (str or None) and ``msgstr`` (list of str: one item, or one per plural
    form). Obsolete entries (``#~``) are skipped. Enough for the files makemessages writes;
    polib would do the same but is not a dependency of the project.
    """
    entries, entry, key = [], None, None

    def close():
        if entry is not None and entry["msgid"] is not None:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            close()
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None}
            entry["msgstr"] = []
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[key] += text
        else:
            word, _, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            if word.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(text)
            else:
                key = word
                entry[key] = text
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(PO_PATH)
    header = next(e for e in entries if e["msgid"] == "")
    return header, [e for e in entries if e["msgid"] != ""]


def _label(entry):
    return f"{entry['msgctxt']}|{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]


def _switch(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


def test_catalogue_indonesian_has_many_entries(catalogue):
    _header, entries = catalogue

    assert len(entries) > 500


def test_catalogue_indonesian_every_entry_translated(catalogue):
    _header, entries = catalogue

    untranslated = [_label(e) for e in entries if not e["msgstr"] or not all(e["msgstr"])]

    assert untranslated == []


def test_catalogue_indonesian_no_fuzzy_entry(catalogue):
    header, entries = catalogue

    assert [_label(e) for e in entries if "fuzzy" in e["flags"]] == []
    assert "fuzzy" not in header["flags"]


def test_catalogue_indonesian_keeps_placeholders_and_tags(catalogue):
    _header, entries = catalogue

    changed = [
        (_label(e), text)
        for e in entries
        for text in e["msgstr"]
        if sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(text))
    ]

    assert changed == []


def test_catalogue_indonesian_has_one_plural_form(catalogue):
    header, entries = catalogue

    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"][0]
    assert "Language: id" in header["msgstr"][0]
    assert all(len(e["msgstr"]) == 1 for e in entries if e["msgid_plural"])


def test_compiled_catalogue_matches_po(catalogue):
    """The ``.mo`` Django reads gives every translation of the ``.po`` (not a stale build)."""
    _header, entries = catalogue
    stale = []
    with translation.override("id"):
        for e in entries:
            if e["msgid_plural"]:
                got = translation.ngettext(e["msgid"], e["msgid_plural"], 1)
            elif e["msgctxt"]:
                got = translation.pgettext(e["msgctxt"], e["msgid"])
            else:
                got = translation.gettext(e["msgid"])
            if got != e["msgstr"][0]:
                stale.append((_label(e), got))

    assert stale == []


def test_default_language_is_indonesian_in_settings():
    assert settings.LANGUAGE_CODE == "id"


def test_login_page_in_indonesian_by_default(anonymous):
    response = anonymous.get(reverse("login"))

    assert '<html lang="id">' in response.text
    assert "<h1>Masuk</h1>" in response.text
    assert "Lupa kata sandi?" in response.text
    assert "Sign in" not in response.text


def test_login_page_in_english_after_switch(anonymous):
    _switch(anonymous, "en")

    response = anonymous.get(reverse("login"))

    assert '<html lang="en">' in response.text
    assert "<h1>Sign in</h1>" in response.text
    assert "Masuk" not in response.text


def test_aspiration_list_in_indonesian_by_default(officer, world):
    f.AspirationFactory(
        group=world.group_a1, title="Air bersih Dusun Satu", raised_on=datetime.date(2024, 8, 17)
    )

    response = officer.get(reverse("aspirations:list"))

    assert "17 Agustus 2024 · " in response.text
    assert '</span> tercatat<span class="visually-hidden"> (tahap 1 dari 8)' in response.text
    assert "1 aspirasi" in response.text
    assert ">Keluar<" in response.text
    assert "Catat aspirasi" in response.text


def test_aspiration_list_in_english_after_switch(officer, world):
    f.AspirationFactory(
        group=world.group_a1, title="Air bersih Dusun Satu", raised_on=datetime.date(2024, 8, 17)
    )
    _switch(officer, "en")

    response = officer.get(reverse("aspirations:list"))

    assert "17 August 2024 · " in response.text
    assert '</span> recorded<span class="visually-hidden"> (step 1 of 8)' in response.text
    assert "1 aspiration" in response.text
    assert "tercatat" not in response.text


def test_aspiration_detail_stage_and_since_in_indonesian(officer, world):
    aspiration = f.AspirationFactory(
        group=world.group_a1, title="Air bersih Dusun Satu", raised_on=datetime.date(2024, 8, 17)
    )

    response = officer.get(aspiration.get_absolute_url())

    assert "tercatat" in response.text
    assert "sejak 17 Agustus 2024" in response.text
    assert "Riwayat" in response.text


def test_member_form_error_in_indonesian_beside_field(officer, world):
    data = {
        "submission_token": str(uuid.uuid4()),
        "full_name": "Sumiyati",
        "sex": "F",
        "birth_year": "1980",
        "nik": "12345",
        "phone": "0812-3456-7890",
        "position": "member",
        "consent": "on",
    }

    response = officer.post(reverse("members:create"), data)

    assert response.context["form"].errors["nik"] == [
        "NIK terdiri dari 16 angka; yang ini 5 angka."
    ]
    assert 'value="Sumiyati"' in response.text


def test_home_dashboard_nav_in_indonesian(facilitator):
    response = facilitator.get(reverse("home"))

    assert ">Beranda<" in response.text
    assert ">Dasbor<" in response.text
    assert "Kelompok di Kabupaten Alfa" in response.text


def test_select_blank_choice_in_indonesian(officer):
    """Django 6.1's blank choice label has no Indonesian in Django; the project gives one."""
    response = officer.get(reverse("aspirations:create"))

    assert "- Pilih salah satu -" in response.text
    assert "Select an option" not in response.text


def test_server_error_page_in_indonesian(rf):
    """Django's own 500 page is English only; ours reads Indonesian by default."""
    from django.views.defaults import server_error

    with translation.override("id"):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert '<html lang="id">' in response.content.decode()
    assert "Terjadi kesalahan" in response.content.decode()
    assert "Kembali ke beranda" in response.content.decode()
