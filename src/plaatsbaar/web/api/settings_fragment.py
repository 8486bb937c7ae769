"""The settings the JSON API needs, as plain constants (imported by ``settings.py``).

- :data:`API_INSTALLED_APPS`: Django REST framework, drf-spectacular (the
  OpenAPI 3 document) and its sidecar (Swagger UI files served from the
  installed package: no CDN).
- :data:`REST_FRAMEWORK`: bearer-token authentication only (no session, so
  no CSRF), JSON in and out whatever the client's ``Accept`` says, errors as
  JSON in Dutch (:func:`plaatsbaar.web.api.errors.exception_handler`).
- :data:`SPECTACULAR_SETTINGS`: the OpenAPI document's title, version and
  the offline Swagger UI.
"""

from plaatsbaar.core.vocabulary import Role

API_INSTALLED_APPS = ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["plaatsbaar.web.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["plaatsbaar.web.api.parsers.SafeJsonParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "plaatsbaar.web.api.negotiation.FirstRendererNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "plaatsbaar.web.api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "plaatsbaar API",
    "DESCRIPTION": (
        "Toets berichten aan het social-mediaprotocol van de school, zoek toestemming van leerlingen op "
        "en maak concepten aan. Authenticatie: de kopregel `Authorization: Bearer <API-sleutel>`; een "
        "medewerker maakt sleutels aan op /api/tokens/. Elke sleutel heeft dezelfde rechten als de "
        "medewerker in de webapplicatie. Fouten zijn JSON: `detail` (Nederlands) en bij 400 `errors` per veld."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"RoleEnum": [role.value for role in Role]},  # one name for every role field
}
