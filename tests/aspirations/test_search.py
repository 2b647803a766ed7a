"""``Aspiration.objects.search``: full-text on PostgreSQL (stemmed, prefix, ranked),
substrings on SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from aspirations import views
from aspirations.models import Aspiration
from tests import factories as f

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search with the indonesian configuration needs PostgreSQL",
)
ON_SQLITE = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL searches words, not substrings"
)


def _titles(text):
    return [a.title for a in Aspiration.objects.search(text)]


@ON_POSTGRESQL
@pytest.mark.parametrize("text", ["memperbaiki", "diperbaiki", "perbaik", "MEMPERBAIKI jalan"])
def test_search_finds_stemmed_words_on_postgresql(world, text):
    f.AspirationFactory(group=world.group_a1, title="Perbaikan jalan dusun", description="")
    f.AspirationFactory(group=world.group_a1, title="Air bersih", description="Sumur kering")

    assert _titles(text) == ["Perbaikan jalan dusun"]


@ON_POSTGRESQL
def test_search_ranks_title_above_description_on_postgresql(world):
    f.AspirationFactory(group=world.group_a1, title="Sumur", description="Air bersih untuk dusun")
    f.AspirationFactory(group=world.group_a1, title="Air bersih", description="Sumur kering")

    rows = list(Aspiration.objects.search("air"))

    assert [a.title for a in rows] == ["Air bersih", "Sumur"]
    assert rows[0].search_rank > rows[1].search_rank


@ON_POSTGRESQL
def test_search_index_is_on_the_expression_searched_on_postgresql(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'aspiration_search'")
        (definition,) = cursor.fetchone()

    assert "USING gin (to_tsvector('indonesian'::regconfig" in definition


@ON_POSTGRESQL
def test_search_village_names_have_their_index_on_postgresql(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'village_search'")
        (definition,) = cursor.fetchone()

    assert "groups_village USING gin (to_tsvector('indonesian'::regconfig" in definition


@ON_SQLITE
def test_search_finds_substrings_on_sqlite(world):
    f.AspirationFactory(group=world.group_a1, title="Perbaikan jalan dusun", description="")
    f.AspirationFactory(group=world.group_a1, title="Air bersih", description="Sumur kering")

    assert (_titles("baika"), _titles("SUMUR")) == (["Perbaikan jalan dusun"], ["Air bersih"])


def test_search_every_word_in_title_description_village_or_topic(world):
    topic = f.TopicFactory(slug="health", name="Kesehatan")
    f.AspirationFactory(group=world.group_a1, title="Posyandu", description="", topic=topic)
    f.AspirationFactory(group=world.group_a2, title="Posyandu", description="", topic=topic)
    f.AspirationFactory(group=world.group_a1, title="Jalan", description="Posyandu jauh")

    found = Aspiration.objects.search("posyandu kesehatan satu")

    assert [(a.village.name, a.topic.name) for a in found] == [("Desa Alfa Satu", "Kesehatan")]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_search_blank_keeps_every_row(world, text):
    f.AspirationFactory(group=world.group_a1, title="Jalan")

    assert _titles(text) == ["Jalan"]


@pytest.mark.parametrize("text", ["'; DROP TABLE x; --", "a & b | !c", "x" * 5000, "jalan:*"])
def test_search_operators_and_long_words_are_plain_text(world, text):
    f.AspirationFactory(group=world.group_a1, title="Jalan")

    assert _titles(text) in ([], ["Jalan"])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Usulan 12345", ["Usulan 12345", "Usulan 123456"]),
        ("12345 usulan", ["Usulan 12345", "Usulan 123456"]),
        ("usul", ["Usulan 1234", "Usulan 12345", "Usulan 123456", "Usulan 99"]),
        ("Usulan 12345 Alfa", ["Usulan 12345"]),
        ("Usulan 99 Beta", []),
    ],
)
def test_list_search_finds_title_words_numbers_and_word_starts(programme, world, text, found):
    """The list's ``?q=``: every word, in the title or the village's name, a number as the
    start of a word (``12345`` finds ``123456``, not ``1234``), part of a word at its start."""
    for title, group in (
        ("Usulan 12345", world.group_a1),
        ("Usulan 1234", world.group_a2),
        ("Usulan 123456", world.group_b1),
        ("Usulan 99", world.group_a1),
    ):
        f.AspirationFactory(group=group, title=title, description="")

    response = programme.get(reverse("aspirations:list"), {"q": text})

    assert sorted(a.title for a in response.context["page_obj"]) == found


def test_list_search_counts_at_most_the_limit(programme, world, topic, monkeypatch):
    monkeypatch.setattr(views, "UNFILTERED_COUNT_LIMIT", 2)
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AspirationFactory(group=group, topic=topic, title="Usulan jalan")

    searched = programme.get(reverse("aspirations:list"), {"q": "jalan"})
    filtered = programme.get(reverse("aspirations:list"), {"q": "jalan", "topic": topic.pk})

    assert searched.context["page_obj"].paginator.capped
    assert len(searched.context["page_obj"]) == 3
    assert filtered.context["page_obj"].paginator.count == 3


@ON_POSTGRESQL
def test_search_village_names_index_keeps_no_pending_list_on_postgresql(world):
    # Every search reads a GIN index's pending list to its end (groups migration 0005).
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'village_search'")
        (options,) = cursor.fetchone()

    assert "fastupdate=off" in options
