"""Launch the services stack as real processes, the way `make run` starts it.

Five gunicorns (gateway, catalog, orders, payments, storefront) and the gateway's
accounts door, a Celery worker and an outbox relay for orders and for payments, each
service with its own SQLite file, all on free loopback ports. Tests talk only to the
gateway, as users do.
"""

import os
import secrets
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from extracted_services.chassis.card_sealing import (
    MIN_KEY_BITS,
    KeyPair,
    key_pair_generate,
)
from extracted_services.chassis.keys import ensure_keys

from .processes import Process, run_step, stop_all, wait_until
from .recommendations import recommendations_processes
from .reports import reports_processes
from .servers import (
    ROOT,
    ReadyProbe,
    celery_worker,
    command,
    forget_redis_keys,
    free_port,
    fresh_dir,
    gunicorn,
    throttled_door,
)
from .stack import Stack, StackOptions
from .templates import migrated

SERVICES = ("catalog", "orders", "payments", "storefront", "gateway")
# The services with background work: a worker for their queue and an outbox relay.
WORKERS = ("orders", "payments")
# The gateway's second door, for the storefront's sign-ins (accounts_door below).
ACCOUNTS_DOOR = "gateway-accounts"
STAFF_USERNAME = "contract-staff"
AUTH_THROTTLE_RATE = "10000/min"  # see monolith.py: every test signs up from 127.0.0.1
START_TIMEOUT = 90


def manage(service: str) -> list[str]:
    return [sys.executable, f"extracted_services/{service}/manage.py"]


@contextmanager
def launch_services(
    name: str, workdir: Path, options: StackOptions | None = None
) -> Iterator[Stack]:
    """Migrate and seed a database per service, then serve until the block exits."""
    options = options or StackOptions()
    ports = {service: free_port() for service in SERVICES}
    ports["recommendations"] = free_port()  # FastAPI: launched by its own module
    ports["reports"] = free_port()  # Flask: migrated and launched by its own module
    ports["accounts"] = free_port()  # the gateway's accounts door: ACCOUNTS_URL
    unique = f"{name}-{secrets.token_hex(4)}"
    shared = _shared_environment(unique, ports, options)
    # This stack's own token keys (chassis/keys.py): the gateway's, one per service.
    shared["KEYS_DIR"] = str(ensure_keys(fresh_dir(workdir / "keys")))
    card_keys = key_pair_generate(bits=MIN_KEY_BITS)  # this stack's own
    envs = {
        service: {
            **_service_environment(service, shared, unique, workdir, options),
            **_card_key_environment(service, card_keys),
        }
        for service in SERVICES
    }
    staff_password = options.staff_password or secrets.token_urlsafe(16)
    _prepare(envs, workdir, options, staff_password)

    urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    urls[ACCOUNTS_DOOR] = urls.pop("accounts")  # named as its process
    processes: list[Process] = []
    try:
        for service in SERVICES:
            web = gunicorn(
                service,
                f"extracted_services.{service}.wsgi",
                ports[service],
                envs[service],
                workdir,
                workers=options.workers or 1,
                threads=options.threads or 8,
            )
            processes.append(web)
        door = accounts_door(ports["accounts"], envs["gateway"], workdir, options)
        processes.append(door)
        processes += recommendations_processes(
            shared, ports["recommendations"], workdir
        )
        processes += reports_processes(
            shared, ports["reports"], workdir, options.databases.get("reports")
        )
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
        throttled_url = None
        if options.throttled_door:
            door, throttled_url = throttled_door(
                "gateway-throttled",
                "extracted_services.gateway.wsgi",
                envs["gateway"],
                workdir,
            )
            processes.append(door)
            urls["gateway-throttled"] = throttled_url
        for url in urls.values():
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
            base_url=urls["gateway"],
            staff_username=STAFF_USERNAME,
            staff_password=staff_password,
            throttled_base_url=throttled_url,
            processes=tuple(processes),
            web_urls=urls,
            keys_dir=Path(shared["KEYS_DIR"]),
        )
    finally:
        stop_all(processes)
        queues = (shared["ORDERS_QUEUE"], shared["PAYMENTS_QUEUE"])
        forget_redis_keys(shared["REDIS_URL"], unique, *queues)


