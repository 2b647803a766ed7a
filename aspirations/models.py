"""Aspirations (aspirasi/usulan), their timeline, the Musrenbang forums and budget outcomes."""

import datetime
import re
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aspirations import duplicates
from aspirations.stages import CLOSED, FORWARD, FUNNEL_STEPS, OPEN, RANK, ResesResponse, Stage
from aspirations.topics import PROTECTION_SLUG
from groups.models import ConstituentGroup, Regency, Subdistrict, Village
from kk_portal.formats import NOT_FILLED_KEY
from kk_portal.permissions import GROUP_WRITERS, Rule, writable
from kk_portal.scoping import Role, ScopedQuerySet

#: Rupiah amounts: 20 digits with 2 decimals hold 10^18 Rupiah, far above the national
#: budget (APBN 2025: about Rp 3.6 × 10^15).
MONEY = {"max_digits": 20, "decimal_places": 2}

#: PostgreSQL's text search configuration for Indonesian (Snowball's Indonesian stemmer,
#: Tala 2003, in PostgreSQL since 12): "memperbaiki", "perbaikan" and "diperbaiki" all become
#: the lexeme ``baik``. The GIN index ``aspiration_search`` (migration 0006) is built on
#: exactly ``SearchVector("title", "description", config=SEARCH_CONFIG)``.
SEARCH_CONFIG = "indonesian"
#: At most this many words of a search are used, each cut to this many characters (a longer
#: word is refused by ``to_tsquery``; a cut word is still a prefix of what was meant).
SEARCH_WORDS, SEARCH_WORD_LENGTH = 10, 100


class UrusanQuerySet(models.QuerySet):
    def bidang(self):
        """The bidang urusan (codes ``1.03``, ``2.12``…), which an aspiration is routed to
        and an agency (OPD) carries out; the six groups (codes ``1`` to ``6``, "Urusan
        Pemerintahan Wajib …") are only their headings (Permendagri 90/2019, Lampiran I)."""
        return self.filter(code__contains=".")


class Urusan(models.Model):
    """Urusan pemerintahan (Permendagri 90/2019): group ``1`` or bidang ``1.03``."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    objects = UrusanQuerySet.as_manager()

    class Meta:
        verbose_name = _("urusan")
        verbose_name_plural = _("urusan")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Topic(models.Model):
    """What officers pick; each maps to a default urusan that staff can change."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    default_urusan = models.ForeignKey(
        Urusan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default urusan"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Channel(models.TextChoices):
    RESES = "reses", _("reses")
    FACE_TO_FACE = "face_to_face", _("face to face")
    LETTER = "letter", _("letter")
    PHONE = "phone", _("phone")
    MESSAGE = "message", _("message (SMS/WhatsApp)")
    MUSRENBANG = "musrenbang", _("Musrenbang")


class Beneficiary(models.TextChoices):
    """Who an aspiration benefits (DESIGN.md): each has its flag ``benefits_<value>`` on
    ``Aspiration``. The label is the one wording of forms, pages, dashboards and exports."""

    WOMEN = "women", _("women")
    MEN = "men", _("men")
    POOR = "poor", _("the poor")
    DISABILITY = "disability", _("people with disability")

    @property
    def flag(self):
        """The ``Aspiration`` field that says the aspiration benefits them."""
        return f"benefits_{self.value}"

    @property
    def benefits_label(self):
        """ "benefits women", "benefits the poor" …: the flag's name in forms and exports."""
        return format_lazy(_("benefits {who}"), who=self.label)


def reached_q(step):
    """``Q`` of aspirations that reached funnel step ``step`` (a ``FUNNEL_STEPS`` key): the
    furthest rank at least the step's rank, so that the funnel counts cumulatively
    (DESIGN.md, "The aspiration's way"). Raises ``KeyError`` for an unknown step."""
    return Q(furthest_rank__gte={key: rank for key, _label, rank in FUNNEL_STEPS}[step])


