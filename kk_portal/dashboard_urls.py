"""Dashboard URLs (namespace ``dashboard``)."""

app_name = "dashboard"
urlpatterns = []
