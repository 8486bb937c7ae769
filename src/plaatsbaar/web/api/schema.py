"""OpenAPI details drf-spectacular cannot see by itself.

Request bodies of :class:`~plaatsbaar.web.api.serializers.StrictSerializer`
refuse unknown fields, so their schema says ``additionalProperties: false``.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension


class StrictSerializerExtension(OpenApiSerializerExtension):
    """Adds ``additionalProperties: false`` to the request schema of every strict serializer."""

    target_class = "plaatsbaar.web.api.serializers.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema
