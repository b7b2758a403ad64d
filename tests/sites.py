"""A small local web site for capture tests: loopback only, its one port allowed."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PAGE = (
    "<html><head><title>Evacuation update</title><script>var x = 1;</script></head><body>"
    "<nav>Home | World</nav><article><h1>Evacuation update</h1>"
    "<p>Local authorities reported on June 3 that 48 residents were evacuated from the "
    "village in early June 2025.</p><p>Officials have moved more than 3,000 people since "
    "2023, the regional administration said on Tuesday.</p></article></body></html>"
)


class Site(BaseHTTPRequestHandler):
    page = PAGE

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/binary":
            body = b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 64
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(20000):  # bounded: about 20 MB at most
                    self.wfile.write(b"<p>" + b"x" * 1024 + b"</p>")
            except OSError:
                pass  # the client hung up, as it should
            return
        body = type(self).page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    settings.FETCH_ALLOW_LOOPBACK_PORTS = [port]
    settings.FETCH_TIMEOUT_SECONDS = 5
    Site.page = PAGE
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()
