"""Content negotiation for the API: always JSON, whatever the client's ``Accept`` says.

The API has one format; answering 406 to a browser's ``Accept: text/html``
would help nobody.
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation


class FirstRendererNegotiation(DefaultContentNegotiation):
    """Pick the view's first renderer (JSON for the API, the HTML page for the docs view)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type
