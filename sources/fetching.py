"""Safe fetch of a user-supplied URL: public http(s) addresses only, one redirect hop at a time,
with caps on redirects, total time, size and content type.

The address check runs when the connection is made, on the very address connected to:
requests-hardened resolves the host once per request, refuses private and loopback addresses
and pins the connection to the address it checked, so a DNS answer that changes between a
check and the connection (DNS rebinding) cannot slip through. On top of it this module adds
only what requests-hardened cannot do (each addition says why where it is made).
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES, InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sources.readers import DOCX_TYPE, CaptureError

DEFAULT_ALLOWED_TYPES = frozenset(
    {"text/plain", "text/html", "application/xhtml+xml", "application/pdf", "text/markdown"}
    | {DOCX_TYPE}
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK_BYTES = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(CaptureError):
    """The URL was not fetched, or its response not kept; the message says exactly why."""


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    raw: bytes
    media_type: str
    # The Location of each redirect followed, in order; the last one is final_url.
    redirects: list[str] = field(default_factory=list)


def fetch_url(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 20.0,
    max_redirects: int = 5,
    allowed_types: frozenset[str] = DEFAULT_ALLOWED_TYPES,
    allow_loopback_ports: frozenset[int] = frozenset(),
    user_agent: str = "claim-verifier/0.1",
) -> FetchResult:
    """GET `url` and return the response of the last redirect hop.

    `timeout` bounds the whole fetch, every hop and every byte included. Loopback addresses
    are refused except on the ports in `allow_loopback_ports` (for tests' local servers).
    Raises FetchRefused for a URL, address, redirect, status, type, size or duration that is
    not allowed, and when the server cannot be reached.
    """
    watchdog = _Watchdog(timeout)
    token = _CURRENT_WATCHDOG.set(watchdog)
    session = _session(allow_loopback_ports, user_agent, allowed_types)
    redirects: list[str] = []
    current = urldefrag(url).url
    seen = {current}
    watchdog.start()
    try:
        while True:
            _check_url(current, allow_loopback_ports)
            response = _send(session, current, watchdog)
            try:
                if response.status_code not in _REDIRECT_STATUSES:
                    return _result(url, response, redirects, max_bytes, allowed_types, watchdog)
                target = _redirect_target(current, response)
            finally:
                response.close()
            if target in seen:
                raise FetchRefused(f"redirect loop: {current} redirects back to {target}.")
            if len(redirects) >= max_redirects:
                raise FetchRefused(
                    f"too many redirects: {url} still redirects after {max_redirects} hops "
                    f"(last to {target})."
                )
            redirects.append(target)
            seen.add(target)
            current = target
    finally:
        watchdog.cancel()
        _CURRENT_WATCHDOG.reset(token)
        session.close()


# --- the URL and address checks ------------------------------------------------------------


def _check_url(url: str, allow_loopback_ports: frozenset[int]) -> None:
    """Refuse what can be refused without touching the network. The address check proper is
    made again at connection time; this one only gives literal addresses a clear message."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused(f"{url!r} is not a valid URL ({exc}).") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(
            f"only http and https URLs are fetched; {url!r} uses {scheme or 'no'} scheme."
        )
    host = parts.hostname
    if not host:
        raise FetchRefused(f"{url!r} has no host name.")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(
            f"{url!r} carries a user name or password: URLs with credentials are not fetched."
        )
    port = port or (443 if scheme == "https" else 80)
    if _ends_in_number(host):
        # The URL standard reads "2130706433", "0x7f.1", "0177.0.0.1" and "127.1" as IPv4
        # addresses, and so does the C resolver: only the plain dotted form is accepted, so no
        # spelling of an address can mean one thing to this check and another to the resolver.
        try:
            ipaddress.IPv4Address(host.rstrip("."))
        except ValueError:
            raise FetchRefused(
                f"{url!r} spells an IP address in a decimal, hex, octal or shortened form: "
                "write the address as four decimal numbers (a.b.c.d) or use a host name."
            ) from None
    try:
        address = ipaddress.ip_address(host.rstrip("."))
    except ValueError:
        return  # a host name: resolved and checked when connecting
    reason = _refusal(address, port, allow_loopback_ports)
    if reason:
        raise FetchRefused(_address_message(host, address, port, reason))


def _ends_in_number(host: str) -> bool:
    if ":" in host:
        return False  # an IPv6 literal, parsed strictly below
    last = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if last.startswith("0x"):
        return all(c in "0123456789abcdef" for c in last[2:])
    return last.isdigit()


