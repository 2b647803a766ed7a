"""URLs of the groups app (namespace ``groups``)."""

app_name = "groups"
urlpatterns = []
