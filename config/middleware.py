"""Project-wide request guards that belong to no single app."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

from claims.roles import desk_member
from claims.tokens import failure_count, failures_exceeded
from verifier.normalise import description, is_hidden, label

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


_SKIP_ELEMENTS = ("textarea", "script", "style", "title")
_TAG = re.compile(r"(<[^>]*>)")


@functools.cache
def _hidden_pattern() -> re.Pattern[str]:
    # Every format character (Unicode category Cf), built once from the Unicode database.
    # They all sit in planes 0-2 and 14 (the tags); scanning only those keeps the first admin
    # page of a process fast (the whole code space took 1-4 s).
    planes = (range(0, 0x30000), range(0xE0000, 0xF0000))
    chars = "".join(chr(c) for plane in planes for c in plane if is_hidden(chr(c)))
    return re.compile(f"[{re.escape(chars)}]")


def _marker(match: re.Match[str]) -> str:
    ch = match.group(0)
    return f'<span class="hidden-char" title="{description(ch)}">⟨{label(ch)}⟩</span>'


def reveal_html(page: str) -> str:
    """`page` with every hidden character in its text spelled out as a visible marker.

    Tags, attribute values and the content of textarea, script, style and title are left
    alone: they are not shown as text on the page, or (a textarea) hold what a form posts.
    """
    pattern = _hidden_pattern()
    if not pattern.search(page):
        return page
    out: list[str] = []
    skipping: str | None = None
    for piece in _TAG.split(page):
        if piece.startswith("<"):
            name = piece[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if piece[1:] else ""
            if skipping is None and not piece.startswith("</") and name in _SKIP_ELEMENTS:
                skipping = name
            elif skipping is not None and piece.startswith("</") and name == skipping:
                skipping = None
            out.append(piece)
        elif skipping is None:
            out.append(pattern.sub(_marker, piece))
        else:
            out.append(piece)
    return "".join(out)


class RevealHiddenCharactersMiddleware:
    """Admin pages show every hidden character (bidi controls, zero-width characters).

    Captured text is shown in many places (passages, quotes, the snapshot text, lists); a
    right-to-left override in it would make the browser draw "93" as "39" inside the very
    highlight a reviewer relies on. Rewriting the rendered page covers every one of those
    places, those added later included; pages without such characters are not touched.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path_info.startswith("/admin/")
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            charset = response.charset or "utf-8"
            page = response.content.decode(charset, errors="replace")
            revealed = reveal_html(page)
            if revealed is not page:
                response.content = revealed.encode(charset)
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response


class ContentSecurityPolicyMiddleware:
    """ADMIN_CONTENT_SECURITY_POLICY on every admin page; API answers forbid everything
    active (they are data, never a page to run)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", settings.ADMIN_CONTENT_SECURITY_POLICY)
        elif path.startswith("/api/") and not path.startswith("/api/v1/docs/"):
            # The Swagger page (docs/) runs its own bundled scripts; the rest is data.
            response.setdefault(
                "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
            )
        return response


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class LoginThrottleMiddleware:
    """Refuses admin sign-in attempts after LOGIN_FAILURES_ALLOWED failures in a window,
    per address and per username, with 429 and Retry-After. A success clears the count."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path_info != "/admin/login/":
            return self.get_response(request)
        username = (request.POST.get("username") or "").strip().lower()[:150]
        idents = [f"addr:{_client_address(request)}", f"user:{username}"]
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        if failures_exceeded("login-failures", idents, settings.LOGIN_FAILURES_ALLOWED):
            response = HttpResponse(
                "Too many failed sign-ins from this address or for this account. Wait "
                f"{window // 60} minutes and try again, or ask an editor to reset the password.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(window)
            return response
        response = self.get_response(request)
        if response.status_code == 302:
            for ident in idents:
                cache.delete(f"login-failures:{ident}")
        elif response.status_code == 200:  # the form again: the credentials were wrong
            failure_count("login-failures", idents, window)
        return response
