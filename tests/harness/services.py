"""Launch the services stack as real processes, the way `make run` starts it.

Five gunicorns (gateway, catalog, orders, payments, storefront), a Celery worker and an
outbox relay for orders and for payments, each service with its own SQLite file, all on
free loopback ports. Tests talk only to the gateway, as users do.
"""

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .processes import Process, run_step, stop_all, wait_until
from .servers import (
    ROOT,
    ReadyProbe,
    celery_worker,
    command,
    forget_redis_keys,
    free_port,
    fresh_dir,
    gunicorn,
)
from .stack import Stack

SERVICES = ("catalog", "orders", "payments", "storefront", "gateway")
# The services with background work: a worker for their queue and an outbox relay.
WORKERS = ("orders", "payments")
STAFF_USERNAME = "contract-staff"
AUTH_THROTTLE_RATE = "10000/min"  # see monolith.py: every test signs up from 127.0.0.1
THROTTLED_AUTH_RATE = "5/min"
START_TIMEOUT = 90


def manage(service: str) -> list[str]:
    return [sys.executable, f"extracted_services/{service}/manage.py"]


@contextmanager
def launch_services(name: str, workdir: Path) -> Iterator[Stack]:
    """Migrate and seed a database per service, then serve until the block exits."""
    ports = {service: free_port() for service in SERVICES}
    unique = f"{name}-{secrets.token_hex(4)}"
    shared = _shared_environment(unique, ports)
    envs = {
        service: _service_environment(service, shared, unique, workdir)
        for service in SERVICES
    }
    staff_password = secrets.token_urlsafe(16)
    _prepare(envs, workdir, staff_password)

    throttled_port = free_port()
    throttled_env = {
        **envs["gateway"],
        "AUTH_THROTTLE_RATE": THROTTLED_AUTH_RATE,
        "CACHE_KEY_PREFIX": f"{unique}-gateway-throttled",
        "PROMETHEUS_MULTIPROC_DIR": str(fresh_dir(workdir / "prometheus-throttled")),
    }
    processes: list[Process] = []
    try:
        for service in SERVICES:
            wsgi = f"extracted_services.{service}.wsgi"
            web = gunicorn(
                service, wsgi, ports[service], envs[service], workdir,
                workers=1, threads=8,
            )  # fmt: skip
            processes.append(web)
        workers = []
        for service in WORKERS:
            queue = envs[service][f"{service.upper()}_QUEUE"]
            app = f"extracted_services.{service}.celery"
            worker = celery_worker(
                f"{service}-worker", app, queue, envs[service], workdir
            )
            workers.append(worker)
            relay = command(
                f"{service}-relay",
                [*manage(service)[1:], "relay_outbox"],
                envs[service],
                workdir,
            )
            processes += [worker, relay]
        processes.append(
            gunicorn(
                "gateway-throttled",
                "extracted_services.gateway.wsgi",
                throttled_port,
                throttled_env,
                workdir,
                workers=1,
                threads=2,
            )
        )
        urls = [f"http://127.0.0.1:{port}" for port in ports.values()]
        urls.append(f"http://127.0.0.1:{throttled_port}")
        for url in urls:
            probe = ReadyProbe(f"{url}/readyz")
            wait_until(
                probe,
                timeout=START_TIMEOUT,
                what=lambda probe=probe: f"{probe.url} answered {probe.last}",
                watch=processes,
            )
        for worker in workers:
            wait_until(
                lambda worker=worker: worker.logged(" ready."),
                timeout=START_TIMEOUT,
                what=f"{name}: {worker.name}",
                watch=processes,
            )
        yield Stack(
            name=name,
            base_url=f"http://127.0.0.1:{ports['gateway']}",
            staff_username=STAFF_USERNAME,
            staff_password=staff_password,
            throttled_base_url=f"http://127.0.0.1:{throttled_port}",
            processes=tuple(processes),
        )
    finally:
        stop_all(processes)
        queues = (shared["ORDERS_QUEUE"], shared["PAYMENTS_QUEUE"])
        forget_redis_keys(shared["REDIS_URL"], unique, *queues)


def _prepare(envs: dict[str, dict[str, str]], workdir: Path, password: str) -> None:
    """Each service migrates its own database; catalog seeds products, gateway staff."""
    log = workdir / "prepare.log"
    for service in SERVICES:
        migrate = [*manage(service), "migrate", "--no-input"]
        run_step(migrate, env=envs[service], cwd=ROOT, log=log)
    seed = [*manage("catalog"), "seed_demo"]
    run_step(seed, env=envs["catalog"], cwd=ROOT, log=log)
    staff = ["--username", STAFF_USERNAME, "--email", f"{STAFF_USERNAME}@example.com"]
    run_step(
        [*manage("gateway"), "createsuperuser", "--no-input", *staff],
        env={**envs["gateway"], "DJANGO_SUPERUSER_PASSWORD": password},
        cwd=ROOT,
        log=log,
    )


def _shared_environment(unique: str, ports: dict[str, int]) -> dict[str, str]:
    """What every process of the stack agrees on: keys, addresses, queues."""
    return {
        **os.environ,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
        "SERVICE_SIGNING_KEY": secrets.token_urlsafe(50),
        **{
            f"{service.upper()}_URL": f"http://127.0.0.1:{port}"
            for service, port in ports.items()
        },
        # Queues and cache keys of their own, so stacks can share one Redis.
        "ORDERS_QUEUE": f"{unique}-orders",
        "PAYMENTS_QUEUE": f"{unique}-payments",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUTH_THROTTLE_RATE": AUTH_THROTTLE_RATE,
        "PYTHONUNBUFFERED": "1",
    }


def _service_environment(
    service: str, shared: dict[str, str], unique: str, workdir: Path
) -> dict[str, str]:
    return {
        **shared,
        "DJANGO_SETTINGS_MODULE": f"extracted_services.{service}.settings.test",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{workdir / f'{service}.sqlite3'}",
        "CACHE_KEY_PREFIX": f"{unique}-{service}",
        "PROMETHEUS_MULTIPROC_DIR": str(fresh_dir(workdir / f"prometheus-{service}")),
    }
