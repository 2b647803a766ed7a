"""``/api/v1/``: the JSON API's operations, its OpenAPI document (``api:openapi-json``) and
docs page (``api:openapi-view``)."""

from api.api import api

app_name = "api"
urlpatterns = api.urls[0]