def _refusal(address: IPAddress, port: int, allow_loopback_ports: frozenset[int]) -> str:
    """Why `address` may not be connected to, or '' when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if address.is_loopback:
        return "" if port in allow_loopback_ports else "a loopback address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services such as 169.254.169.254 live)"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "a carrier-grade NAT address (100.64.0.0/10)"
    if isinstance(address, ipaddress.IPv6Address) and address in _UNIQUE_LOCAL:
        return "an IPv6 unique-local address"
    if address.is_private:
        return "a private-network address"
    if address.is_reserved or not address.is_global:
        return "a reserved address"
    if any(address in network for network in EXTRA_BLOCKED_NET_RANGES):
        return "an address in a range that can reach internal networks"
    return ""


_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")


def _address_message(host: str, address: IPAddress, port: int, reason: str) -> str:
    where = host if host == str(address) else f"{host} ({address})"
    return (
        f"refused to connect to {where} port {port}: it is {reason}; "
        "only public internet addresses are fetched."
    )


class _AddressRefused(InvalidIPAddress):
    pass


class _GuardedAdapter(IPFilterAdapter):
    """requests-hardened's adapter, plus what it cannot do:

    - a per-port loopback allowance (it allows all loopback ports or none), so tests can reach
      exactly their own local server;
    - a stricter address test than its `is_private`: link-local, CGNAT, reserved and every
      other non-global range, with the reason in the message;
    - watched connections, so the whole fetch can be cut off at its deadline (see _Watchdog).
    """

    def __init__(self, *, is_https: bool, allow_loopback_ports: frozenset[int]) -> None:
        super().__init__(is_https_proto=is_https, allow_loopback=bool(allow_loopback_ports))
        self._allow_loopback_ports = allow_loopback_ports

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # type: ignore[no-untyped-def]
        # The parent resolves the host, refuses what it considers private, and replaces the
        # host with the one address the connection will be made to; that address is the one
        # checked here, so this check is made at connection time too.
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        address = ipaddress.ip_address(host_params["host"].strip("[]"))
        port = host_params["port"] or (443 if host_params["scheme"] == "https" else 80)
        reason = _refusal(address, port, self._allow_loopback_ports)
        if reason:
            host = urlsplit(request.url).hostname or str(address)
            raise _AddressRefused(_address_message(host, address, port, reason))
        return host_params, pool_kwargs


def _session(
    allow_loopback_ports: frozenset[int], user_agent: str, allowed_types: frozenset[str]
) -> requests.Session:
    session = requests.Session()
    # No proxies, .netrc or CA bundle from the environment: a proxy would make the connection
    # (and the DNS lookup) somewhere this module cannot check.
    session.trust_env = False
    for prefix, is_https in (("http://", False), ("https://", True)):
        session.mount(
            prefix, _GuardedAdapter(is_https=is_https, allow_loopback_ports=allow_loopback_ports)
        )
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = ", ".join(sorted(allowed_types)) + ", */*;q=0.1"
    return session


# --- the wall-clock cap ----------------------------------------------------------------------

# requests' timeouts apply to each socket operation: a server that trickles a byte every few
# seconds, in the headers or the body, never trips them. The watchdog shuts down every socket
# of the fetch at its deadline, which wakes any blocked read. The socket is registered by the
# connection classes below, in the thread that called fetch_url, hence a context variable.
_CURRENT_WATCHDOG: contextvars.ContextVar[_Watchdog | None] = contextvars.ContextVar(
    "fetch_watchdog", default=None
)


class _Watchdog:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self.start, self.cancel = self._timer.start, self._timer.cancel

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
        if self.fired:
            self._fire()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)

    def refusal(self, url: str) -> FetchRefused:
        return FetchRefused(
            f"timed out: fetching {url} took longer than the {self.seconds:g}-second limit."
        )


class _WatchedConnection:
    """Registers each new TCP socket with the current fetch's watchdog; for HTTPS this is the
    socket under the TLS one, so shutting it down stops the TLS reads too."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        watchdog = _CURRENT_WATCHDOG.get()
        if watchdog is not None:
            watchdog.watch(sock)
        return sock


class _WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


# --- one hop -------------------------------------------------------------------------------