def benefiting_q(key):
    """``Q`` of aspirations benefiting ``key`` (a ``Beneficiary`` value), or, for
    ``NOT_FILLED_KEY``, naming no one. Raises ``ValueError`` for an unknown key."""
    if key == NOT_FILLED_KEY:
        return Q(**dict.fromkeys((b.flag for b in Beneficiary), False))
    return Q(**{Beneficiary(key).flag: True})


def summary_columns():
    """The counts the dashboard keeps per cell of aspirations, in order, each with its
    condition (a ``Q``, ``None`` for every row): the funnel steps (``reached_q``), the two
    closing stages, the beneficiaries (``benefit_<key>``, ``benefit_none`` for no one named,
    ``benefiting_q``) and the closed rows by the stage where they stopped
    (``stop_<closing stage>_<stopped-at stage or none>``)."""
    columns = {key: None if rank == 1 else reached_q(key) for key, _label, rank in FUNNEL_STEPS}
    columns.update({stage.value: Q(stage=stage) for stage in CLOSED})
    for key in [*Beneficiary.values, NOT_FILLED_KEY]:
        columns[f"benefit_{key}"] = benefiting_q(key)
    for stage in CLOSED:
        for stopped in [*(s.value for s in FORWARD), NOT_FILLED_KEY]:
            stopped_at = "" if stopped == NOT_FILLED_KEY else stopped
            columns[f"stop_{stage.value}_{stopped}"] = Q(stage=stage, stopped_at=stopped_at)
    return columns


class AddressedLevel(models.TextChoices):
    REPRESENTATIVE = "representative", _("a representative")
    VILLAGE = "village", _("village government")
    REGENCY = "regency", _("regency government")
    PROVINCE = "province", _("provincial government")
    NATIONAL = "national", _("national government")


