from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.views import defaults
from django.views.generic import RedirectView

from claims.api.problems import api_not_found, api_server_error, request_too_large
from claims.custody.views import SIGNING_KEY_PATH, signing_key_document
from config.health import healthz, readyz


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # API clients get problem details; people get Django's page.
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return defaults.server_error(request)


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask every site for /favicon.ico; answer with the desk's icon, not a 404.
    # Resolved per request: the hashed static name exists only once collectstatic has run.
    return HttpResponseRedirect(static("claims/favicon.svg"))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A paste larger than the request limit is refused before any view runs (the CSRF check
    # reads the form first): say what was too large and what to do, not "Bad Request".
    if isinstance(exception, RequestDataTooBig):
        return HttpResponse(
            request_too_large(), status=413, content_type="text/plain; charset=utf-8"
        )
    return defaults.bad_request(request, exception)


handler400 = bad_request
handler404 = not_found
handler500 = server_error

urlpatterns = [
    # The printed address leads to the desk, not to a 404.
    path("", RedirectView.as_view(url=reverse_lazy("admin:index"), permanent=False)),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls", namespace="api")),
    path(SIGNING_KEY_PATH, signing_key_document, name="signing-key"),
]
