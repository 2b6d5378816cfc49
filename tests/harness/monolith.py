"""Launch the monolith as real processes: gunicorn and a Celery worker."""

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from .processes import Process, run_step, stop_all, wait_until
from .servers import (
    ROOT,
    ReadyProbe,
    celery_worker,
    forget_redis_keys,
    free_port,
    fresh_dir,
    gunicorn,
    throttled_door,
)
from .stack import Stack, StackOptions
from .templates import migrated

STAFF_USERNAME = "contract-staff"
# Sign-up is limited per client IP, and every test signs up a user of its own from
# 127.0.0.1: the main door's limit is out of reach. A second, small gunicorn on the
# same database keeps a low limit for the one test that wants to see the 429.
AUTH_THROTTLE_RATE = "10000/min"
START_TIMEOUT = 60
WSGI = "monolith.wsgi"


@contextmanager
def launch_monolith(
    name: str,
    workdir: Path,
    database: AbstractContextManager[str],
    options: StackOptions | None = None,
) -> Iterator[Stack]:
    """Migrate and seed a fresh database, then serve it until the block exits."""
    options = options or StackOptions()
    staff_password = options.staff_password or secrets.token_urlsafe(16)
    with database as database_url:
        env = _environment(name, workdir, database_url, options)
        _prepare(env, workdir, options, staff_password)
        port = free_port()
        processes: list[Process] = []
        try:
            web = gunicorn(
                "gunicorn",
                WSGI,
                port,
                env,
                workdir,
                workers=options.workers or 2,
                threads=options.threads or 4,
            )
            processes.append(web)
            worker = celery_worker(
                "celery", "monolith", env["CELERY_QUEUE"], env, workdir
            )
            processes.append(worker)
            base_url = f"http://127.0.0.1:{port}"
            urls = {"gunicorn": base_url}
            throttled_url = None
            if options.throttled_door:
                door, throttled_url = throttled_door(
                    "gunicorn-throttled", WSGI, env, workdir
                )
                processes.append(door)
                urls["gunicorn-throttled"] = throttled_url
            for url in urls.values():
                probe = ReadyProbe(f"{url}/readyz")
                wait_until(
                    probe,
                    timeout=START_TIMEOUT,
                    what=lambda probe=probe: f"{probe.url} answered {probe.last}",
                    watch=processes,
                )
            wait_until(
                lambda: worker.logged(" ready."),
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
                web_urls=urls,
            )
        finally:
            stop_all(processes)
            forget_redis_keys(env["REDIS_URL"], env["CELERY_QUEUE"])


def _prepare(
    env: dict[str, str], workdir: Path, options: StackOptions, staff_password: str
) -> None:
    """Migrate (a SQLite database: copy a migrated template, templates.py), seed
    the demo catalog (and generated products), make a staff user."""
    log = workdir / "prepare.log"
    manage = [sys.executable, "manage.py"]

    def migrate(database_url: str) -> None:
        argv = [*manage, "migrate", "--no-input"]
        run_step(argv, env={**env, "DATABASE_URL": database_url}, cwd=ROOT, log=log)

    migrated(f"monolith-{env['DJANGO_SETTINGS_MODULE']}", env["DATABASE_URL"], migrate)
    seed = [*manage, "seed_demo", "--products", str(options.products)]
    run_step(seed, env=env, cwd=ROOT, log=log)
    email = f"{STAFF_USERNAME}@example.com"
    staff = ["--username", STAFF_USERNAME, "--email", email]
    run_step(
        [*manage, "createsuperuser", "--no-input", *staff],
        env={**env, "DJANGO_SUPERUSER_PASSWORD": staff_password},
        cwd=ROOT,
        log=log,
    )


def _environment(
    name: str, workdir: Path, database_url: str, options: StackOptions
) -> dict[str, str]:
    unique = f"{name}-{secrets.token_hex(4)}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"monolith.settings.{options.settings}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": options.redis_url
        or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # Each server its own queue and cache keys, so stacks can share one Redis.
        "CELERY_QUEUE": unique,
        "CACHE_KEY_PREFIX": unique,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AUTH_THROTTLE_RATE": AUTH_THROTTLE_RATE,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "SERVED_BY": "monolith",
        # The worker trains (monolith/recommendations/tasks.py), the web serves.
        "RECOMMENDATIONS_MODEL_DIR": str(workdir / "recommendations-models"),
        "RECOMMENDATIONS_TRAIN_INTERVAL": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(fresh_dir(workdir / "prometheus")),
        "PYTHONUNBUFFERED": "1",
        **options.env,
    }