class AspirationQuerySet(ScopedQuerySet):
    group_path = "group"
    regency_path = "group__village__subdistrict__regency"
    #: "change": edit the aspiration, attach files, correct the stage or carry it over.
    #: "move": record a step on its way. DPRD staff may too, for the aspirations they see
    #: (addressed to their representative or in the district), but only the steps of the
    #: DPRD's own work (``services.DPRD_STAGES``; issue 13).
    #: "move_many": record one step for many aspirations at once from the list (one date and
    #: one document, e.g. the Pokir document): the staff who follow many groups —
    #: facilitators, administrators and DPRD staff. Officers move their group's aspirations
    #: one by one. Each row moved must also be ``"move"``-able by the user.
    write_rules = {
        "change": GROUP_WRITERS,
        "move": Rule(Role.OFFICER, Role.FACILITATOR, Role.ADMIN, Role.DPRD),
        "move_many": Rule(Role.FACILITATOR, Role.ADMIN, Role.DPRD),
    }

    def dprd_q(self, representative_id):
        """Addressed to the representative, or concerning a village of their district.

        Written as ``pk IN (… UNION …)`` rather than an OR of the two conditions: each
        branch then uses its own index, where the OR scans every aspiration (PostgreSQL,
        two million rows: 20 ms instead of 560 ms; bench/RESULTS.md).
        """
        return Q(pk__in=dprd_aspiration_ids(representative_id))

    def whole_regencies(self, user):
        """The regencies of which ``user`` sees every counted aspiration concerning one of
        their villages, and the ``Q`` of the other aspirations ``user`` sees (those
        concerning a village elsewhere): ``(regency ids, Q or None)``. ``(None, None)`` when
        ``user`` sees every aspiration; ``([], None)`` when no regency is whole to them.

        The dashboard's summary cells are per regency of the village concerned
        (``dashboards.summaries.usable``): such a scope is those regencies' cells plus the
        other rows, counted from the aspirations. Facilitators: their regency, unless some
        group of another regency raised an aspiration concerning one of its villages (they
        see their groups' aspirations, wherever the village); ONE query. DPRD staff: the
        regencies all of whose villages lie in the representative's district (every
        aspiration concerning them is in the DPRD scope, ``dprd_q``); ONE query. Others:
        none.
        """
        q = self.scope_q(user)
        if q == Q():
            return None, None
        if q is None:
            return [], None
        if user.role == Role.FACILITATOR:
            # The ids of the regency's villages and groups (a few hundred each), read first:
            # with subqueries in their place PostgreSQL walks every village to find them.
            villages = list(
                Village.objects.filter(subdistrict__regency=user.regency_id).values_list(
                    "pk", flat=True
                )
            )
            groups = ConstituentGroup.objects.filter(village__in=villages).values_list(
                "pk", flat=True
            )
            strangers = Aspiration.objects.counted().filter(village__in=villages)
            if strangers.exclude(group__in=groups).exists():
                return [], None
            return [user.regency_id], q & ~Q(village__in=villages)
        if user.role == Role.DPRD:
            represented = Village.objects.represented_by(user.representative_id)
            touched = Village.objects.filter(pk__in=represented).values("subdistrict__regency")
            regencies = [
                row["subdistrict__regency"]
                for row in Village.objects.filter(subdistrict__regency__in=touched)
                .order_by()
                .values("subdistrict__regency")
                .annotate(
                    villages=models.Count("pk"),
                    represented=models.Count("pk", filter=Q(pk__in=represented)),
                )
                .order_by("subdistrict__regency")
                if row["villages"] == row["represented"]
            ]
            if not regencies:
                return [], None
            rest = dprd_aspiration_ids(user.representative_id, outside=regencies)
            return regencies, Q(pk__in=rest)
        return [], None

    def open(self):
        """Still on the way: not realised, not closed."""
        return self.exclude(stage__in=[Stage.REALISED, *CLOSED])

    def waiting(self, today, days=None):
        """Open aspirations whose stage has not changed for ``days`` days (default
        ``settings.STALE_ASPIRATION_DAYS``, 60) on the date ``today`` (the group's date):
        what waits for the group's officers."""
        days = settings.STALE_ASPIRATION_DAYS if days is None else days
        cutoff = today - datetime.timedelta(days=days)
        return self.filter(stage__in=OPEN, stage_changed_on__lte=cutoff)

    def in_regency(self, regency):
        return self.filter(village__subdistrict__regency=regency)

    def reached(self, step):
        """Aspirations that reached funnel step ``step`` (``reached_q``)."""
        return self.filter(reached_q(step))

    def benefiting(self, key):
        """Aspirations benefiting ``key`` (``benefiting_q``)."""
        return self.filter(benefiting_q(key))

    def counted(self):
        """Each need once: linked duplicates (``duplicate_of`` set) left out. THE rule of
        the funnel and the money (dashboards, summaries, scorecards, the public tracker): a
        need raised twice through two channels counts once, as its first record."""
        return self.filter(duplicate_of__isnull=True)

    def public(self):
        """What the public tracker shows and counts: marked public by the group
        (``is_public``), counted once (``counted``), and never about protection of women
        and children (``topics.PROTECTION_SLUG``), whose stories are confidential."""
        return self.counted().filter(is_public=True).exclude(topic__slug=PROTECTION_SLUG)

    def went_through(self, stage):
        """Aspirations whose timeline has a move to ``stage`` (a ``Stage`` value), whether
        or not they are still there or went further (e.g. "reached Pokir")."""
        moves = AspirationEvent.objects.filter(
            kind__in=[EventKind.MOVE, EventKind.CREATED], to_stage=stage
        )
        return self.filter(pk__in=moves.values("aspiration"))

    def heard_by(self, representative_id):
        """Aspirations addressed to the representative or put on the agenda of one of their
        reses meetings (``reses.AgendaItem``, reached through its reverse relation)."""
        on_agenda = Aspiration.objects.filter(
            agenda_items__meeting__representative=representative_id
        ).values("pk")
        return self.filter(Q(representative=representative_id) | Q(pk__in=on_agenda))

    def responded_by(self, representative_id):
        """Aspirations the representative answered at one of their reses meetings: an agenda
        item (``reses.AgendaItem``, reached through its reverse relation) with a response
        recorded. Each aspiration once, however many meetings answered it."""
        # One filter() call: both conditions hold for the same agenda item.
        answered = Aspiration.objects.filter(
            agenda_items__meeting__representative=representative_id,
            agenda_items__response__in=ResesResponse.values,
        ).values("pk")
        return self.filter(pk__in=answered)

    def search(self, text, *, ranked=True):
        """Aspirations matching every word of ``text`` in their title, description, village
        name or topic name; ``self`` unchanged for a blank ``text``.

        On PostgreSQL full-text search with ``SEARCH_CONFIG``: each word is stemmed and
        matched as a prefix (``perbaik`` and ``memperbaiki`` both find "Perbaikan jalan"),
        words are split as PostgreSQL splits text (``Ma'ruf`` is ``ma`` and ``ruf``), and the
        rows come ranked (``search_rank``, ``SearchRank``: title above description above village and
        topic), best first. Elsewhere (SQLite) each word is a case-insensitive substring
        (ASCII letters only fold case) and the rows keep their order (newest first unless
        sorted); ``search_rank`` is not set. With ``ranked=False`` PostgreSQL's rows keep
        their order too and get no ``search_rank`` (a list sorting by its own keys needs no
        join of every match to its village and topic for a rank it does not show).
        """
        if connections[self.db].vendor != "postgresql":
            words = (text or "").split()[:SEARCH_WORDS]
            if not words:
                return self
            q = Q()
            for word in words:
                q &= (
                    Q(title__icontains=word)
                    | Q(description__icontains=word)
                    | Q(village__name__icontains=word)
                    | Q(topic__name__icontains=word)
                )
            return self.filter(q)
        # Letters and digits only: the words are put in a raw tsquery, where quotes and
        # operators typed by people would be syntax.
        words = [w[:SEARCH_WORD_LENGTH] for w in re.findall(r"[^\W_]+", text or "")]
        if not words:
            return self
        terms = [f"'{word}':*" for word in words[:SEARCH_WORDS]]
        rows = self.alias(
            search_own=SearchVector("title", "description", config=SEARCH_CONFIG)
        ).filter(_matching_q(terms))
        if not ranked:
            return rows
        document = (
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("description", weight="B", config=SEARCH_CONFIG)
            + SearchVector("village__name", "topic__name", weight="C", config=SEARCH_CONFIG)
        )
        # Ranked on any of the words: every row holds all of them, the rank says where.
        ranked_on = SearchQuery(" | ".join(terms), search_type="raw", config=SEARCH_CONFIG)
        return rows.annotate(search_rank=SearchRank(document, ranked_on)).order_by(
            "-search_rank", "-pk"
        )

    def similar_to(self, title, *, village, topic, exclude_pk=None):
        """Probable duplicates of a new aspiration titled ``title`` about ``village`` and
        ``topic``: the open aspirations of that village and topic, counted once, whose folded
        titles (``aspirations.duplicates.fold``) are at least
        ``duplicates.SIMILARITY`` alike. A list of ``(aspiration, similarity 0-1)``, most
        alike first. One query; the comparison runs in Python, so SQLite works as
        PostgreSQL does (a village holds tens of open aspirations of one topic)."""
        candidates = self.open().counted().filter(village=village, topic=topic)
        if exclude_pk is not None:
            candidates = candidates.exclude(pk=exclude_pk)
        return duplicates.probable(title, candidates)


