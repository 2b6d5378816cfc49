"""Start the pieces every stack is made of: gunicorn, a Celery worker, a command.

The monolith and the services stack are put together from these, so both run under
the same server settings (``compose/gunicorn.conf.py``) and can be compared fairly.
"""

import shutil
import socket
import sys
import urllib.error
import urllib.request
from http import HTTPStatus
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from .processes import Process, StackError, wait_until

ROOT = Path(__file__).resolve().parents[2]
# The test's own interpreter: its bin/ holds the gunicorn and celery to use.
BIN = Path(sys.executable).parent


def gunicorn(
    name: str,
    wsgi: str,
    port: int,
    env: dict[str, str],
    workdir: Path,
    *,
    workers: int,
    threads: int,
) -> Process:
    """``wsgi`` is the dotted module of the WSGI application, e.g. ``monolith.wsgi``."""
    argv = [
        str(BIN / "gunicorn"),
        wsgi,
        "--config",
        "compose/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    return Process(name, argv, env=env, cwd=ROOT, log=workdir / f"{name}.log")


def celery_worker(
    name: str, app: str, queue: str, env: dict[str, str], workdir: Path
) -> Process:
    """A worker for one named queue; its log says " ready." once it consumes."""
    argv = [
        str(BIN / "celery"),
        "--app",
        app,
        "worker",
        "--queues",
        queue,
        "--hostname",
        f"{queue}@%h",
        "--concurrency",
        "2",
        "--loglevel",
        "INFO",
        # No other workers to talk to: skip the start-up handshakes.
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    return Process(name, argv, env=env, cwd=ROOT, log=workdir / f"{name}.log")


def command(name: str, argv: list[str], env: dict[str, str], workdir: Path) -> Process:
    """A long-running command of our own, such as an outbox relay."""
    return Process(
        name, [sys.executable, *argv], env=env, cwd=ROOT, log=workdir / f"{name}.log"
    )


# The second door of a stack: the same processes' data, a low sign-in rate limit.
THROTTLED_AUTH_RATE = "5/min"


def throttled_door(
    name: str, wsgi: str, env: dict[str, str], workdir: Path
) -> tuple[Process, str]:
    """A small gunicorn beside a stack's door, with a low sign-in limit: the one test
    that wants a 429 gets it here, while every other test signs up freely."""
    port = free_port()
    door_env = {
        **env,
        "AUTH_THROTTLE_RATE": THROTTLED_AUTH_RATE,
        "CACHE_KEY_PREFIX": f"{env['CACHE_KEY_PREFIX']}-throttled",
        "PROMETHEUS_MULTIPROC_DIR": str(fresh_dir(workdir / f"prometheus-{name}")),
    }
    door = gunicorn(name, wsgi, port, door_env, workdir, workers=1, threads=2)
    return door, f"http://127.0.0.1:{port}"


def redis_server(name: str, workdir: Path) -> tuple[Process, str]:
    """A private redis-server on a free loopback port, keeping nothing on disk.

    Returns the process and its URL once it answers PING. A stack with a Redis of its
    own is one whose every process (Redis too) the benchmark can measure.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        raise StackError("redis-server is not installed (apt install redis-server)")
    port = free_port()
    argv = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    argv += ["--appendonly", "no", "--dir", str(workdir)]
    process = Process(name, argv, env={}, cwd=workdir, log=workdir / f"{name}.log")
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(
        lambda: _pings(url), timeout=10, what=f"{name} at {url}", watch=[process]
    )
    return process, url


def _pings(url: str) -> bool:
    try:
        with Redis.from_url(url, socket_timeout=1) as redis:
            return bool(redis.ping())
    except RedisError:
        return False


def forget_redis_keys(redis_url: str, *prefixes: str) -> None:
    """Drop a run's queues and cache keys, so a shared Redis does not fill up."""
    with Redis.from_url(redis_url) as redis:
        for prefix in prefixes:
            bindings = [f"_kombu.binding.{prefix}"]
            bindings.append(f"_kombu.binding_permanent.{prefix}")
            redis.delete(*bindings, *redis.scan_iter(f"{prefix}*"))


def fresh_dir(path: Path) -> Path:
    path.mkdir()
    return path


def free_port() -> int:
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
