"""Places (Kemendagri regions) and the constituent groups that live in them.

Region codes follow Kepmendagri 300.2.2-2138/2025 as shipped in ``data/wilayah*.csv``
(see ``data/README.md``): province ``73``, regency ``73.08``, subdistrict ``73.08.01``,
village ``73.08.01.2001``.
"""

import os
import re
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kk_portal.permissions import GROUP_WRITERS, Rule
from kk_portal.scoping import ReferenceQuerySet, Role, ScopedQuerySet
from kk_portal.zones import TimeZone, zone_label

# Province code prefixes by zone (Keppres 41/1987; DESIGN.md): WIB for Sumatra (1x and 21,
# Kepulauan Riau), Java (3x), West and Central Kalimantan (61, 62); WIT for Maluku, North
# Maluku and Papua (8x, 9x);
# WITA for Bali and Nusa Tenggara (5x), South, East and North Kalimantan (63-65), Sulawesi (7x).
_WIB_PROVINCES = {"61", "62"}
_WITA_PROVINCES = {"63", "64", "65"}


def time_zone_for_province(code):
    """Return the ``TimeZone`` value (an IANA name) for a two-digit province code.

    ``"73"`` (Sulawesi Selatan) gives ``"Asia/Makassar"``, ``"81"`` (Maluku)
    ``"Asia/Jayapura"``. Raises ``ValueError`` for a code that is not a province code.
    """
    if len(code) != 2 or not code.isdigit():
        raise ValueError(f"Not a province code: {code!r}")
    if code in _WIB_PROVINCES or code[0] in {"1", "2", "3"}:
        return TimeZone.WIB.value
    if code in _WITA_PROVINCES or code[0] in {"5", "7"}:
        return TimeZone.WITA.value
    if code[0] in {"8", "9"}:
        return TimeZone.WIT.value
    raise ValueError(f"No time zone known for province {code!r}")


class Region(models.Model):
    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name


class Province(Region):
    """Provinsi, code ``NN``."""

    time_zone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices)

    class Meta(Region.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"), name="province_code_format"
            ),
            models.CheckConstraint(
                condition=Q(time_zone__in=TimeZone.values), name="province_time_zone_valid"
            ),
        ]


class RegencyQuerySet(ReferenceQuerySet):
    write_rules = {
        # A Musrenbang kabupaten/kota is held by the facilitators of the regency.
        "hold_musrenbang": Rule(
            Role.FACILITATOR, where={Role.FACILITATOR: lambda user: Q(pk=user.regency_id)}
        ),
    }


class Regency(Region):
    """Kabupaten or kota, code ``NN.NN``; carries the time zone of its province."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("regency (kabupaten)")
        KOTA = "kota", _("city (kota)")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    time_zone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices)

    objects = RegencyQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}\.[0-9]{2}$"), name="regency_code_format"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["kabupaten", "kota"]), name="regency_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(time_zone__in=TimeZone.values), name="regency_time_zone_valid"
            ),
        ]

    @property
    def zone_label(self):
        """``WIB``, ``WITA`` or ``WIT``."""
        return zone_label(self.time_zone)


class SubdistrictQuerySet(ReferenceQuerySet):
    write_rules = {
        # A Musrenbang kecamatan: an officer records their group's subdistrict's, a
        # facilitator any of their regency's.
        "hold_musrenbang": Rule(
            Role.OFFICER,
            Role.FACILITATOR,
            where={
                Role.OFFICER: lambda user: Q(villages__groups=user.group_id),
                Role.FACILITATOR: lambda user: Q(regency=user.regency_id),
            },
        ),
    }


class Subdistrict(Region):
    """Kecamatan, code ``NN.NN.NN``."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("regency")
    )

    objects = SubdistrictQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$"),
                name="subdistrict_code_format",
            ),
        ]


