"""fetch_url against real HTTP servers on 127.0.0.1, and refusals that never leave the machine.

Every test runs with socket connections and DNS replaced by guards: a connection to anything
but the loopback range is recorded and refused, and names resolve from a fixed table, so even
a broken address check could not send a packet anywhere else.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sources.fetching import FetchRefused, fetch_url
from sources.readers import CaptureError, read_document

LIMIT = 1000
PAGE = b"<html><body><p>39 children were deported in late March 2025.</p></body></html>"
STOP = threading.Event()  # set when the module's servers shut down: ends trickling handlers


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send(302, Location=location, Content_Length="0")

    def do_GET(self) -> None:
        path = self.path
        if path == "/page":
            self.send(200, PAGE, Content_Type="text/html; charset=utf-8")
        elif path == "/agent":
            agent = self.headers.get("User-Agent", "").encode()
            self.send(200, agent, Content_Type="text/plain")
        elif path == "/to-page":
            self.redirect("/page")
        elif path == "/to-metadata":
            self.redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/to-other-port":
            self.redirect(f"http://127.0.0.1:{self.server.other_port}/page")  # type: ignore[attr-defined]
        elif path == "/to-ftp":
            self.redirect("ftp://127.0.0.1/file.txt")
        elif path in ("/loop-a", "/loop-b"):
            self.redirect("/loop-b" if path == "/loop-a" else "/loop-a")
        elif path.startswith("/chain/"):
            self.redirect(f"/chain/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/big-declared":
            self.send(200, b"x" * 5000, Content_Type="text/plain", Content_Length="5000")
        elif path == "/big-undeclared":
            self.send(200, b"x" * 5000, Content_Type="text/plain")  # HTTP/1.0: ends at close
        elif path == "/gzip-bomb":
            body = gzip.compress(b" " * 200_000)
            self.send(200, body, Content_Type="text/plain", Content_Encoding="gzip")
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n", Content_Type="image/png")
        elif path == "/untyped":
            self.send(200, b"what am I")
        elif path == "/missing":
            self.send(404, b"not here", Content_Type="text/html")
        elif path == "/trickle":
            self.send(200, Content_Type="text/plain")
            self.trickle(b"x")
        elif path == "/trickle-headers":
            self.wfile.write(b"HTTP/1.0 200 OK\r\n")
            self.trickle(b"X-Slow: y\r\n")
        elif path == "/slow":
            STOP.wait(5)  # silent until the servers stop; the client has long given up
            with contextlib.suppress(OSError):
                self.send(200, b"late", Content_Type="text/plain")

    def trickle(self, piece: bytes) -> None:
        # Bounded: a trickle ends after 10 s or when the servers stop, whatever the client does.
        until = time.monotonic() + 10
        while not STOP.is_set() and time.monotonic() < until:
            try:
                self.wfile.write(piece)
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.05)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Base URL of a local server; a second one listens on another port for redirect tests."""
    main = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    other = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    main.other_port = other.server_address[1]  # type: ignore[attr-defined]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (main, other)]
    for thread in threads:
        thread.start()
    yield f"http://127.0.0.1:{main.server_address[1]}"
    STOP.set()
    for s in (main, other):
        s.shutdown()
        s.server_close()


def port_of(base: str) -> frozenset[int]:
    return frozenset({int(base.rsplit(":", 1)[1])})


# --- guards: nothing but loopback is ever connected to, no DNS query ever leaves ------------

FAKE_DNS = {
    "localhost": ["127.0.0.1"],
    "internal.test": ["10.1.2.3"],
    "metadata.test": ["169.254.169.254"],
    "mapped.test": ["::ffff:10.0.0.1"],
    "cgnat.test": ["100.64.0.7"],
}


@pytest.fixture(autouse=True)
def outside_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    attempts: list[object] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if not ipaddress.ip_address(str(host).split("%")[0]).is_loopback:
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: connection to {address} is forbidden")
        real_connect(sock, address)

    def fake_getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> list:
        name = host.decode() if isinstance(host, bytes) else str(host)
        answers = FAKE_DNS.get(name.lower().rstrip("."))
        if answers is None:
            # Only literal addresses are resolved for real: no query ever goes out.
            return real_getaddrinfo(name, port, 0, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
        return [_addrinfo(answer, int(port or 80)) for answer in answers]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    yield attempts
    assert attempts == [], f"connections outside loopback were attempted: {attempts}"


def _addrinfo(address: str, port: int) -> tuple:
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))


