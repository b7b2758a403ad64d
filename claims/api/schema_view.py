"""The schema endpoint: generated once per process and version, then served from memory."""

from __future__ import annotations

import threading
from typing import Any

from django.dispatch import receiver
from django.test.signals import setting_changed
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    """The schema, generated once per process and version, then served from memory.

    drf-spectacular generates it on every request, and not safely in threads: its extensions
    load their target classes lazily, and two requests at once in one process (a threaded
    server, several clients starting together) answered 500. Generating under a lock, once,
    also spares every later request the half second the generation takes. A change of
    settings (tests) drops what was kept."""

    _lock = threading.Lock()
    _kept: dict[str | None, Any] = {}

    def _get_schema_response(self, request: Any) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        with self._lock:
            schema = self._kept.get(version)
            if schema is None:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                schema = generator.get_schema(request=request, public=self.serve_public)
                SchemaView._kept[version] = schema
        disposition = f'inline; filename="{self._get_filename(request, version)}"'
        return Response(data=schema, headers={"Content-Disposition": disposition})


@receiver(setting_changed)
def _forget_the_schema(**kwargs: Any) -> None:
    with SchemaView._lock:
        SchemaView._kept.clear()
