"""Project-wide request guards that belong to no single app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

from claims.roles import desk_member

# Admin pages anyone may reach: signing in and out (a signed-in API reader keeps a session
# for the API's browsable docs).
_OPEN_ADMIN = ("/admin/login/", "/admin/logout/")


class DeskOnlyAdminMiddleware:
    """The admin is the review desk's tool: only Editors, Fact-checkers and superusers.

    Django lets every staff account into the admin and then checks model permissions page by
    page, which showed API readers unverified claims and the decision log. Checking the role
    here covers every admin page, including the ones a ModelAdmin or a package adds later.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            path.startswith("/admin/")
            and not path.startswith(_OPEN_ADMIN)
            and user is not None
            and user.is_authenticated
            and not desk_member(user)
        ):
            return HttpResponseForbidden(
                "Your role does not use the admin: it is the review desk's tool (Editors and "
                "Fact-checkers). Use the API at /api/v1/ with your session or an API key.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
