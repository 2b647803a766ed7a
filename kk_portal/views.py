"""Home page: each role lands where its work is."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """The signed-in user's start page."""
    return render(request, "home.html", {})