class VillageQuerySet(ReferenceQuerySet):
    write_rules = {
        # A Musrenbang desa: an officer records their group's village's, a facilitator any
        # of their regency's.
        "hold_musrenbang": Rule(
            Role.OFFICER,
            Role.FACILITATOR,
            where={
                Role.OFFICER: lambda user: Q(groups=user.group_id),
                Role.FACILITATOR: lambda user: Q(subdistrict__regency=user.regency_id),
            },
        ),
        # Where reses meetings are organised: DPRD staff in their representative's district,
        # facilitators in their regency, administrators in any district.
        "organise_reses": Rule(
            Role.DPRD,
            Role.FACILITATOR,
            Role.ADMIN,
            where={
                Role.DPRD: lambda user: Q(
                    pk__in=Village.objects.represented_by(user.representative_id)
                ),
                Role.FACILITATOR: lambda user: Q(subdistrict__regency=user.regency_id),
                Role.ADMIN: lambda user: Q(
                    pk__in=Village.objects.filter(electoral_districts__isnull=False).values("pk")
                ),
            },
        ),
        # Where a new constituent group is founded: facilitators in their regency,
        # administrators anywhere (DESIGN.md: facilitators create the groups they accompany).
        "found_group": Rule(
            Role.FACILITATOR,
            Role.ADMIN,
            where={Role.FACILITATOR: lambda user: Q(subdistrict__regency=user.regency_id)},
        ),
    }

    def represented_by(self, representative_id):
        """Ids of the villages in the electoral district of the representative with primary
        key ``representative_id`` (a subquery): the area a DPRD member's staff work in.

        Reads ``reses``' districts through the reverse relation ``electoral_districts``
        (``ElectoralDistrict.villages``), so that this app imports nothing above it.
        """
        return self.filter(electoral_districts__representatives=representative_id).values("pk")


class Village(Region):
    """Desa, kelurahan or desa adat, code ``NN.NN.NN.NNNN``.

    The fourth part's first digit gives the legal kind (Kemendagri convention):
    1 = kelurahan, 2 = desa, 3 = desa adat.
    """

    class Kind(models.TextChoices):
        DESA = "desa", _("village (desa)")
        KELURAHAN = "kelurahan", _("urban village (kelurahan)")
        DESA_ADAT = "desa_adat", _("customary village (desa adat)")

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("subdistrict"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    objects = VillageQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[1-3][0-9]{3}$"),
                name="village_code_format",
            ),
            # The legal kind is the one the code gives (see kind_for_code).
            models.CheckConstraint(
                condition=(Q(kind="kelurahan") & Q(code__regex=r"\.1[0-9]{3}$"))
                | (Q(kind="desa") & Q(code__regex=r"\.2[0-9]{3}$"))
                | (Q(kind="desa_adat") & Q(code__regex=r"\.3[0-9]{3}$")),
                name="village_kind_matches_code",
            ),
        ]

    @staticmethod
    def kind_for_code(code):
        """Legal kind from a village code's fourth part; raises ``ValueError`` if unknown."""
        return {"1": "kelurahan", "2": "desa", "3": "desa_adat"}[code.split(".")[3][0]]


class ConstituentGroupQuerySet(ScopedQuerySet):
    group_path = "pk"
    regency_path = "village__subdistrict__regency"
    write_rules = {
        #: "change": write the group's data (its profile, members, aspirations, files).
        "change": GROUP_WRITERS,
        #: "change_scope": move the group to another village or cohort, which changes who
        #: sees it; its officers edit the rest of the profile only.
        "change_scope": Rule(Role.FACILITATOR, Role.ADMIN),
    }

    def dprd_q(self, representative_id):
        return Q(village__in=Village.objects.represented_by(representative_id))


def decree_scan_path(group, filename):
    """Where a decree scan is stored: a random name under ``decrees/``, keeping only the
    extension, so that a file name typed by people never reaches the disk."""
    extension = os.path.splitext(filename)[1].lower()
    return f"decrees/{uuid.uuid4().hex}{extension}"


