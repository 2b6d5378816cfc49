"""The machine and software a run measured on, for the report's method section."""

import platform
import shutil
import sqlite3
import subprocess
from importlib import metadata

import psutil

PACKAGES = (
    "django", "djangorestframework", "gunicorn", "celery", "redis", "httpx",
    "locust", "psutil",
)  # fmt: skip


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _redis_server() -> str | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    out = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    return next(
        (part[2:] for part in out.split() if part.startswith("v=")), out.strip()
    )


def describe() -> dict:
    return {
        "cpu_model": _cpu_model(),
        "cpus": psutil.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {name: metadata.version(name) for name in PACKAGES},
        "redis_server": _redis_server(),
        "sqlite": sqlite3.sqlite_version,
    }
