"""SIPD-readiness: what SIPD's e-Pokir entry refuses when it is missing.

Source: what the DPRD secretariat's staff say SIPD's e-Pokir entry refuses when missing
(the product's brief; not checked against SIPD itself): the location down to the village
and the hamlet, a photo of the site, the volume with its unit, the implementing agency (by
urusan), and an estimated cost. The checklist is shown before a move to Pokir;
nothing is refused here, because the DPRD staff may complete the item in SIPD itself.
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from aspirations.attachments import is_photo


class Requirement(NamedTuple):
    """One line of the checklist: ``key``, ``label`` (what SIPD asks for) and ``met``."""

    key: str
    label: str
    met: bool


def sipd_checklist(aspiration, attachments):
    """The SIPD e-Pokir checklist of ``aspiration``: a list of ``Requirement`` in the order
    of SIPD's form. ``attachments`` are the aspiration's ``Attachment`` rows (passed in, so
    that a list of aspirations fetches them once)."""
    return [
        Requirement(
            "address",
            _("Address down to the village and hamlet"),
            bool(aspiration.village_id and aspiration.hamlet.strip()),
        ),
        Requirement("photo", _("Photo of the site"), any(is_photo(a) for a in attachments)),
        Requirement(
            "volume",
            _("Volume with its unit"),
            aspiration.volume is not None and bool(aspiration.volume_unit.strip()),
        ),
        Requirement("urusan", _("Implementing agency (urusan)"), aspiration.urusan_id is not None),
        Requirement("cost", _("Estimated cost"), aspiration.estimated_cost is not None),
    ]


def sipd_missing(aspiration, attachments):
    """The ``Requirement`` rows of ``sipd_checklist`` that are not met."""
    return [r for r in sipd_checklist(aspiration, attachments) if not r.met]
