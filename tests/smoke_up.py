"""The embedded path, as a newcomer meets it: `onderop up` with no server URLs starts, gets ready, stops cleanly.

Run by .ci/run (and usable by hand): `python -m tests.smoke_up`. Exits non-zero on any failure; never leaves a
process behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
ALL_PORTS = {"registry": 8001, "knowledge": 8002, "rewards": 8003, "funding": 8004, "partners": 8005}
PORTS = {s: p for s, p in ALL_PORTS.items() if (ROOT / "services" / s / "app.py").exists()}


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="onderop-smoke-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONDEROP_")}
    env["ONDEROP_HOME"] = str(home)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "shared.cli", "up"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    ok = False
    output: list[str] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            print(line, end="", flush=True)
            if "Ctrl-C stops everything" in line:
                ok = True
                break
        if ok:
            with httpx.Client(timeout=5) as client:
                for service, port in PORTS.items():
                    ready = client.get(f"http://127.0.0.1:{port}/readyz")
                    print(f"{service}: /readyz {ready.status_code} {ready.json()['checks']}")
                    ok &= ready.status_code == 200
                    docs = client.get(f"http://127.0.0.1:{port}/{service}/openapi.json")
                    ok &= docs.status_code == 200
            print(f"up and ready (with demo data) in {time.monotonic() - started:.1f}s")
            # an operator's command beside it finds the embedded servers without being told their ports
            status = subprocess.run(
                [sys.executable, "-m", "shared.cli", "status"], cwd=ROOT, env=env, capture_output=True, text=True
            )
            print(status.stdout, status.stderr, end="")
            ok &= status.returncode == 0
            # a second `up` beside it refuses at once instead of reporting the first one's services as its own
            second = subprocess.run(
                [sys.executable, "-m", "shared.cli", "up"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            print(f"a second up: exit {second.returncode}: {second.stderr.strip()}")
            ok &= second.returncode == 1 and "port in use" in second.stderr
        if ok:
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=60)
            lost = subprocess.run(
                [sys.executable, "-m", "shared.cli", "status"], cwd=ROOT, env=env, text=True, capture_output=True
            )
            print(f"status after stop: exit {lost.returncode}: {lost.stderr.strip()}")
            ok &= lost.returncode == 2 and "no running platform" in lost.stderr
    finally:
        children = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                rest, _ = proc.communicate(timeout=60)
                print(rest, end="")
            except subprocess.TimeoutExpired:
                print("onderop up did not stop within 60 s", flush=True)
                ok = False
                os.killpg(proc.pid, signal.SIGKILL)
        for child in children:
            if child.is_running() and child.status() != psutil.STATUS_ZOMBIE:
                print(f"left behind: {child.pid} {child.cmdline()[:3]}")
                ok = False
                child.kill()
        leftover = [
            p
            for p in psutil.process_iter(["name", "cmdline"])
            if p.info["name"] == "postgres" and any(str(home) in part for part in p.info["cmdline"] or [])
        ]
        for p in leftover:
            print(f"embedded PostgreSQL left running: {p.pid}")
            ok = False
            p.kill()
    print("embedded path:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