class ConstituentGroup(models.Model):
    """A Kelompok Konstituen: one group in one village, recognised by a decree (SK).

    ``status_since`` is the date the current ``status`` began (the group's local date);
    ``decree_scan`` is the scanned decree (PDF, JPEG or PNG), served only through the scoped
    view ``groups:decree``.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DISSOLVED = "dissolved", _("dissolved")

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="groups", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=150)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    cohort_year = models.PositiveSmallIntegerField(
        _("cohort year"), help_text=_("Programme year the group was formed (2014 or 2015).")
    )
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree (SK) date"), null=True, blank=True)
    decree_scan = models.FileField(
        _("decree (SK) scan"), upload_to=decree_scan_path, max_length=255, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ConstituentGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("constituent group")
        verbose_name_plural = _("constituent groups")
        ordering = ["name"]
        indexes = [
            # The group list's sorts (``groups.views.SORT_KEYS``) over 20,000 groups.
            models.Index(fields=["name", "id"], name="group_sort_name"),
            models.Index(fields=["founded_on", "id"], name="group_sort_founded"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"], name="group_unique_name_in_village"
            ),
            models.CheckConstraint(
                condition=Q(cohort_year__gte=2000) & Q(cohort_year__lte=2100),
                name="group_cohort_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive", "dissolved"]),
                name="group_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status_since__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(status_since__gte=models.F("founded_on")),
                name="group_status_after_founding",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.pk])

    @property
    def regency(self):
        return self.village.subdistrict.regency

    @property
    def time_zone(self):
        """IANA name of the group's regency's zone, e.g. ``Asia/Jayapura`` for Kota Ambon."""
        return self.village.subdistrict.regency.time_zone


#: A Kemendagri region code: groups of digits joined by dots.
REGION_CODE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def region_by_code(code):
    """The ``Province`` (``73``), ``Regency`` (``73.08``), ``Subdistrict`` (``73.08.01``) or
    ``Village`` (``73.08.01.2001``) with Kemendagri ``code``, or ``None`` when no region has
    it, or for anything that is not digits and dots (a NUL byte would fail in PostgreSQL)."""
    code = (code or "").strip()
    if not REGION_CODE.fullmatch(code):
        return None
    models_by_dots = (Province, Regency, Subdistrict, Village)
    dots = code.count(".")
    if dots >= len(models_by_dots):
        return None
    return models_by_dots[dots].objects.filter(code=code).first()


def region_q(region, prefix="village__subdistrict__regency"):
    """``Q`` of rows in ``region`` (a ``Province``, ``Regency``, ``Subdistrict``, ``Village``
    or ``None`` for everywhere) through the lookup ``prefix`` from the rows to their regency
    (``…__subdistrict__regency``: the subdistrict and village are the steps before it)."""
    if region is None:
        return Q()
    if isinstance(region, Province):
        return Q(**{f"{prefix}__province": region.pk})
    if isinstance(region, Regency):
        return Q(**{prefix: region.pk})
    path = prefix.removesuffix("__regency")
    if isinstance(region, Village):
        path = path.removesuffix("subdistrict").removesuffix("__") or "pk"
    return Q(**{path: region.pk})


def region_choices(user):
    """Choices of a region filter, in ONE query: everywhere, then per province the whole
    province and each of its regencies where ``user`` sees groups."""
    # Values, not rows: for programme staff 514 regencies and their provinces.
    regencies = (
        Regency.objects.filter(
            pk__in=ConstituentGroup.objects.visible_to(user).values("village__subdistrict__regency")
        )
        .order_by("code")
        .values_list("code", "name", "province__code", "province__name")
    )
    provinces = {}
    for code, name, province_code, province_name in regencies:
        options = provinces.setdefault(
            province_name,
            [(province_code, _("whole province: %(name)s") % {"name": province_name})],
        )
        options.append((code, name))
    return [("", _("all regions")), *provinces.items()]
