"""Benchmark of the command center core (a script, not a test).

1. Page timings under a small load: `kawal up --demo` in a subprocess on a fresh temp data directory
   (SQLite), C concurrent logged-in clients each fetching the main pages N times; prints p50/p95/max per
   page and the overall throughput.
2. The audit chain: appends per second (each a serialised transaction) and `verify` time per 10,000
   entries, on SQLite in a temp data directory.

Usage: ``.venv/bin/python benchmarks/bench_web.py [--clients 8] [--rounds 10] [--entries 10000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

PAGES = ["/", "/social/accounts/", "/audit/", "/orgs/members/", "/publishing/", "/api/social/accounts",
         "/api/audit/entries"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_kawal(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAWAL_")}
    env["KAWAL_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen([sys.executable, "-m", "kawal.cli.main", "up", "--demo", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    for line in proc.stdout:
        if "Kawal is running" in line:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
            return proc
    raise SystemExit("kawal up did not start")


def logged_in_client(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    done = client.post("/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": password},
                       headers={"Referer": base})
    if done.status_code != 302:
        raise SystemExit(f"login of {username} failed: {done.status_code}")
    return client


def api_token(client: httpx.Client, base: str) -> str:
    page = client.get("/security/").text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client.post("/security/tokens/new/", data={"csrfmiddlewaretoken": csrf, "name": "bench"},
                headers={"Referer": base})
    return re.search(r'id="new-token">(kwl_[^<]+)<', client.get("/security/").text).group(1)


def load(base: str, password: str, clients: int, rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {p: [] for p in PAGES}
    lock = threading.Lock()
    sessions = [logged_in_client(base, "demo-security", password) for _ in range(clients)]
    token = api_token(sessions[0], base)

    def run(client: httpx.Client) -> None:
        for _ in range(rounds):
            for page in PAGES:
                headers = {"Authorization": f"Bearer {token}"} if page.startswith("/api/") else {}
                start = time.perf_counter()
                response = client.get(page, headers=headers)
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    raise SystemExit(f"{page}: HTTP {response.status_code}")
                with lock:
                    timings[page].append(elapsed)

    threads = [threading.Thread(target=run, args=(c,)) for c in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def bench_pages(clients: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kawal-bench-") as tmp:
        port = free_port()
        proc = start_kawal(Path(tmp), port)
        try:
            password = json.loads((Path(tmp) / "demo_logins.json").read_text())["demo-security"]
            start = time.perf_counter()
            timings = load(f"http://127.0.0.1:{port}", password, clients, rounds)
            wall = time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait(30)
    total = sum(len(v) for v in timings.values())
    print(f"== page timings: kawal up --demo on SQLite, {clients} concurrent clients x {rounds} rounds "
          f"({os.cpu_count()} CPUs)")
    print(f"{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for page, values in timings.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{page:<24}{statistics.median(values) * 1000:>9.1f}{p95 * 1000:>9.1f}{values[-1] * 1000:>9.1f}")
    print(f"{total} requests in {wall:.1f} s: {total / wall:.0f} requests/s")


AUDIT_SCRIPT = """
import sys, time
from kawal.cli.server import setup_django
setup_django()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kawal.apps.audit.log import record, verify
n = int(sys.argv[1])
start = time.perf_counter()
for i in range(n):
    record("bench.event", payload={"i": i, "text": "Rilis pers: jadwal konferensi"})
append = time.perf_counter() - start
start = time.perf_counter()
count, problems = verify()
check = time.perf_counter() - start
assert count == n and not problems
print(f"== audit chain on SQLite: {n} appends in {append:.1f} s ({n / append:.0f}/s, one writer); "
      f"verify {count} entries in {check:.2f} s ({check / count * 1e4:.2f} s per 10,000)")
"""


def bench_audit(entries: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kawal-bench-audit-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KAWAL_")}
        env["KAWAL_DATA_DIR"] = tmp
        subprocess.run([sys.executable, "-c", AUDIT_SCRIPT, str(entries)], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--entries", type=int, default=10000)
    args = parser.parse_args()
    bench_pages(args.clients, args.rounds)
    bench_audit(args.entries)


if __name__ == "__main__":
    main()
