"""Probable duplicates: the same need logged twice, through two channels.

Titles are compared after folding (``fold``: lower case, accents and punctuation removed,
spaces collapsed) with Python's ``difflib`` ratio over the words, so that SQLite and
PostgreSQL give the same suggestions. Candidates are few (the open aspirations of one
village and topic), so no index is needed.
"""

import difflib
import re
import unicodedata

#: Two folded titles at least this alike (``difflib.SequenceMatcher.ratio``, 0-1) are shown
#: as probably the same need. 0.75 finds "Perbaikan jalan tani Dusun 3" for "perbaikan
#: Jalan Tani dusun 3" and "Perbaikan jalan tani di Dusun 3", and leaves out "Perbaikan
#: jalan tani Dusun 5" (0.96 on characters, but another hamlet: see ``_numbers``).
SIMILARITY = 0.75
#: At most this many suggestions are shown before saving.
MAX_SUGGESTIONS = 5

_NOT_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+")


def fold(text):
    """``text`` lower-cased, without accents or punctuation, single-spaced: ``"Sumur  Bor,
    Dusun É"`` → ``"sumur bor dusun e"``."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.casefold()).strip()


def _numbers(folded):
    return _NUMBER.findall(folded)


def similarity(a, b):
    """How alike two titles are after ``fold``, 0-1. Titles naming different numbers
    (hamlet 3 and hamlet 5, RT 01 and RT 02) concern different places: 0."""
    first, second = fold(a), fold(b)
    if not first or not second or _numbers(first) != _numbers(second):
        return 0.0
    return difflib.SequenceMatcher(None, first, second).ratio()


def probable(title, candidates):
    """``[(aspiration, similarity)]`` of the ``candidates`` (an iterable of aspirations) at
    least ``SIMILARITY`` alike to ``title``, most alike first, at most ``MAX_SUGGESTIONS``."""
    scored = [(row, similarity(title, row.title)) for row in candidates]
    alike = [(row, round(score, 2)) for row, score in scored if score >= SIMILARITY]
    alike.sort(key=lambda item: (-item[1], item[0].raised_on, item[0].pk))
    return alike[:MAX_SUGGESTIONS]
