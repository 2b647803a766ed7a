"""The starting list of topics officers pick, each with its default urusan.

Source of the list: DESIGN.md, "The data" (drawn from the groups' work described in the
BaKTI article in ``../shared/seed/``). Source of the urusan codes: Permendagri 90/2019,
bidang urusan as shipped in ``groups/data/urusan-pemerintahan.csv``. Names are stored in
Indonesian, the default language, because a topic is a database row that staff may rename;
the English gloss is kept here for readers of the code.

``load_reference_data`` creates or updates these rows by ``slug``; it never deletes topics
that staff added.
"""

from typing import NamedTuple


class TopicSpec(NamedTuple):
    """One starting topic: ``slug`` (stable key), Indonesian ``name``, English ``gloss``,
    ``urusan_code`` (a bidang code such as ``"2.12"``, or ``None``) and display ``order``."""

    slug: str
    name: str
    gloss: str
    urusan_code: str | None
    order: int


#: The topic about protection of women and children: its aspirations carry no personal
#: identifiers (programme and DPRD staff read aspirations); the person's own story is a
#: confidential case of assistance (``assistance``).
PROTECTION_SLUG = "women-children-protection"

TOPICS = (
    TopicSpec(
        "civil-registration",
        "Administrasi kependudukan (KTP, KK, akta)",
        "civil registration (adminduk)",
        # 2.12 Administrasi Kependudukan dan Pencatatan Sipil.
        "2.12",
        10,
    ),
    TopicSpec(
        "social-assistance",
        "Bantuan sosial (beras, PKH, BPNT)",
        "social assistance (rice, PKH, BPNT)",
        # 1.06 Sosial: the Dinas Sosial administers PKH and BPNT recipients.
        "1.06",
        20,
    ),
    TopicSpec(
        "health",
        "Kesehatan dan BPJS",
        "health and BPJS",
        # 1.02 Kesehatan.
        "1.02",
        30,
    ),
    TopicSpec(
        "education",
        "Pendidikan dan anak putus sekolah",
        "education and children out of school",
        # 1.01 Pendidikan.
        "1.01",
        40,
    ),
    TopicSpec(
        PROTECTION_SLUG,
        "Perlindungan perempuan dan anak",
        "protection of women and children",
        # 2.08 Pemberdayaan Perempuan dan Perlindungan Anak.
        "2.08",
        50,
    ),
    TopicSpec(
        "village-infrastructure",
        "Infrastruktur desa (jalan, air bersih, sanitasi)",
        "village infrastructure (roads, water, sanitation)",
        # 1.03 Pekerjaan Umum dan Penataan Ruang: roads, drinking water and sanitation.
        "1.03",
        60,
    ),
    TopicSpec(
        "economy",
        "Ekonomi dan usaha kecil",
        "economy and small business",
        # 2.17 Koperasi, Usaha Kecil, dan Menengah.
        "2.17",
        70,
    ),
    TopicSpec(
        "agriculture-food",
        "Pertanian dan pangan",
        "agriculture and food",
        # 3.27 Pertanian (food security alone would be 2.09 Pangan).
        "3.27",
        80,
    ),
    TopicSpec(
        "environment-disasters",
        "Lingkungan hidup dan bencana",
        "environment and disasters",
        # 2.11 Lingkungan Hidup (disaster relief proper is under 1.05).
        "2.11",
        90,
    ),
    TopicSpec(
        "other",
        "Lainnya",
        "other",
        # No default: staff choose the urusan case by case.
        None,
        100,
    ),
)
