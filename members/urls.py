"""URLs of the members app (namespace ``members``)."""

app_name = "members"
urlpatterns = []
