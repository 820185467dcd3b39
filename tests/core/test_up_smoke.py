"""`kawal up` for real: a subprocess on a free port with a temp data directory, then Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(pattern: str, proc: subprocess.Popen, lines: list[str], timeout: float = 90) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                raise AssertionError("kawal up exited early:\n" + "".join(lines))
            continue
        lines.append(line)
        found = re.search(pattern, line)
        if found:
            return found
    raise AssertionError(f"no {pattern!r} within {timeout}s:\n" + "".join(lines))


def test_kawal_up_serves_login_setup_link_and_stops_cleanly(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAWAL_")}
    env["KAWAL_DATA_DIR"] = str(tmp_path / "data")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen([sys.executable, "-m", "kawal.cli.main", "up", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    lines: list[str] = []
    try:
        setup = _wait_for(r"(http://\S+/setup/\S+/)", proc, lines)
        _wait_for(r"Kawal is running at", proc, lines)
        base = f"http://127.0.0.1:{port}"
        login = httpx.get(f"{base}/login/", timeout=10)
        assert login.status_code == 200 and "Kawal is not set up yet" in login.text
        page = httpx.get(setup.group(1), timeout=10)
        assert page.status_code == 200 and 'name="org_name"' in page.text
        assert (tmp_path / "data" / "kawal.sqlite3").exists()
        assert oct((tmp_path / "data" / "setup_token").stat().st_mode & 0o777) == "0o600"
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, "".join(lines) + out
    assert "Kawal stopped." in out


def test_worker_stops_on_sigterm(migrated_data_dir):
    _, env = migrated_data_dir
    proc = subprocess.Popen([sys.executable, "-m", "kawal.cli.main", "worker", "--threads", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    _wait_for(r"Kawal worker running \(2 thread", proc, lines)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Kawal worker stopped." in out
