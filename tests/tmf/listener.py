"""A TMF621 listener on 127.0.0.1 for the tests: records what it is sent, answers as told."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Listener:
    def __init__(self, answers: list[int] | None = None) -> None:
        self.received: list[dict] = []
        self.answers = list(answers or [])
        self.port = _free_port()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/listener"

    def start(self) -> Listener:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                listener.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(listener.answers.pop(0) if listener.answers else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                """Requests are recorded in `received`; nothing is written to stderr."""

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def events(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.received]

    @staticmethod
    def signed_by(request: dict, secret: str) -> bool:
        expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
        return hmac.compare_digest(request["headers"].get("X-Signature", ""), expected)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