def fetch(url: str, base: str = "", **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("max_bytes", LIMIT)
    kwargs.setdefault("timeout", 5.0)
    if base:
        kwargs.setdefault("allow_loopback_ports", port_of(base))
    return fetch_url(url, **kwargs)  # type: ignore[arg-type]


# --- what a good server gives ----------------------------------------------------------------


def test_it_fetches_a_page_with_its_status_headers_and_type(server: str) -> None:
    result = fetch(f"{server}/page", server)
    assert result.raw == PAGE
    assert result.status == 200
    assert result.media_type == "text/html"
    assert result.headers["Content-Type"] == "text/html; charset=utf-8"
    assert result.url == result.final_url == f"{server}/page"
    assert result.redirects == []


def test_it_sends_its_user_agent(server: str) -> None:
    assert fetch(f"{server}/agent", server, user_agent="desk-bot/2").raw == b"desk-bot/2"


def test_it_follows_a_redirect_and_records_the_hop(server: str) -> None:
    result = fetch(f"{server}/to-page", server)
    assert result.raw == PAGE
    assert result.url == f"{server}/to-page"
    assert result.final_url == f"{server}/page"
    assert result.redirects == [f"{server}/page"]


def test_a_fetched_page_reads_as_the_text_the_engine_gets(server: str) -> None:
    result = fetch(f"{server}/to-page", server)
    decoded = read_document(
        result.raw,
        name=result.final_url,
        declared_type=result.headers["Content-Type"],
        max_bytes=LIMIT,
    )
    assert decoded.text == "39 children were deported in late March 2025."
    assert decoded.media_type == "text/html"


def test_its_refusals_are_capture_errors() -> None:
    assert issubclass(FetchRefused, CaptureError)


# --- what a bad server gets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/to-metadata", {}, r"169\.254\.169\.254 port 80: it is a link-local address"),
        ("/to-other-port", {}, "it is a loopback address"),
        ("/to-ftp", {}, "only http and https URLs are fetched"),
        ("/loop-a", {}, "redirect loop: .*/loop-b redirects back to .*/loop-a"),
        ("/chain/0", {"max_redirects": 3}, "too many redirects: .* after 3 hops"),
        ("/big-declared", {}, "too large: it declares 5,000 bytes, over the 1,000-byte limit"),
        ("/big-undeclared", {}, "too large: it sent more than the 1,000-byte limit"),
        ("/gzip-bomb", {}, "too large: it sent more than the 1,000-byte limit"),
        ("/image", {}, "sent the type image/png, which is not a document type"),
        ("/untyped", {}, "sent no Content-Type"),
        ("/missing", {}, "answered 404 Not Found"),
    ],
)
def test_it_refuses_a_bad_response_and_says_why(
    server: str, path: str, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(FetchRefused, match=message):
        fetch(f"{server}{path}", server, **kwargs)


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers", "/slow"])
def test_it_cuts_off_a_slow_or_trickling_server_at_the_total_time_limit(
    server: str, path: str
) -> None:
    started = time.monotonic()
    with pytest.raises(FetchRefused, match=r"timed out: .* longer than the 1-second limit"):
        fetch(f"{server}{path}", server, timeout=1.0, max_bytes=1_000_000)
    assert time.monotonic() - started < 3


# --- addresses refused before any connection ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.1/", "private-network address"),
        ("http://192.168.1.1/admin", "private-network address"),
        ("http://172.16.0.1/", "private-network address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local address"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://127.0.0.1/", "loopback address"),
        ("http://[::1]:8080/", "loopback address"),
        ("http://0.0.0.0/", "unspecified address"),
        ("http://[::]/", "unspecified address"),
        ("http://224.0.0.1/", "multicast address"),
        ("http://240.0.0.1/", "reserved address|private-network"),
        ("http://[fd00::1]/", "unique-local address"),
        ("http://[fe80::1]/", "link-local address"),
        ("http://[::ffff:10.0.0.1]/", "private-network address"),
        ("http://[::ffff:127.0.0.1]/", "loopback address"),
        ("http://[::ffff:169.254.169.254]/", "link-local address"),
        ("http://localhost/", r"localhost \(127\.0\.0\.1\) port 80: it is a loopback address"),
        ("http://internal.test/", r"internal\.test \(10\.1\.2\.3\) .* private-network address"),
        ("http://metadata.test/", r"169\.254\.169\.254\) .* link-local address"),
        ("http://mapped.test/", "private-network address"),
        ("http://cgnat.test/", "carrier-grade NAT"),
        ("http://2130706433/", "decimal, hex, octal or shortened form"),
        ("http://0x7f.1/", "decimal, hex, octal or shortened form"),
        ("http://0177.0.0.1/", "decimal, hex, octal or shortened form"),
        ("http://127.1/", "decimal, hex, octal or shortened form"),
        ("http://0x0a000001/", "decimal, hex, octal or shortened form"),
        ("ftp://example.org/report.txt", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://127.0.0.1:70/", "only http and https"),
        ("http://user:secret@example.org/", "credentials are not fetched"),
        ("http://no-such-host.test/", "could not find the host"),
    ],
)
def test_it_refuses_private_and_ambiguous_targets_without_connecting(
    url: str, message: str, outside_connections: list[object]
) -> None:
    with pytest.raises(FetchRefused, match=message):
        fetch(url)
    assert outside_connections == []


def test_it_refuses_other_spellings_of_loopback_even_on_the_allowed_port(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with pytest.raises(FetchRefused, match="decimal, hex, octal or shortened form"):
        fetch(f"http://2130706433:{port}/page", server)


def test_it_checks_the_address_again_when_a_name_changes_its_answer(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the first answer is the allowed local server, the next a private host.
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    real = socket.getaddrinfo

    def rebinding(host: object, port: object, *args: object, **kwargs: object) -> list:
        if host == "rebind.test":
            return [_addrinfo(address, int(port)) for address in next(answers)]  # type: ignore[arg-type]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = int(server.rsplit(":", 1)[1])
    with pytest.raises(FetchRefused, match=r"rebind\.test \(10\.0\.0\.1\) .* private-network"):
        fetch(f"http://rebind.test:{port}/to-page", server)
