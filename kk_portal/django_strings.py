"""Django's own user-visible strings that its Indonesian catalogue lacks, kept in ours.

Django 6.1 added ``BLANK_CHOICE_LABEL`` (``"- Select an option -"``), the first option of
every select built from a model field, and its Indonesian catalogue has no entry for it yet:
officers would read English in the middle of an Indonesian form. Marking the string here lets
``makemessages`` keep it in ``locale/id/LC_MESSAGES/django.po``; the project catalogue comes
first (``LOCALE_PATHS``), so its translation is the one shown. Nothing imports this module.

Django's Indonesian login error reads "Masukkan nama pengguna %(username)s …", and
``%(username)s`` is itself "nama pengguna", so officers read the words twice; ours drops them.
"""

from django.utils.translation import gettext_noop

MISSING_FROM_DJANGO_ID = [
    gettext_noop("- Select an option -"),
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both "
        "fields may be case-sensitive."
    ),
]
