"""Texts that fit one SMS: 160 characters of the GSM 03.38 (GSM-7) alphabet.

A character outside GSM-7 would turn the whole message into UCS-2, 70 characters a part;
``to_gsm7`` replaces such characters (accents dropped, curly quotes and dashes made plain),
and ``fit`` shortens the variable part so that text and link stay within one SMS.
"""

import unicodedata

#: One SMS of GSM-7 (3GPP TS 23.038).
SMS_LIMIT = 160
#: The GSM-7 basic set (one character each) and its extension (two: escape + character).
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "^{}\\[~]|€\f"
_PLAIN = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "`": "'",
}


def gsm7_length(text):
    """Septets ``text`` takes in GSM-7; raises ``ValueError`` for a character outside it."""
    length = 0
    for char in text:
        if char in BASIC:
            length += 1
        elif char in EXTENSION:
            length += 2
        else:
            raise ValueError(f"{char!r} is not a GSM-7 character")
    return length


def to_gsm7(text):
    """``text`` in GSM-7 only: ``"Ma’ruf – Desa Ōe"`` gives ``"Ma'ruf - Desa Oe"``; what
    cannot be written so becomes ``?``."""
    out = []
    for char in text:
        char = _PLAIN.get(char, char)
        if all(c in BASIC or c in EXTENSION for c in char):
            out.append(char)
            continue
        bare = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(bare if bare and all(c in BASIC for c in bare) else "?")
    return "".join(out)


def fit(body, link, limit=SMS_LIMIT):
    """``body`` and ``link`` on one SMS: ``"<body> <link>"`` in GSM-7, the body cut with
    ``...`` where the whole would be longer than ``limit`` septets. The link is never cut."""
    body, link = to_gsm7(body), to_gsm7(link)
    room = limit - gsm7_length(link) - 1
    if gsm7_length(body) > room:
        while gsm7_length(body) > room - 3:
            body = body[:-1]
        body = body.rstrip() + "..."
    return f"{body} {link}"
