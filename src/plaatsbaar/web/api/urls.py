"""URLs of the api area: the token page and version 1 of the JSON API.

Any other path under /api/ (the token pages aside) answers a JSON 404, never Django's HTML page.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from plaatsbaar.web.api import errors, token_views, views

app_name = "api"
urlpatterns = [
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:token_id>/intrekken/", token_views.revoke, name="revoke_token"),
    path("v1/schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/check/", views.CheckView.as_view(), name="check"),
    path("v1/consent/lookup/", views.ConsentLookupView.as_view(), name="consent_lookup"),
    path("v1/drafts/", views.DraftListView.as_view(), name="drafts"),
    path("v1/drafts/<int:draft_id>/", views.DraftDetailView.as_view(), name="draft"),
    re_path(r"^(?!tokens/)", errors.not_found),
]
