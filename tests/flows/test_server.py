"""`city-reports server start` on a port another server holds."""
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from flows import server
from flows.config import STATE_ENV


class Health(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_port_held_by_another_server_is_named_and_nothing_is_started(tmp_path, monkeypatch):
    """Prefect's `server start --background` exits 0 even when it cannot bind, and the other server then
    answers every health check: the start must say so, not adopt that server."""
    other = HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    monkeypatch.setenv(STATE_ENV, str(tmp_path / "state"))
    started = []
    monkeypatch.setattr(server, "_prefect", lambda *a, **k: started.append(a))
    try:
        with pytest.raises(server.ServerError, match=f"port {other.server_port} is taken by another Prefect server"):
            server.start(port=other.server_port, ui=False)
    finally:
        other.shutdown()
    assert started == [] and not server.server_file().exists() and server.status() is None
