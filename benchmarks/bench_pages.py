"""Page timings under a small load (a script, not a test).

Starts `kawal up --demo` on a fresh temp data directory (SQLite) on a free loopback port, fills it with a
little realistic content (drafts written and submitted through the API, a post published by the worker,
a sync of the sandbox account with a hijacked post, hence an incident), then lets C concurrent logged-in
clients walk every main page of the product: the approval queue, composer, calendar, a draft, accounts,
account integrity, incidents, notifications, listening, the audit log and the API. Bounded in count
(``--clients`` x ``--rounds`` walks) and in time (``--max-seconds``: clients stop starting walks after
it). Prints p50/p95/max per page, the throughput, and the server's CPU time.

Usage: ``.venv/bin/python benchmarks/bench_pages.py [--clients 4] [--rounds 5] [--max-seconds 60]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

# (label, path, persona): the persona whose session or token fetches the page.
PAGES: list[tuple[str, str, str]] = [
    ("home", "/", "security"),
    ("approval queue", "/publishing/", "author"),
    ("composer", "/publishing/compose/", "author"),
    ("calendar", "/publishing/calendar/", "author"),
    ("draft", "/publishing/drafts/{draft}/", "author"),
    ("accounts", "/social/accounts/", "security"),
    ("integrity overview", "/integrity/", "security"),
    ("integrity account", "/integrity/accounts/{account}/", "security"),
    ("incidents", "/incidents/", "security"),
    ("incident", "/incidents/{incident}/", "security"),
    ("notifications", "/notifications/", "security"),
    ("listening", "/listening/", "security"),
    ("audit log", "/audit/", "security"),
    ("API drafts", "/api/publishing/drafts", "author"),
    ("API incidents", "/api/incidents/", "security"),
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_kawal(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAWAL_") and k != "DJANGO_SETTINGS_MODULE"}
    env["KAWAL_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen([sys.executable, "-m", "kawal.cli.main", "up", "--demo", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Kawal is running" in line:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
            return proc
    raise SystemExit("kawal up did not start")


def log_in(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = CSRF.search(client.get("/login/").text).group(1)
    done = client.post("/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": password})
    if done.status_code != 302 or "/login/verify/" in done.headers.get("Location", ""):
        raise SystemExit(f"login of {username} failed: HTTP {done.status_code}")
    return client


def post_form(client: httpx.Client, page: str, action: str, data: dict[str, str]) -> httpx.Response:
    token = CSRF.search(client.get(page).text).group(1)
    return client.post(action, data={"csrfmiddlewaretoken": token, **data})


def api_token(client: httpx.Client) -> str:
    post_form(client, "/security/", "/security/tokens/new/", {"name": "bench"})
    return re.search(r'id="new-token">(kwl_[^<]+)<', client.get("/security/").text).group(1)


def seed(base: str, data: Path, logins: dict[str, str]) -> tuple[dict[str, httpx.Client], dict[str, str], dict]:
    """Drafts, one published post, a hijack and its incident; returns sessions, tokens and page ids."""
    from kawal.sources.platforms.sandbox import SandboxNetwork

    sessions = {p: log_in(base, f"demo-{p}", logins[f"demo-{p}"]) for p in ("author", "security")}
    tokens = {p: api_token(c) for p, c in sessions.items()}
    author = {"Authorization": f"Bearer {tokens['author']}"}
    accounts = httpx.get(f"{base}/api/social/accounts", headers=author).json()
    account = next(a for a in accounts if a["handle"].lstrip("@") == "kawal_demo")
    draft = 0
    for i in range(20):
        made = httpx.post(f"{base}/api/publishing/drafts", headers=author, timeout=60, json={
            "account_id": account["id"], "text": f"Pengumuman layanan nomor {i}: kantor buka pukul 08.00.",
            "submit": i % 2 == 0})
        made.raise_for_status()
        draft = made.json()["id"]
    network = SandboxNetwork(data / "sandbox.sqlite3")
    network.post_as("kawal_demo", "FREE CRYPTO GIVEAWAY http://bit.ly/x", client="Twitter Web App")
    network.close()
    security = sessions["security"]
    post_form(security, f"/integrity/accounts/{account['id']}/", f"/integrity/accounts/{account['id']}/sync/", {})
    incidents = security.get("/api/incidents/", headers={"Authorization": f"Bearer {tokens['security']}"}).json()
    if not incidents:
        raise SystemExit("the sync opened no incident")
    return sessions, tokens, {"draft": draft, "account": account["id"], "incident": incidents[0]["id"]}


def walk(base: str, logins: dict[str, str], tokens: dict[str, str], ids: dict, rounds: int, deadline: float,
         timings: dict[str, list[float]], lock: threading.Lock) -> None:
    sessions = {p: log_in(base, f"demo-{p}", logins[f"demo-{p}"]) for p in ("author", "security")}
    for _ in range(rounds):
        if time.monotonic() > deadline:
            return
        for label, path, persona in PAGES:
            headers = {"Authorization": f"Bearer {tokens[persona]}"} if path.startswith("/api/") else {}
            start = time.perf_counter()
            response = sessions[persona].get(path.format(**ids), headers=headers)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{label} ({path}): HTTP {response.status_code}")
            with lock:
                timings[label].append(elapsed)


def cpu_per_page(base: str, logins: dict[str, str], tokens: dict[str, str], ids: dict, pid: int,
                 repeats: int = 5) -> dict[str, float]:
    """Server CPU ms per page, one client alone (the wall clock of a shared machine says little)."""
    sessions = {p: log_in(base, f"demo-{p}", logins[f"demo-{p}"]) for p in ("author", "security")}
    cpu: dict[str, float] = {}
    for label, path, persona in PAGES:
        headers = {"Authorization": f"Bearer {tokens[persona]}"} if path.startswith("/api/") else {}
        sessions[persona].get(path.format(**ids), headers=headers)  # warm
        before = cpu_seconds(pid)
        for _ in range(repeats):
            sessions[persona].get(path.format(**ids), headers=headers)
        cpu[label] = (cpu_seconds(pid) - before) / repeats * 1000
    return cpu


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(timings: dict[str, list[float]], alone: dict[str, float], clients: int, wall: float, cpu: float) -> None:
    total = sum(len(v) for v in timings.values())
    print(f"== page timings: kawal up --demo on SQLite, {clients} concurrent clients ({os.cpu_count()} CPUs, shared)")
    print(f"{'page':<22}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'CPU ms':>9}  (CPU: server, one client)")
    for label, values in timings.items():
        if not values:
            continue
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{label:<22}{len(values):>5}{statistics.median(values) * 1000:>9.1f}{p95 * 1000:>9.1f}"
              f"{values[-1] * 1000:>9.1f}{alone[label]:>9.0f}")
    print(f"{total} requests in {wall:.1f} s: {total / wall:.1f} requests/s; server CPU {cpu:.1f} s "
          f"({cpu / max(total, 1) * 1000:.1f} ms per request)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (1..32)")
    parser.add_argument("--rounds", type=int, default=5, help="walks through every page per client (1..100)")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="stop starting walks after this long")
    args = parser.parse_args()
    if not 1 <= args.clients <= 32 or not 1 <= args.rounds <= 100 or args.max_seconds <= 0:
        parser.error("--clients must be 1..32, --rounds 1..100 and --max-seconds positive")
    with tempfile.TemporaryDirectory(prefix="kawal-bench-pages-") as tmp:
        data, port = Path(tmp) / "data", free_port()
        proc = start_kawal(data, port)
        base = f"http://127.0.0.1:{port}"
        try:
            logins = json.loads((data / "demo_logins.json").read_text())
            _, tokens, ids = seed(base, data, logins)
            alone = cpu_per_page(base, logins, tokens, ids, proc.pid)
            timings: dict[str, list[float]] = {label: [] for label, _, _ in PAGES}
            lock = threading.Lock()
            cpu_before, start = cpu_seconds(proc.pid), time.perf_counter()
            deadline = time.monotonic() + args.max_seconds
            threads = [threading.Thread(target=walk, args=(base, logins, tokens, ids, args.rounds, deadline,
                                                           timings, lock)) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall, cpu = time.perf_counter() - start, cpu_seconds(proc.pid) - cpu_before
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)
    report(timings, alone, args.clients, wall, cpu)


if __name__ == "__main__":
    main()
