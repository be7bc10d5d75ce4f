"""The machine a figure was measured on, printed beside every benchmark's figures.

A figure means little without its machine: the CPU model and cores, memory, the load already on it
(other work running meanwhile slows every figure), and the versions of what opis stands on. Each
bench script keeps these under ``"machine"`` in its JSON and prints the parts its report needs.
"""

import os
import platform
import sqlite3
import time
from importlib.metadata import version
from pathlib import Path


def describe() -> dict:
    """CPU, cores, memory (MB), load average, Python, SQLite and Tantivy versions, the day."""
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_mb": int((_proc_field("/proc/meminfo", "MemTotal") or "0 kB").split()[0]) // 1024,
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "tantivy": version("tantivy"),
        "date": time.strftime("%Y-%m-%d"),
    }


def _proc_field(path: str, name: str) -> str:
    """The value of the first ``name:`` line of a /proc file, or "" where there is none."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return ""
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(name)), "")
