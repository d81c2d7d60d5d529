"""Starting and stopping the app under waitress for a benchmark: README.md's production command,
on 127.0.0.1 only."""

import http.client
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import time

from browsing import HOST

ROOT = pathlib.Path(__file__).resolve().parent.parent
SERVICE = "app:create_app"  # what README.md serves
MEASURED = "benchmarks.measured:create_app"  # the same, reporting each request's figures


def free_port():
    """A port on 127.0.0.1 that nothing is listening on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(database, port, threads, log, factory=SERVICE, secret_key=None, environment=None):
    """The app under waitress, started with README.md's production command and production settings."""
    # `python -m waitress` is waitress-serve, found the same way on Windows and Linux.
    command = [sys.executable, "-m", "waitress", "--host", HOST, "--port", str(port), f"--threads={threads}"]
    command += ["--call", factory]
    settings = os.environ | (environment or {})
    settings |= {
        "APP_ENV": "production",
        "SECRET_KEY": secret_key or secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{database}",
        "SESSION_COOKIE_SECURE": "0",
    }
    return subprocess.Popen(command, cwd=ROOT, env=settings, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def answers(port):
    """True if the server answers the sign-in page."""
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/sign-in")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def wait_until_serving(server, port, log_path, seconds=30):
    """Return once the server answers; stop the script if the server exits or does not answer in time."""
    deadline = time.monotonic() + seconds
    while not answers(port):
        if server.poll() is not None:
            sys.exit("The server stopped before it answered:\n" + log_path.read_text())
        if time.monotonic() > deadline:
            sys.exit(f"The server did not answer within {seconds} seconds.")
        time.sleep(0.2)


def stop_server(server):
    """End the server, however the run went."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