def _matching_q(terms):
    """The condition on the aspirations' ``search_own`` alias (their title and description)
    that holds where each tsquery term of ``terms`` (``"'jalan':*"``) matches the title,
    the description, the village's name or the topic's name.

    The villages and topics the terms name are looked up first (one small query for all the
    terms). Terms naming none must be in the title or description: they are joined into one
    tsquery (``'usulan':* & '12345':*``), so a single scan of the GIN index
    ``aspiration_search`` intersects them and a word every title holds costs nothing beside
    a rare one (issue 14: one semi-join per word of every aspiration holding it took 5.1 s
    for "Usulan 12345" at two million rows). A term that names places or topics is one
    condition ``title/description OR village OR topic``; PostgreSQL combines its branches
    from their indexes.
    """
    queries = [SearchQuery(term, search_type="raw", config=SEARCH_CONFIG) for term in terms]
    branches = [
        _named(model, query)
        .annotate(term=Value(index), table=Value(key))
        .order_by()
        .values_list("term", "table", "pk")
        for index, query in enumerate(queries)
        for key, model in (("village", Village), ("topic", Topic))
    ]
    named = defaultdict(list)
    for index, key, pk in branches[0].union(*branches[1:], all=True).order_by():
        named[index, key].append(pk)
    own_terms = []
    condition = Q()
    for index, (term, query) in enumerate(zip(terms, queries, strict=True)):
        villages, topics = named[index, "village"], named[index, "topic"]
        if not villages and not topics:
            own_terms.append(term)
            continue
        either = Q(search_own=query)
        if villages:
            either |= Q(village__in=villages)
        if topics:
            either |= Q(topic__in=topics)
        condition &= either
    if own_terms:
        condition &= Q(
            search_own=SearchQuery(" & ".join(own_terms), search_type="raw", config=SEARCH_CONFIG)
        )
    return condition


