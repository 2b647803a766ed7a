"""The vocabulary of the access matrix (``tests/test_access.py``).

Every URL name of the site has an entry saying, for each persona and for GET and POST, the
status the page answers. Each app keeps its own table, ``ACCESS`` in ``tests/<app>/access.py``:
a dict from URL name to ``Access``. Statuses are written as one line of eight numbers, one per
persona, in the order of ``PERSONAS`` (the column header below), GET first, then POST, so a
table reads as a grid::

    from tests.access import Access, admin_pages

    ACCESS = {
        #    anon off  offB fac  facB prog dprd admin
        "members:detail": Access(
            "302  200  404  200  404  404  404  200",  # GET
            "302  200  404  200  404  404  404  200",  # POST
            args=("member",),
        ),
        **admin_pages("members.Member"),
    }

``args`` fill the URL's arguments: the name of a row of the matrix's fixture
(``build_rows`` in ``tests/test_access.py``: ``member``, ``aspiration``, ``attachment``,
``meeting``, ``forum``, ``officer_account``, ``district``), an ``"app_label.Model"`` label
for the first row of that model, a callable taking the rows, or a literal string; ``data`` is
the POST body (default: empty, as a careless or tampered request sends). Admin pages use
``admin_pages("app_label.Model")`` and ``admin_only()``. Each persona's two requests run in
a savepoint rolled back after them, so a POST that deletes or changes something leaves the
next persona the same rows.
"""

from typing import NamedTuple

#: The personas of ``tests/conftest.py``, in the order of the columns. ``officer`` and
#: ``officer_b`` are officers of groups A1 and A2 of regency A, ``facilitator`` and
#: ``facilitator_b`` facilitators of regencies A and B, ``dprd`` the staff of the
#: representative whose district covers village A1, ``admin`` a superuser.
PERSONAS = (
    "anonymous",
    "officer",
    "officer_b",
    "facilitator",
    "facilitator_b",
    "programme",
    "dprd",
    "admin",
)
#: The column headers of the tables, in the same order.
HEADER = "anon off  offB fac  facB prog dprd admin"


class Access(NamedTuple):
    """The statuses one URL answers: ``get`` and ``post`` are eight status codes separated
    by spaces, one per persona of ``PERSONAS``; ``args`` fill the URL; ``data`` is the POST
    body. Where the anonymous visitor gets 302 the redirect must lead to a sign-in page,
    unless ``anonymous_to_login`` is false (the language switch sends them back).
    ``djangos_templates`` marks pages drawn by Django's own templates (the password pages
    borrow the admin's), which read variables their views never pass: undefined template
    variables are not failures there."""

    get: str
    post: str
    args: tuple = ()
    data: dict | None = None
    anonymous_to_login: bool = True
    djangos_templates: bool = False

    def statuses(self, method):
        """``{persona: status}`` for ``"get"`` or ``"post"``."""
        codes = [int(code) for code in getattr(self, method).split()]
        if len(codes) != len(PERSONAS):
            raise ValueError(f"{method}: {len(codes)} statuses for {len(PERSONAS)} personas")
        return dict(zip(PERSONAS, codes, strict=True))


def same_for_all(get, post=None, args=(), **options):
    """An ``Access`` whose statuses are the same for every persona (a page everyone, signed in
    or not, reaches alike); ``options`` are the other fields of ``Access``."""
    return Access(
        get=" ".join([str(get)] * len(PERSONAS)),
        post=" ".join([str(post or get)] * len(PERSONAS)),
        args=args,
        **options,
    )


def admin_only(get=200, post=200, args=(), **options):
    """An admin page: the administrator gets ``get``/``post``; every other persona, signed in
    or not, is sent to the admin's own sign-in page (302). ``options`` are the other fields
    of ``Access``."""
    others = " ".join(["302"] * (len(PERSONAS) - 1))
    return Access(get=f"{others} {get}", post=f"{others} {post}", args=args, **options)


def admin_pages(label, *, add=200, change_post=200, delete=200):
    """Entries for the five admin pages of the model ``label`` (``"app_label.Model"``): its
    list, add, change, delete and history pages, on the model's first row. ``add``,
    ``change_post`` and ``delete`` are the administrator's statuses where the model's admin
    refuses them (403 for read-only tables). An empty POST changes and deletes nothing."""
    app_label, model = label.lower().split(".")
    prefix = f"admin:{app_label}_{model}"
    return {
        f"{prefix}_changelist": admin_only(),
        f"{prefix}_add": admin_only(add, add),
        f"{prefix}_change": admin_only(200, change_post, args=(label,)),
        f"{prefix}_delete": admin_only(delete, delete, args=(label,)),
        f"{prefix}_history": admin_only(args=(label,)),
    }
