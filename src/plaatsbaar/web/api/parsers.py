"""The API's JSON parser: DRF's, without a crash on absurdly deep nesting (400, not 500).

The size of a body is limited by Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
(DRF reads JSON through ``request.body``); see :mod:`plaatsbaar.web.api.errors` for the 413.
"""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJsonParser(JSONParser):
    """DRF's JSON parser; nesting deeper than Python's recursion limit is a ``ParseError``."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("te diep geneste JSON") from None