def _named(model, query):
    """The rows of ``model`` (villages, topics) whose ``name`` matches the tsquery ``query``.
    Villages through the GIN index ``village_search`` (groups
    migration 0004; 83,762 villages nationally); the ten or so topics need none."""
    return model.objects.alias(search_name=SearchVector("name", config=SEARCH_CONFIG)).filter(
        search_name=query
    )


def dprd_aspiration_ids(representative_id, *, outside=None):
    """Subquery of the ids of the aspirations a representative's staff may see (DESIGN.md):
    addressed to the representative, or concerning a village of their electoral district;
    with ``outside`` (regency ids), only those concerning a village of no such regency
    (each branch narrowed, so that each keeps its index)."""
    addressed = Aspiration.objects.filter(representative=representative_id)
    villages = Village.objects.represented_by(representative_id)
    if outside is not None:
        # Not in those regencies' villages (a few hundred ids), rather than a join of every
        # aspiration addressed to the representative to all 83,762 villages.
        addressed = addressed.exclude(
            village__in=Village.objects.filter(subdistrict__regency__in=outside).values("pk")
        )
        villages = villages.exclude(subdistrict__regency__in=outside)
    in_district = Aspiration.objects.filter(village__in=villages)
    return addressed.order_by().values("pk").union(in_district.order_by().values("pk"))