def _send(
    session: requests.Session,
    url: str,
    watchdog: _Watchdog,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    remaining = watchdog.deadline - time.monotonic()
    if remaining <= 0:
        raise watchdog.refusal(url)
    try:
        response = session.request(
            "GET" if body is None else "POST",
            url,
            data=body,
            headers=headers,
            stream=True,
            allow_redirects=False,
            timeout=(remaining, remaining),
        )
    except _AddressRefused as exc:
        raise FetchRefused(str(exc)) from exc
    except InvalidIPAddress as exc:
        # requests-hardened's own refusal carries only the address: give it the same words.
        parts = urlsplit(url)
        address = ipaddress.ip_address(str(exc))
        port = parts.port or (443 if parts.scheme == "https" else 80)
        reason = _refusal(address, port, frozenset()) or "not a public internet address"
        message = _address_message(parts.hostname or "", address, port, reason)
        raise FetchRefused(message) from exc
    except requests.RequestException as exc:
        if watchdog.fired or isinstance(exc, requests.Timeout):
            raise watchdog.refusal(url) from exc
        if "Failed to resolve" in str(exc):
            raise FetchRefused(
                f"could not find the host of {url}: check the address for typos."
            ) from exc
        raise FetchRefused(f"could not connect to {url}: {exc}.") from exc
    if watchdog.fired:
        response.close()
        raise watchdog.refusal(url)
    return response


def _redirect_target(current: str, response: requests.Response) -> str:
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchRefused(
            f"{current} answered {response.status_code} (a redirect) without saying where to."
        )
    return urldefrag(urljoin(current, location)).url


def _result(
    url: str,
    response: requests.Response,
    redirects: list[str],
    max_bytes: int,
    allowed_types: frozenset[str],
    watchdog: _Watchdog,
) -> FetchResult:
    final_url = response.url
    if not 200 <= response.status_code < 300:
        raise FetchRefused(
            f"{final_url} answered {response.status_code} {response.reason or ''}".rstrip()
            + ": only a successful response (2xx) is captured."
        )
    content_type = response.headers.get("Content-Type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in allowed_types:
        allowed = ", ".join(sorted(allowed_types))
        said = f"the type {media_type}" if media_type else "no Content-Type"
        raise FetchRefused(
            f"{final_url} sent {said}, which is not a document type that is captured "
            f"(allowed: {allowed})."
        )
    declared = response.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(
            f"{final_url} is too large: it declares {int(declared):,} bytes, over the "
            f"{max_bytes:,}-byte limit (MAX_DOCUMENT_BYTES)."
        )
    body = bytearray()
    try:
        # Counted as it arrives, decompressed: Content-Length may be absent or lie, and a
        # small compressed body may expand without limit.
        for chunk in response.iter_content(_CHUNK_BYTES):
            body += chunk
            if len(body) > max_bytes:
                raise FetchRefused(
                    f"{final_url} is too large: it sent more than the {max_bytes:,}-byte "
                    "limit (MAX_DOCUMENT_BYTES); reading stopped there."
                )
    except requests.RequestException as exc:
        if watchdog.fired:
            raise watchdog.refusal(final_url) from exc
        raise FetchRefused(f"the connection to {final_url} failed while reading: {exc}.") from exc
    # A shut-down socket can also look like a clean end of the body.
    if watchdog.fired:
        raise watchdog.refusal(final_url)
    return FetchResult(
        url=url,
        final_url=final_url,
        status=response.status_code,
        headers=dict(response.headers),
        raw=bytes(body),
        media_type=media_type,
        redirects=list(redirects),
    )


@dataclass(frozen=True)
class PostResult:
    status: int
    headers: dict[str, str]
    body: str  # the first bytes of the answer, decoded leniently


def post_url(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str],
    timeout: float = 10.0,
    max_answer_bytes: int = 8192,
    allow_loopback_ports: frozenset[int] = frozenset(),
    user_agent: str = "claim-verifier/0.1",
) -> PostResult:
    """POST `body` to `url` under the same rules as a fetch (public http(s) addresses only,
    checked on the address connected to; the whole exchange within `timeout`). Redirects
    are not followed: a 3xx is the answer. Keeps the first `max_answer_bytes` of the answer.
    Raises FetchRefused for a URL or address that is not allowed, a timeout, or a server
    that cannot be reached.
    """
    watchdog = _Watchdog(timeout)
    token = _CURRENT_WATCHDOG.set(watchdog)
    session = _session(allow_loopback_ports, user_agent, frozenset({"application/json"}))
    watchdog.start()
    try:
        _check_url(url, allow_loopback_ports)
        response = _send(session, url, watchdog, body=body, headers=headers)
        try:
            answer = b""
            for chunk in response.iter_content(_CHUNK_BYTES):
                answer += chunk
                if len(answer) >= max_answer_bytes:
                    break
        except requests.RequestException as exc:
            raise watchdog.refusal(url) if watchdog.fired else FetchRefused(str(exc)) from exc
        finally:
            response.close()
        return PostResult(
            status=response.status_code,
            headers=dict(response.headers),
            body=answer[:max_answer_bytes].decode("utf-8", "replace"),
        )
    finally:
        watchdog.cancel()
        _CURRENT_WATCHDOG.reset(token)
        session.close()


def check_target(url: str, allow_loopback_ports: frozenset[int] = frozenset()) -> None:
    """Refuse, before any network use, a URL no fetch or post would accept (scheme, host,
    credentials, a literal private address); raises FetchRefused. The address a host name
    resolves to is checked again on every connection."""
    _check_url(url, allow_loopback_ports)
