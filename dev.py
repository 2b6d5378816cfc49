#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11: `python dev.py --help`.

The Makefile's targets call this file, so `make run` and `python dev.py run` (the
spelling for Windows, where make is rare) do the same thing. This file uses only the
standard library: it creates `.venv`, installs the project into it, then runs the
rest of itself with the virtual environment's Python.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VAR = ROOT / "var"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
VENV_PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"  # hash of pyproject.toml at the last install

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
MONOLITH_URL = "http://127.0.0.1:{port}/"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


# ---------------------------------------------------------------- the virtualenv


def ensure_venv() -> None:
    """Create .venv and install the project into it when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (a clear message on an old Python)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not VENV_PYTHON.exists():
        say("creating .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    say("installing the project and its test tools into .venv (first run: a minute)")
    VAR.mkdir(exist_ok=True)
    log = VAR / "pip.log"
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check"]
    with log.open("w") as out:
        for step in (["install", "--upgrade", "pip"], ["install", "-e", ".[dev]"]):
            if subprocess.call([*pip, *step], cwd=ROOT, stdout=out, stderr=out):
                print(log.read_text()[-3000:])
                sys.exit(f"[dev] pip {' '.join(step)} failed; the whole log: {log}")
    STAMP.write_text(wanted)


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def reexec_in_venv() -> None:
    ensure_venv()
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(ROOT / "dev.py"), *sys.argv[1:]])


# ---------------------------------------------------------------- Redis


def redis_answers(url: str) -> bool:
    """True when a Redis server answers PING at ``url``."""
    parts = urlparse(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1
        ) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_redis(env: dict[str, str]) -> subprocess.Popen | None:
    """Use REDIS_URL if a server answers; else start a private one; else explain."""
    url = env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    if redis_answers(url):
        say(f"using Redis at {url}")
        return None
    server = shutil.which("redis-server")
    if server is None:
        sys.exit(
            f"[dev] No Redis answers at {url} and redis-server is not installed: "
            "install it (apt install redis-server; brew install redis) "
            "or set REDIS_URL."
        )
    port = free_port()
    process = subprocess.Popen(
        [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--loglevel",
            "warning",
        ],
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not redis_answers(url):
        if time.monotonic() > deadline or process.poll() is not None:
            sys.exit("[dev] the private redis-server did not start.")
        time.sleep(0.1)
    say(f"started a private redis-server at {url} (stops with this command)")
    env["REDIS_URL"] = url
    return process


# ---------------------------------------------------------------- commands


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=ROOT, env=env)


def announce_when_ready(url: str, deadline_seconds: float = 120) -> None:
    """Print the shop's URL once /readyz answers, from a background thread."""

    def wait() -> None:
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "readyz", timeout=2):  # noqa: S310
                    say(f"the monolith is ready: {url}  (Ctrl-C stops everything)")
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        say(f"the monolith did not answer at {url}readyz; see the log above.")

    threading.Thread(target=wait, daemon=True).start()


def cmd_run(args: argparse.Namespace) -> int:
    """Migrate, seed and start the monolith (gunicorn + Celery) in the foreground."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "monolith.settings.local"}
    env.setdefault("MONOLITH_PORT", str(args.port))
    metrics_dir = VAR / "prometheus" / "monolith"
    shutil.rmtree(metrics_dir, ignore_errors=True)  # figures of a previous run
    metrics_dir.mkdir(parents=True)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)

    redis = ensure_redis(env)
    try:
        manage("migrate", "--no-input", "-v", "0", env=env)
        manage("seed_demo", "--if-empty", "--with-users", env=env)
        announce_when_ready(MONOLITH_URL.format(port=env["MONOLITH_PORT"]))
        honcho = [str(BIN / "honcho"), "-f", "compose/Procfile.monolith", "start"]
        return subprocess.call(honcho, cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        if redis is not None:
            redis.send_signal(signal.SIGTERM)
            redis.wait(timeout=10)


def cmd_test(args: argparse.Namespace) -> int:
    """Lint, then run every test suite; the exit code is non-zero on any failure."""
    env = dict(os.environ)
    redis = ensure_redis(env)
    try:
        lint = subprocess.call([str(BIN / "ruff"), "check", "."], cwd=ROOT)
        if lint:
            say("ruff found problems (see above); fix them or run `ruff check --fix`.")
            return lint
        pytest = [sys.executable, "-m", "pytest", *args.pytest_args]
        return subprocess.call(pytest, cwd=ROOT, env=env)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


def cmd_deploy_check(args: argparse.Namespace) -> int:
    """`manage.py check --deploy` with production settings and a throwaway key."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monolith.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "shop.example.com",
    }
    command = [
        sys.executable,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    ]
    say("monolith: " + " ".join(command[1:]))
    return subprocess.call(command, cwd=ROOT, env=env)


def cmd_setup(args: argparse.Namespace) -> int:
    """Only create .venv and install (the other commands do this first anyway)."""
    say(f"ready: {VENV_PYTHON}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python dev.py",
        description="Set up, run and test the shop. Each command creates .venv and "
        "installs the project first when needed.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help=cmd_run.__doc__, description=cmd_run.__doc__)
    run.add_argument("--port", type=int, default=8000, help="monolith port (8000)")
    run.set_defaults(func=cmd_run)

    test = commands.add_parser(
        "test", help=cmd_test.__doc__, description=cmd_test.__doc__
    )
    test.add_argument(
        "pytest_args", nargs=argparse.REMAINDER, help="passed to pytest, e.g. -k orders"
    )
    test.set_defaults(func=cmd_test)

    check = commands.add_parser(
        "deploy-check",
        help=cmd_deploy_check.__doc__,
        description=cmd_deploy_check.__doc__,
    )
    check.set_defaults(func=cmd_deploy_check)

    setup = commands.add_parser("setup", help=cmd_setup.__doc__)
    setup.set_defaults(func=cmd_setup)

    args = parser.parse_args()
    if not in_venv():
        reexec_in_venv()  # does not return
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