class Aspiration(models.Model):
    """A need, request or complaint raised by citizens and logged by a group.

    ``stage`` and ``stage_changed_on`` are the current state; the timeline of
    ``AspirationEvent`` rows is the history, and only ``aspirations.services`` moves it.
    ``furthest_rank`` is the highest rank reached (1-8), kept for the cumulative funnel.
    """

    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("group"),
    )
    village = models.ForeignKey(
        "groups.Village",
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("village concerned"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="aspirations", verbose_name=_("topic")
    )
    urusan = models.ForeignKey(
        Urusan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("urusan"),
    )
    channel = models.CharField(_("channel"), max_length=14, choices=Channel.choices)
    raised_on = models.DateField(_("raised on"))
    benefits_women = models.BooleanField(Beneficiary.WOMEN.benefits_label, default=False)
    benefits_men = models.BooleanField(Beneficiary.MEN.benefits_label, default=False)
    benefits_poor = models.BooleanField(Beneficiary.POOR.benefits_label, default=False)
    benefits_disability = models.BooleanField(Beneficiary.DISABILITY.benefits_label, default=False)
    addressed_to = models.CharField(
        _("addressed to"), max_length=14, choices=AddressedLevel.choices, blank=True
    )
    representative = models.ForeignKey(
        "reses.Representative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("representative"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECORDED
    )
    stage_changed_on = models.DateField(_("stage changed on"))
    furthest_rank = models.PositiveSmallIntegerField(_("furthest rank reached"), default=1)
    stopped_at = models.CharField(
        _("stopped at stage"),
        max_length=20,
        choices=[(s.value, s.label) for s in FORWARD],
        blank=True,
    )
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_to",
        verbose_name=_("carried over from"),
    )
    is_public = models.BooleanField(_("public"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("same need as"),
        help_text=_("The record that counts; this one records the extra channel."),
    )
    # What SIPD's e-Pokir entry refuses when missing (``aspirations.sipd``).
    hamlet = models.CharField(_("hamlet (dusun/RT/RW)"), max_length=100, blank=True)
    volume = models.DecimalField(
        _("volume"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    volume_unit = models.CharField(_("unit of volume"), max_length=30, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (Rp)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = AspirationQuerySet.as_manager()
    #: Edits of the aspiration's own fields (title, description …), shown on the timeline.
    history = HistoricalRecords(excluded_fields=["submission_token", "updated_at"])

    class Meta:
        verbose_name = _("aspiration")
        verbose_name_plural = _("aspirations")
        ordering = ["-raised_on", "-pk"]
        indexes = [
            # The group's list, newest first.
            models.Index(fields=["group", "-raised_on"], name="aspiration_group_raised"),
            # "Where is it stuck": open aspirations per stage, oldest move first.
            models.Index(fields=["stage", "stage_changed_on"], name="aspiration_stage_since"),
            # DPRD scope and agenda builder: by village concerned.
            models.Index(fields=["village", "stage"], name="aspiration_village_stage"),
            # The aspiration list of programme staff: the newest page of all aspirations in
            # the default order (``-raised_on, -pk``) without sorting two million rows.
            models.Index(fields=["-raised_on", "-id"], name="aspiration_raised_desc"),
            # The list's sorts (``aspirations.views.SORT_KEYS``), a page of all aspirations
            # each way without sorting two million rows.
            models.Index(fields=["title", "id"], name="aspiration_sort_title"),
            models.Index(fields=["stage_changed_on", "id"], name="aspiration_sort_moved"),
            models.Index(fields=["furthest_rank", "id"], name="aspiration_sort_rank"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="aspiration_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="aspiration_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(furthest_rank__gte=1) & Q(furthest_rank__lte=8),
                name="aspiration_furthest_rank_range",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="aspiration_not_own_duplicate"
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="aspiration_estimated_cost_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("aspirations:detail", args=[self.pk])

    @property
    def rank(self):
        return RANK.get(self.stage)

    @property
    def is_closed(self):
        return self.stage in CLOSED

    @property
    def progress_rank(self):
        """Rank 1-8 the progress mark shows: the stage's, or for a closed aspiration the
        furthest it reached before it closed."""
        return self.rank or self.furthest_rank

    @property
    def beneficiaries(self):
        """The ``Beneficiary`` members this aspiration benefits, in their order."""
        return [b for b in Beneficiary if getattr(self, b.flag)]


class EventKind(models.TextChoices):
    CREATED = "created", _("recorded")
    MOVE = "move", _("moved")
    CORRECTION = "correction", _("correction")
    RESPONSE = "response", _("representative's response")
    NOTE = "note", _("note")
    CARRY_OVER = "carry_over", _("carried over")


class FundSource(models.TextChoices):
    APBDES = "apbdes", _("APBDes (village budget)")
    APBD_KABKOTA = "apbd_kabkota", _("APBD kabupaten/kota")
    APBD_PROVINSI = "apbd_provinsi", _("APBD provinsi")
    APBN = "apbn", _("APBN")
    OTHER = "other", _("other")


#: The events that are steps of an aspiration's way, for the days between steps: its
#: creation and its moves (not corrections, notes, responses or carry-overs).
STEP_KINDS = (EventKind.CREATED, EventKind.MOVE)
#: The order of the steps on a timeline: by real-world date, then as recorded (``pk``).
STEP_ORDER = ("occurred_on", "pk")


class AspirationEventQuerySet(ScopedQuerySet):
    group_path = "aspiration__group"
    regency_path = "aspiration__group__village__subdistrict__regency"

    def dprd_q(self, representative_id):
        return Q(aspiration__in=dprd_aspiration_ids(representative_id))


class AspirationEvent(models.Model):
    """One entry on an aspiration's timeline: a move, a correction, a response or a note.

    ``occurred_on`` is the real-world date (in the group's time zone); ``recorded_at`` when
    it was typed. Money fields are Rupiah and belong to moves to ``budgeted``.
    """

    aspiration = models.ForeignKey(
        Aspiration, on_delete=models.CASCADE, related_name="events", verbose_name=_("aspiration")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    occurred_on = models.DateField(_("date"))
    #: For a ``MOVE``: the ``occurred_on`` of the step before it on its timeline (the
    #: aspiration's ``STEP_KINDS`` events in ``STEP_ORDER``), ``None`` when it has none (a
    #: carried-over aspiration starts without a ``CREATED`` event) and on other kinds. The
    #: days a stage took are ``occurred_on - previous_on``
    #: (``dashboards.figures.stage_durations``); kept by ``services.link_steps``.
    previous_on = models.DateField(
        _("date of the step before"), null=True, blank=True, editable=False
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reses_meeting = models.ForeignKey(
        "reses.ResesMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("reses meeting"),
    )
    musrenbang_forum = models.ForeignKey(
        "MusrenbangForum",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("Musrenbang forum"),
    )
    document_reference = models.CharField(_("document reference"), max_length=200, blank=True)
    #: A representative's reses response (``aspirations.stages.ResesResponse`` value).
    response = models.CharField(
        _("response"), max_length=14, choices=ResesResponse.choices, blank=True
    )
    amount = models.DecimalField(
        _("amount (Rp)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    fund_source = models.CharField(
        _("source of funds"), max_length=14, choices=FundSource.choices, blank=True
    )
    implementing_urusan = models.ForeignKey(
        Urusan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("implementing agency (urusan)"),
    )

    objects = AspirationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("aspiration event")
        verbose_name_plural = _("aspiration events")
        ordering = ["occurred_on", "recorded_at", "pk"]
        indexes = [
            models.Index(fields=["aspiration", "occurred_on"], name="event_aspiration_date"),
            # The moves of a scope's aspirations with all that the median days between
            # stages read (dashboards.figures.stage_durations), from the index alone: a
            # regency's 19,300 aspirations' moves in about a third of the time through the
            # table (key columns rather than INCLUDE, which SQLite lacks).
            models.Index(
                fields=["aspiration", "id", "to_stage", "occurred_on", "previous_on"],
                condition=Q(kind="move"),
                name="event_move_steps",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=Stage.values), name="event_to_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(from_stage="") | Q(from_stage__in=Stage.values),
                name="event_from_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="event_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.aspiration}: {self.get_to_stage_display()} ({self.occurred_on})"


class MusrenbangForumQuerySet(ScopedQuerySet):
    regency_path = "regency"
    write_rules = {
        # "edit": correct a forum's details: the officer who recorded it, the facilitators
        # of its regency, administrators (DESIGN.md, "Who may see what").
        "edit": Rule(
            Role.OFFICER,
            Role.FACILITATOR,
            Role.ADMIN,
            where={Role.OFFICER: lambda user: Q(created_by=user.pk)},
        ),
    }

    def officer_q(self, group_id):
        village = ConstituentGroup.objects.filter(pk=group_id).values("village")
        subdistrict = ConstituentGroup.objects.filter(pk=group_id).values("village__subdistrict")
        regency = ConstituentGroup.objects.filter(pk=group_id).values(
            "village__subdistrict__regency"
        )
        return (
            Q(village__in=village)
            | Q(subdistrict__in=subdistrict)
            | Q(level="kabkota", regency__in=regency)
        )

    def levels_creatable_by(self, user):
        """The levels (``MusrenbangForum.Level`` values, in order) at which ``user`` may
        record a forum: those with a place the user may hold one in (``FORUM_AREAS``).
        Officers get desa and kecamatan, facilitators all three; others none."""
        return tuple(
            level
            for level, area in FORUM_AREAS.items()
            if writable(user, "hold_musrenbang", area).exists()
        )

    def dprd_q(self, representative_id):
        """Forums of the regency of the representative's electoral district (through the
        reverse relation of ``reses``' districts, ``Regency.electoral_districts``)."""
        return Q(
            regency__in=Regency.objects.filter(
                electoral_districts__representatives=representative_id
            ).values("pk")
        )


#: Where a forum of each level is held: the place whose ``hold_musrenbang`` write rule
#: (``groups.models``) says who may record one there.
FORUM_AREAS = {"desa": Village, "kecamatan": Subdistrict, "kabkota": Regency}


class MusrenbangForum(models.Model):
    """A yearly development-planning deliberation at village, subdistrict or regency level.

    The area is one of ``village``, ``subdistrict`` or ``regency``, matching ``level``.
    """

    class Level(models.TextChoices):
        DESA = "desa", _("Musrenbang desa")
        KECAMATAN = "kecamatan", _("Musrenbang kecamatan")
        KABKOTA = "kabkota", _("Musrenbang kabupaten/kota")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    village = models.ForeignKey(
        "groups.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )
    subdistrict = models.ForeignKey(
        "groups.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    regency = models.ForeignKey(
        "groups.Regency",
        on_delete=models.PROTECT,
        related_name="musrenbang_forums",
        verbose_name=_("regency"),
    )
    held_on = models.DateField(_("held on"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year planned for"))
    attendance_female = models.PositiveIntegerField(_("women attending"), default=0)
    attendance_male = models.PositiveIntegerField(_("men attending"), default=0)
    note = models.TextField(_("note"), blank=True)
    #: Who recorded the forum (empty for forums recorded before this was kept): that
    #: officer may edit it (the ``"edit"`` write rule).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # A second tap on "Save" finds the forum the first one made (kk_portal.forms).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = MusrenbangForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("Musrenbang forum")
        verbose_name_plural = _("Musrenbang forums")
        ordering = ["-held_on"]
        indexes = [
            # The forum list's sorts (``aspirations.musrenbang_views.SORT_KEYS``).
            models.Index(fields=["held_on", "id"], name="forum_sort_held"),
            models.Index(fields=["fiscal_year", "held_on", "id"], name="forum_sort_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="desa") & Q(village__isnull=False))
                | (Q(level="kecamatan") & Q(subdistrict__isnull=False))
                | Q(level="kabkota"),
                name="musrenbang_area_matches_level",
            ),
        ]

    def __str__(self):
        area = self.village or self.subdistrict or self.regency
        return f"{self.get_level_display()} {area} {self.held_on.year}"


class BudgetOutcome(models.Model):
    """Money an aspiration brought: source, fiscal year, amount (Rupiah) and realisation."""

    aspiration = models.ForeignKey(
        Aspiration,
        on_delete=models.CASCADE,
        related_name="budget_outcomes",
        verbose_name=_("aspiration"),
    )
    source = models.CharField(_("source of funds"), max_length=14, choices=FundSource.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    amount = models.DecimalField(
        _("amount budgeted (Rp)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    implementing_urusan = models.ForeignKey(
        Urusan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("implementing agency (urusan)"),
    )
    implementing_agency = models.CharField(_("implementing agency"), max_length=200, blank=True)
    realised_amount = models.DecimalField(
        _("amount realised (Rp)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    realised_on = models.DateField(_("realised on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)

    objects = AspirationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget outcome")
        verbose_name_plural = _("budget outcomes")
        ordering = ["fiscal_year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(realised_amount__isnull=True) | Q(realised_amount__gte=0),
                name="budget_realised_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000) & Q(fiscal_year__lte=2100),
                name="budget_fiscal_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.fiscal_year}: {self.aspiration}"


def attachment_path(instance, filename):
    return f"aspirations/{instance.aspiration_id}/{filename}"


class Attachment(models.Model):
    """A photo or document attached to an aspiration (or to one of its events).

    Photos are kept at web size with a thumbnail; ``size`` is bytes of the stored file.
    """

    aspiration = models.ForeignKey(
        Aspiration,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("aspiration"),
    )
    event = models.ForeignKey(
        AspirationEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("event"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=attachment_path, max_length=255, blank=True
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    objects = AspirationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
