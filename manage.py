#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # The settings read the environment strictly (kk_portal/settings.py): a missing or
        # malformed variable is one line naming it, not a traceback of the command loader.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"KK Portal cannot start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
