"""The public page on personal data (UU PDP 27/2022): what the portal holds about people and
why, who sees it, how long it is kept, and how to ask for a copy, a correction or erasure."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def privacy(request):
    """``/privasi/``: open to everyone, signed in or not."""
    return render(request, "privacy.html", {"retention_days": settings.MEMBER_RETENTION_DAYS})