def accounts_door(
    port: int, gateway_env: dict[str, str], workdir: Path, options: StackOptions
) -> Process:
    """The gateway project again, on a port only the storefront calls, to sign
    customers in (compose/Procfile's gateway-accounts). A page's sign-in holds a
    thread of the public gateway while it waits for this one: served by the same
    threads, a burst of sign-ins would take them all and wait for itself."""
    # The gateway's environment: the same database, keys, sign-in limits (its cache
    # prefix) and /metrics folder, as one project with two doors.
    return gunicorn(
        ACCOUNTS_DOOR,
        "extracted_services.gateway.wsgi",
        port,
        gateway_env,
        workdir,
        # Two workers whatever the stack's sizing: at most one password check runs
        # in a process at a time, so two processes let one run on each core.
        workers=2,
        threads=4,
    )


def _prepare(
    envs: dict[str, dict[str, str]],
    workdir: Path,
    options: StackOptions,
    staff_password: str,
) -> None:
    """Each service migrates its own database (all at once: they share nothing; a
    SQLite one is a copy of a migrated template: templates.py); then catalog seeds
    products and gateway makes the staff user."""

    def migrate(service: str) -> None:
        env = envs[service]

        def run(database_url: str) -> None:
            argv = [*manage(service), "migrate", "--no-input"]
            log = workdir / f"prepare-{service}.log"
            run_step(argv, env={**env, "DATABASE_URL": database_url}, cwd=ROOT, log=log)

        name = f"{service}-{env['DJANGO_SETTINGS_MODULE']}"
        migrated(name, env["DATABASE_URL"], run)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(migrate, SERVICES))  # list(): re-raises the first failure
    log = workdir / "prepare.log"
    seed = [*manage("catalog"), "seed_demo", "--products", str(options.products)]
    run_step(seed, env=envs["catalog"], cwd=ROOT, log=log)
    staff = ["--username", STAFF_USERNAME, "--email", f"{STAFF_USERNAME}@example.com"]
    run_step(
        [*manage("gateway"), "createsuperuser", "--no-input", *staff],
        env={**envs["gateway"], "DJANGO_SUPERUSER_PASSWORD": staff_password},
        cwd=ROOT,
        log=log,
    )


def _shared_environment(
    unique: str, ports: dict[str, int], options: StackOptions
) -> dict[str, str]:
    """What every process of the stack agrees on: keys, addresses, queues."""
    return {
        **os.environ,
        "REDIS_URL": options.redis_url
        or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        **{
            f"{service.upper()}_URL": f"http://127.0.0.1:{port}"
            for service, port in ports.items()
        },
        # Queues and cache keys of their own, so stacks can share one Redis.
        "ORDERS_QUEUE": f"{unique}-orders",
        "ORDER_EVENTS_STREAM": f"{unique}-order-events",
        "PAYMENTS_QUEUE": f"{unique}-payments",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUTH_THROTTLE_RATE": AUTH_THROTTLE_RATE,
        "DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
        **options.env,
    }


def _card_key_environment(service: str, keys: KeyPair) -> dict[str, str]:
    """Payments' card key: the public half for orders, the private half for payments
    alone (chassis/card_sealing.py); for every other service, no card key at all,
    whatever the environment this run was started from holds."""
    names = ("PAYMENTS_CARD_PUBLIC_KEY", "PAYMENTS_CARD_PRIVATE_KEY")
    environment = {name: "" for name in names} | {f"{n}_FILE": "" for n in names}
    if service == "orders":
        environment["PAYMENTS_CARD_PUBLIC_KEY"] = keys.public_pem
    if service == "payments":
        environment["PAYMENTS_CARD_PRIVATE_KEY"] = keys.private_pem
    return environment


def _service_environment(
    service: str,
    shared: dict[str, str],
    unique: str,
    workdir: Path,
    options: StackOptions,
) -> dict[str, str]:
    flavour = options.settings
    sqlite = f"sqlite:///{workdir / f'{service}.sqlite3'}"
    return {
        **shared,
        "DJANGO_SETTINGS_MODULE": f"extracted_services.{service}.settings.{flavour}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": options.databases.get(service, sqlite),
        "CACHE_KEY_PREFIX": f"{unique}-{service}",
        "PROMETHEUS_MULTIPROC_DIR": str(fresh_dir(workdir / f"prometheus-{service}")),
    }
