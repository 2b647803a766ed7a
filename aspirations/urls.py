"""URLs of the aspirations app (namespace ``aspirations``)."""

app_name = "aspirations"
urlpatterns = []
