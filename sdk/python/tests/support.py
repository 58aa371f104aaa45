"""What the tests share: a real ``gantry serve`` started once per test run, and loopback stub
servers (standard library http.server) for what a real gateway will not do on demand."""

from __future__ import annotations

import atexit
import http.client
import http.server
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

SDK_PATH = Path(__file__).resolve().parents[1]
REPO_ROOT = SDK_PATH.parents[1]

if str(SDK_PATH) not in sys.path:
    sys.path.insert(0, str(SDK_PATH))

import gantry  # noqa: E402


_given_ports: set = set()


def free_port() -> int:
    """A loopback port for a server that must know its port before it binds. A port from the kernel
    (bind to 0, then close) is free only until the next outgoing connection takes it; these come
    from just below the kernel's ephemeral range, which it never hands out by itself."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    last = max(low - 1, 11024)
    first = max(1024, last - 10000)
    # scripts/test.sh runs two suites at once and gives each its own half of the range.
    given = os.environ.get("GANTRY_TEST_PORT_RANGE", "").split("-")
    if len(given) == 2 and all(g.isdigit() for g in given) and 1024 <= int(given[0]) < int(given[1]) <= 65535:
        first, last = int(given[0]), int(given[1])
    for _ in range(last - first + 1):
        port = random.randint(first, last)
        if port in _given_ports:
            continue
        _given_ports.add(port)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free loopback port in {first}-{last}")


def gantry_dll() -> Path:
    """The built gateway: GANTRY_DLL, else the Debug build of src/Gantry.Cli (built here if missing)."""
    explicit = os.environ.get("GANTRY_DLL")
    if explicit:
        return Path(explicit)
    dll = REPO_ROOT / "src" / "Gantry.Cli" / "bin" / "Debug" / "net10.0" / "gantry.dll"
    if not dll.exists():
        subprocess.run(
            ["dotnet", "build", str(REPO_ROOT / "src" / "Gantry.Cli"), "-nologo", "-v", "quiet"],
            check=True, cwd=REPO_ROOT,
        )
    return dll


class Gateway:
    """A real gateway process on a free loopback port with its own data directory."""

    def __init__(self) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="gantry-sdk-test-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        ui_port = free_port()
        while ui_port == self.port:
            ui_port = free_port()
        self.ui_url = f"http://127.0.0.1:{ui_port}"
        self.admin_token = ""
        self._log = open(self.data_dir / "gateway.log", "wb")
        self._process: Optional[subprocess.Popen] = None

    def start(self, timeout: float = 90.0) -> "Gateway":
        env = {k: v for k, v in os.environ.items() if not k.startswith("GANTRY_")}
        env["DOTNET_NOLOGO"] = "1"
        self._process = subprocess.Popen(
            ["dotnet", str(gantry_dll()), "serve", "--data-dir", str(self.data_dir), "--urls", self.url, "--ui-urls", self.ui_url],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gantry serve exited with {self._process.returncode}:\n{self.log()}")
            if self._ready():
                self.admin_token = (self.data_dir / "admin.token").read_text().strip()
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gantry serve was not ready within {timeout}s:\n{self.log()}")

    def _ready(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/readyz")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok and (self.data_dir / "admin.token").exists()
        except OSError:
            return False

    def log(self) -> str:
        self._log.flush()
        return (self.data_dir / "gateway.log").read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def client(self, **kwargs) -> gantry.Client:
        kwargs.setdefault("token", self.admin_token)
        return gantry.Client(url=self.url, **kwargs)

    def create_user(self, name: str) -> str:
        """Creates a user with the admin token and returns the user's token."""
        admin = self.client()
        answer = admin._transport.request("POST", "/api/v1/users", json_body={"name": name, "role": "user"})
        return answer.json()["token"]


_shared: Optional[Gateway] = None
_shared_lock = threading.Lock()


def shared_gateway() -> Gateway:
    """The gateway every test module uses; started on first use, stopped when the run ends."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Gateway().start()
            atexit.register(stop_shared_gateway)
        return _shared


def stop_shared_gateway() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


# ---------------------------------------------------------------------- loopback stubs

Reply = Tuple[int, Dict[str, str], bytes]
Handler = Callable[["StubServer", http.server.BaseHTTPRequestHandler, bytes], Optional[Reply]]


class StubServer:
    """A loopback HTTP server whose answers come from ``handler``; it records every request.

    ``handler(server, request, body)`` returns (status, headers, body), or None to drop the
    connection without answering.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: List[Tuple[str, str, Dict[str, str], bytes]] = []
        stub = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stub.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = stub.handler(stub, self, body)
                if reply is None:
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                status, headers, data = reply
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "StubServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def json_reply(status: int, body, headers: Optional[Dict[str, str]] = None) -> Reply:
    content_type = "application/problem+json" if status >= 400 else "application/json"
    return status, {"Content-Type": content_type, **(headers or {})}, json.dumps(body).encode()


def forward(target_url: str, request: http.server.BaseHTTPRequestHandler, body: bytes) -> Reply:
    """Sends the stub's request on to the real gateway and returns its answer."""
    host, port = target_url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "connection")}
    conn.request(request.command, request.path, body=body or None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    reply_headers = {k: v for k, v in response.getheaders() if k.lower() not in ("transfer-encoding", "content-length", "connection")}
    conn.close()
    return response.status, reply_headers, data


def run_python(code: str, *, env: Dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter that imports this SDK."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("GANTRY_")}
    full_env.update(env)
    full_env["PYTHONPATH"] = str(SDK_PATH)
    return subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, timeout=timeout)
