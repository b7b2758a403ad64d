from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path, reverse_lazy
from django.views import defaults
from django.views.generic import RedirectView

from claims.api.problems import api_not_found, api_server_error


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for Compose and load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # API clients get problem details; people get Django's page.
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return defaults.server_error(request)


handler404 = not_found
handler500 = server_error

urlpatterns = [
    # The printed address leads to the desk, not to a 404.
    path("", RedirectView.as_view(url=reverse_lazy("admin:index"), permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls", namespace="api")),
]
