"""URLs of the reses app (namespace ``reses``)."""

app_name = "reses"
urlpatterns = []
