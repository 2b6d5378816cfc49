"""Launch the monolith as real processes: gunicorn and a Celery worker."""

import os
import secrets
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from http import HTTPStatus
from pathlib import Path

from redis import Redis

from .processes import Process, run_step, stop_all, wait_until
from .stack import Stack

ROOT = Path(__file__).resolve().parents[2]
# The test's own interpreter: its bin/ holds the gunicorn and celery to use.
BIN = Path(sys.executable).parent
STAFF_USERNAME = "contract-staff"
# Sign-up is limited per client IP, and every test signs up a user of its own from
# 127.0.0.1: the main door's limit is out of reach. A second, small gunicorn on the
# same database keeps a low limit for the one test that wants to see the 429.
AUTH_THROTTLE_RATE = "10000/min"
THROTTLED_AUTH_RATE = "5/min"
START_TIMEOUT = 60


@contextmanager
def launch_monolith(
    name: str, workdir: Path, database: AbstractContextManager[str]
) -> Iterator[Stack]:
    """Migrate and seed a fresh database, then serve it until the block exits."""
    staff_password = secrets.token_urlsafe(16)
    with database as database_url:
        env = _environment(name, workdir, database_url)
        prepare_log = workdir / "prepare.log"
        manage = [sys.executable, "manage.py"]
        run_step([*manage, "migrate", "--no-input"], env=env, cwd=ROOT, log=prepare_log)
        run_step([*manage, "seed_demo"], env=env, cwd=ROOT, log=prepare_log)
        email = f"{STAFF_USERNAME}@example.com"
        staff = ["--username", STAFF_USERNAME, "--email", email]
        run_step(
            [*manage, "createsuperuser", "--no-input", *staff],
            env={**env, "DJANGO_SUPERUSER_PASSWORD": staff_password},
            cwd=ROOT,
            log=prepare_log,
        )

        port, throttled_port = _free_port(), _free_port()
        throttled_env = {
            **env,
            "AUTH_THROTTLE_RATE": THROTTLED_AUTH_RATE,
            "CACHE_KEY_PREFIX": f"{env['CACHE_KEY_PREFIX']}-throttled",
            "PROMETHEUS_MULTIPROC_DIR": str(_fresh_dir(workdir / "prometheus-2")),
        }
        processes: list[Process] = []
        try:
            web = _gunicorn("gunicorn", port, env, workdir, workers=2, threads=4)
            processes.append(web)
            worker = _celery_worker(env, workdir)
            processes.append(worker)
            door = _gunicorn(
                "gunicorn-throttled",
                throttled_port,
                throttled_env,
                workdir,
                workers=1,
                threads=2,
            )
            processes.append(door)
            base_url = f"http://127.0.0.1:{port}"
            throttled_url = f"http://127.0.0.1:{throttled_port}"
            for url in (base_url, throttled_url):
                probe = ReadyProbe(f"{url}/readyz")
                wait_until(
                    probe,
                    timeout=START_TIMEOUT,
                    what=lambda probe=probe: f"{probe.url} answered {probe.last}",
                    watch=processes,
                )
            wait_until(
                lambda: " ready." in worker.log.read_text(errors="replace"),
                timeout=START_TIMEOUT,
                what=f"{name}: the Celery worker",
                watch=processes,
            )
            yield Stack(
                name=name,
                base_url=base_url,
                staff_username=STAFF_USERNAME,
                staff_password=staff_password,
                throttled_base_url=throttled_url,
                processes=tuple(processes),
            )
        finally:
            stop_all(processes)
            _forget_redis_keys(env["REDIS_URL"], env["CELERY_QUEUE"])


def _environment(name: str, workdir: Path, database_url: str) -> dict[str, str]:
    unique = f"{name}-{secrets.token_hex(4)}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monolith.settings.test",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # Each server its own queue and cache keys, so stacks can share one Redis.
        "CELERY_QUEUE": unique,
        "CACHE_KEY_PREFIX": unique,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUTH_THROTTLE_RATE": AUTH_THROTTLE_RATE,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "SERVED_BY": "monolith",
        "PROMETHEUS_MULTIPROC_DIR": str(_fresh_dir(workdir / "prometheus")),
        "PYTHONUNBUFFERED": "1",
    }


def _gunicorn(
    name: str, port: int, env: dict[str, str], workdir: Path, *, workers, threads
) -> Process:
    argv = [
        str(BIN / "gunicorn"),
        "monolith.wsgi",
        "--config",
        "compose/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        # Gunicorn's control socket has one default path per user: stacks would clash.
        "--no-control-socket",
    ]
    return Process(name, argv, env=env, cwd=ROOT, log=workdir / f"{name}.log")


def _celery_worker(env: dict[str, str], workdir: Path) -> Process:
    argv = [
        str(BIN / "celery"),
        "--app",
        "monolith",
        "worker",
        "--queues",
        env["CELERY_QUEUE"],
        "--hostname",
        f"{env['CELERY_QUEUE']}@%h",
        "--concurrency",
        "2",
        "--loglevel",
        "INFO",
        # No other workers to talk to: skip the start-up handshakes.
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    return Process("celery", argv, env=env, cwd=ROOT, log=workdir / "celery.log")


def _forget_redis_keys(redis_url: str, unique: str) -> None:
    """Drop this run's queue and cache keys, so a shared Redis does not fill up."""
    bindings = [f"_kombu.binding.{unique}", f"_kombu.binding_permanent.{unique}"]
    with Redis.from_url(redis_url) as redis:
        redis.delete(*bindings, *redis.scan_iter(f"{unique}*"))


def _fresh_dir(path: Path) -> Path:
    path.mkdir()
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ReadyProbe:
    """Asks /readyz; remembers the last answer, to say why a stack is not ready."""

    def __init__(self, url: str):
        self.url = url
        self.last = "none yet"

    def __call__(self) -> bool:
        # urllib rather than httpx: its requests stay out of the tests' captured logs.
        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:  # noqa: S310
                return response.status == HTTPStatus.OK
        except urllib.error.HTTPError as error:
            self.last = f"{error.code} {error.read().decode(errors='replace')}"
        except OSError as error:
            self.last = str(error)
        return False
