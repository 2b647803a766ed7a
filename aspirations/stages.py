"""The aspiration's way: one definition of the stages, used everywhere.

Source: DESIGN.md, "The aspiration's way". Ranks 1-8 run forward; Musrenbang kabupaten/kota
and Pokir share rank 5. ``not accommodated`` and ``withdrawn`` close an aspiration beside
the way, remembering the stage where it stopped.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    RECORDED = "recorded", pgettext_lazy("stage", "recorded")
    CONVEYED = "conveyed", pgettext_lazy("stage", "conveyed")
    MUSRENBANG_DESA = "musrenbang_desa", _("Musrenbang desa")
    MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", _("Musrenbang kecamatan")
    MUSRENBANG_KABKOTA = "musrenbang_kabkota", _("Musrenbang kabupaten/kota")
    POKIR = "pokir", _("Pokir DPRD")
    PLANNED = "planned", pgettext_lazy("stage", "planned (RKPDes/RKPD)")
    BUDGETED = "budgeted", pgettext_lazy("stage", "budgeted (APBDes/APBD)")
    REALISED = "realised", pgettext_lazy("stage", "realised")
    NOT_ACCOMMODATED = "not_accommodated", pgettext_lazy("stage", "not accommodated")
    WITHDRAWN = "withdrawn", pgettext_lazy("stage", "withdrawn")


RANK = {
    Stage.RECORDED: 1,
    Stage.CONVEYED: 2,
    Stage.MUSRENBANG_DESA: 3,
    Stage.MUSRENBANG_KECAMATAN: 4,
    Stage.MUSRENBANG_KABKOTA: 5,
    Stage.POKIR: 5,
    Stage.PLANNED: 6,
    Stage.BUDGETED: 7,
    Stage.REALISED: 8,
}

#: Stages on the way, in order (rank 5 holds two).
FORWARD = tuple(RANK)
#: Stages that close an aspiration beside the way.
CLOSED = (Stage.NOT_ACCOMMODATED, Stage.WITHDRAWN)
#: Stages at which an aspiration still waits for something to happen.
OPEN = tuple(s for s in FORWARD if s != Stage.REALISED)
#: Finished: realised or closed.
DONE = (Stage.REALISED, *CLOSED)
#: Planning forums (the funnel's third step): any Musrenbang or Pokir.
PLANNING_FORUM = (
    Stage.MUSRENBANG_DESA,
    Stage.MUSRENBANG_KECAMATAN,
    Stage.MUSRENBANG_KABKOTA,
    Stage.POKIR,
)

#: The funnel's steps, cumulative by furthest rank reached (DESIGN.md):
#: recorded ⊇ conveyed ⊇ in a planning forum ⊇ planned ⊇ budgeted ⊇ realised.
FUNNEL_STEPS = (
    ("recorded", _("recorded"), 1),
    ("conveyed", _("conveyed"), 2),
    ("planning_forum", _("in a planning forum"), 3),
    ("planned", _("planned"), 6),
    ("budgeted", _("budgeted"), 7),
    ("realised", _("realised"), 8),
)


def rank(stage):
    """Rank 1-8 of a forward stage; ``None`` for a closed one."""
    return RANK.get(Stage(stage))


class ResesResponse(models.TextChoices):
    """A representative's response to an aspiration on a reses agenda (DESIGN.md, "The
    aspiration's way"): only "taken into Pokir" and "forwarded" imply a stage
    (``RESPONSE_STAGES``); the others are events without a move."""

    POKIR = "pokir", _("taken into Pokir")
    FORWARDED = "forwarded", _("forwarded to an agency")
    ANSWERED = "answered", _("answered on the spot")
    NOT_TAKEN_UP = "not_taken_up", _("not taken up")


#: The stage a reses response moves an aspiration to, where it implies one.
RESPONSE_STAGES = {ResesResponse.POKIR: Stage.POKIR, ResesResponse.FORWARDED: Stage.CONVEYED}
