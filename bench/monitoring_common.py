"""What the monitoring benchmarks report beside the wall time, so that figures taken on a busy
machine (2 cores shared with other work) can be read: this process's CPU time, the CPU time of
the PostgreSQL backend serving its connection (read from /proc where the server runs on this
machine, else not shown), and the load average."""

from __future__ import annotations

import os
import time
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def backend_pid(connection) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def process_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of a process on this machine (None where /proc does not show it)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


class Timer:
    """with Timer(connection) as t: …  then t.wall, t.cpu (this process), t.db_cpu (the backend)."""

    def __init__(self, connection):
        connection.ensure_connection()
        self.pid = backend_pid(connection)

    def __enter__(self):
        self._db = process_cpu(self.pid)
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        after = process_cpu(self.pid)
        self.db_cpu = None if after is None or self._db is None else after - self._db
        return False

    def text(self, *, ms=False) -> str:
        def show(seconds):
            return f"{seconds * 1000:.1f} ms" if ms else f"{seconds:.2f} s"

        db = "" if self.db_cpu is None else f", database CPU {show(self.db_cpu)}"
        return f"{show(self.wall)} (CPU {show(self.cpu)}{db})"


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPU"
