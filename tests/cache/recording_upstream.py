"""A pass-through in front of the mock upstream that records which paths were called."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder:
    def __init__(self, url: str) -> None:
        self.url = url
        self.paths: list[str] = []

    def count(self, path: str) -> int:
        return self.paths.count(path)


@contextmanager
def recording(upstream_url: str) -> Iterator[Recorder]:
    """Forward every POST to `upstream_url` unchanged; the Recorder lists the paths."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(upstream_url))
    recorder = Recorder(f"http://127.0.0.1:{server.server_address[1]}")
    server.recorder = recorder  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _handler_for(upstream_url: str) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.server.recorder.paths.append(self.path)  # type: ignore[attr-defined]
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            request = urllib.request.Request(upstream_url + self.path, body, headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as reply:
                    status, answer = reply.status, reply.read()
            except urllib.error.HTTPError as error:
                status, answer = error.code, error.read()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: the test reads the recorder, not the log

    return Forward
