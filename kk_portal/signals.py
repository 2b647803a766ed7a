"""Signals the core sends, for the apps above it that must follow (``audit`` connects to
them in its ``AppConfig.ready()``)."""

import django.dispatch

#: Sent when a signed-in user gives a backup code instead of the authenticator app's code
#: (``kk_portal.second_factor``), with ``request`` and ``user``; the code is used up.
backup_code_used = django.dispatch.Signal()
