"""The home page at the site's root: URL name ``home``, outside the ``dashboard`` namespace,
because signing in lands there (``settings.LOGIN_REDIRECT_URL``)."""

from django.urls import path

from dashboards import views

urlpatterns = [path("", views.home, name="home")]
