"""SIPD-readiness: the checklist of what SIPD's e-Pokir refuses when missing, on the move
page before Pokir and on the aspiration's page; the edit form fills it in."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from aspirations.attachments import attachment_store
from aspirations.models import Aspiration
from aspirations.sipd import sipd_checklist, sipd_missing
from tests import factories as f
from tests.helpers import resubmit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (40, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("lokasi.jpg", buffer.getvalue(), "image/jpeg")


def test_a_new_aspiration_misses_all_but_the_agency(world):
    aspiration = f.AspirationFactory(group=world.group_a1)

    missing = [r.key for r in sipd_missing(aspiration, [])]

    assert missing == ["address", "photo", "volume", "cost"]


def test_a_complete_aspiration_misses_nothing(world):
    aspiration = f.AspirationFactory(
        group=world.group_a1,
        hamlet="Dusun Dua, RT 03",
        volume=Decimal("300"),
        volume_unit="meter",
        estimated_cost=Decimal("150000000"),
    )
    photo = attachment_store(aspiration=aspiration, upload=_photo(), actor=None)

    assert [r.met for r in sipd_checklist(aspiration, [photo])] == [True] * 5


def test_a_volume_without_its_unit_is_missing(world):
    aspiration = f.AspirationFactory(group=world.group_a1, volume=Decimal("2"))

    assert "volume" in [r.key for r in sipd_missing(aspiration, [])]


def test_move_page_shows_the_checklist_before_pokir_with_the_missing_highlighted(officer, world):
    aspiration = f.AspirationFactory(group=world.group_a1, hamlet="Dusun Dua")

    response = officer.get(reverse("aspirations:move", args=[aspiration.pk]), {"to": "pokir"})

    text = response.content.decode()
    assert [(r.key, r.met) for r in response.context["checklist"]] == [
        ("address", True),
        ("photo", False),
        ("volume", False),
        ("urusan", True),
        ("cost", False),
    ]
    assert text.count('class="missing"') == 3


def test_move_page_of_another_stage_has_no_checklist(officer, world):
    aspiration = f.AspirationFactory(group=world.group_a1, hamlet="Dusun Dua")

    response = officer.get(reverse("aspirations:move", args=[aspiration.pk]), {"to": "conveyed"})

    assert response.context["checklist"] == ()
    assert 'class="missing"' not in response.content.decode()


def test_edit_form_records_hamlet_volume_and_cost_typed_the_indonesian_way(officer, world):
    aspiration = f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 8, 17))
    url = reverse("aspirations:edit", args=[aspiration.pk])
    form = officer.get(url)

    response = officer.post(
        url,
        resubmit(
            form,
            hamlet="Dusun Dua",
            volume="300",
            volume_unit="meter",
            estimated_cost="150.000.000",
        ),
    )

    assert response.status_code == 302
    saved = Aspiration.objects.get(pk=aspiration.pk)
    assert (saved.hamlet, saved.volume, saved.volume_unit, saved.estimated_cost) == (
        "Dusun Dua",
        Decimal("300.00"),
        "meter",
        Decimal("150000000.00"),
    )
    assert "Rp 150.000.000" in officer.get(saved.get_absolute_url()).content.decode()


def test_officer_shows_an_aspiration_on_the_public_tracker_after_confirming(officer, world):
    aspiration = f.AspirationFactory(group=world.group_a1)
    page = officer.get(aspiration.get_absolute_url()).content.decode()

    response = officer.post(
        reverse("aspirations:set_public", args=[aspiration.pk]), {"public": "1"}
    )

    assert "Show this aspiration on the public tracker?" in page
    assert response.status_code == 302
    assert Aspiration.objects.get(pk=aspiration.pk).is_public is True
    assert officer.get(reverse("tracker:detail", args=[aspiration.pk])).status_code == 200
    officer.post(reverse("aspirations:set_public", args=[aspiration.pk]), {"public": "0"})
    assert Aspiration.objects.get(pk=aspiration.pk).is_public is False


def test_an_aspiration_about_protection_is_never_made_public(officer, world):
    aspiration = f.AspirationFactory(
        group=world.group_a1,
        topic=f.TopicFactory(slug="women-children-protection", name="Perlindungan"),
    )

    officer.post(reverse("aspirations:set_public", args=[aspiration.pk]), {"public": "1"})

    assert Aspiration.objects.get(pk=aspiration.pk).is_public is False
    assert (
        "Show on the public tracker"
        not in officer.get(aspiration.get_absolute_url()).content.decode()
    )
