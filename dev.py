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
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TextIO
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VAR = ROOT / "var"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
VENV_PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-from"  # hash of pyproject.toml at the last install

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
MONOLITH_URL = "http://127.0.0.1:{port}/"
SERVICES_URL = "http://127.0.0.1:8100/"
# Every Django project in the repository, by name: the monolith and each service.
SERVICES = ("catalog", "orders", "payments", "storefront", "gateway")
PROJECTS = {  # name: (manage.py, the package whose settings/ folder it uses)
    "monolith": ("manage.py", "monolith"),
    **{
        name: (f"extracted_services/{name}/manage.py", f"extracted_services.{name}")
        for name in SERVICES
    },
}
# The processes of each stack, as named in compose/Procfile.
PROCESSES = {
    "monolith": ["monolith", "monolith-worker"],
    "services": [
        *SERVICES,
        "gateway-accounts",  # the gateway's door for the storefront's sign-ins
        "orders-worker",
        "payments-worker",
        "orders-relay",
        "payments-relay",
        "recommendations",
        "recommendations-consumer",
        "reports",
        "reports-consumer",
    ],
}
# The reports service (Flask) migrates with Flask-Migrate, not manage.py.
REPORTS_APP = "extracted_services.reports.app"


def say(message: str, out: TextIO | None = None) -> None:
    print(f"[dev] {message}", file=out or sys.stdout, flush=True)


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
    say("installing the project and its test tools into .venv (first run: minutes)")
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


def manage(project: str, *args: str, env: dict[str, str]) -> None:
    """Run a manage.py command of one project under its local settings."""
    script, package = PROJECTS[project]
    env = {**env, "DJANGO_SETTINGS_MODULE": f"{package}.settings.local"}
    subprocess.run([sys.executable, script, *args], check=True, cwd=ROOT, env=env)


def run_in_foreground(argv: list[str], *, env: dict[str, str]) -> int:
    """Run ``argv`` until it exits; a SIGTERM to us is passed on, so nothing is left.

    Ctrl-C reaches every process in the terminal's group by itself; a SIGTERM (from
    ``kill``, a test harness, a CI timeout) reaches only us, so we forward it.
    """
    child = subprocess.Popen(argv, cwd=ROOT, env=env)

    def forward(signum, frame):
        child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue  # the child got the same Ctrl-C and is stopping: wait for it


def announce_when_ready(urls: dict[str, str], deadline_seconds: float = 120) -> None:
    """Print each stack's URL once its /readyz answers, from a background thread."""

    def wait(name: str, url: str) -> None:
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "readyz", timeout=2):  # noqa: S310
                    say(f"the {name} is ready: {url}  (Ctrl-C stops everything)")
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        say(f"the {name} did not answer at {url}readyz; see the log above.")

    for name, url in urls.items():
        threading.Thread(target=wait, args=(name, url), daemon=True).start()


def dev_card_keys() -> None:
    """Make payments' development card key pair in var/keys/, once.

    Orders' local settings read the public key from there, payments' the private
    key: made here, before any process starts, so that the two never race to make
    two different pairs.
    """
    from extracted_services.chassis.card_sealing import key_pair_ensure

    key_pair_ensure(VAR / "keys")


def dev_token_keys() -> None:
    """Make the stack's development token keys in var/keys/, once per checkout.

    The gateway's key pair for users' tokens and a key pair per service for the
    calls between them (chassis/keys.py); production refuses this folder.
    """
    from extracted_services.chassis.keys import ensure_keys

    ensure_keys(VAR / "keys")


def cmd_run(args: argparse.Namespace) -> int:
    """Migrate, seed and start both stacks (or one, with --stack) in the foreground."""
    stacks = ["monolith", "services"] if args.stack == "both" else [args.stack]
    env = dict(os.environ)
    env.setdefault("MONOLITH_PORT", str(args.port))
    # Each process's settings come from its Procfile line, never from outside.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The Procfile's gunicorn, celery and python are the ones in .venv.
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    metrics = VAR / "prometheus"
    shutil.rmtree(metrics, ignore_errors=True)  # figures of a previous run
    for name in ["monolith", *SERVICES, "reports"]:
        (metrics / name).mkdir(parents=True)

    redis = ensure_redis(env)
    try:
        urls = {}
        if "monolith" in stacks:
            manage("monolith", "migrate", "--no-input", "-v", "0", env=env)
            manage("monolith", "seed_demo", "--if-empty", "--with-users", env=env)
            urls["monolith"] = MONOLITH_URL.format(port=env["MONOLITH_PORT"])
        if "services" in stacks:
            dev_card_keys()
            dev_token_keys()
            for service in SERVICES:
                manage(service, "migrate", "--no-input", "-v", "0", env=env)
            flask_db = [str(BIN / "flask"), "--app", REPORTS_APP, "db", "upgrade"]
            subprocess.run(flask_db, check=True, cwd=ROOT, env=env)
            manage("catalog", "seed_demo", "--if-empty", env=env)
            manage("gateway", "seed_users", "--if-empty", env=env)
            urls["services stack"] = SERVICES_URL
        announce_when_ready(urls)
        processes = [name for stack in stacks for name in PROCESSES[stack]]
        # The supervisor restarts a process that dies, where honcho would stop all.
        supervisor = [str(BIN / "python"), "compose/supervisor.py", *processes]
        return run_in_foreground(supervisor, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        if redis is not None:
            redis.send_signal(signal.SIGTERM)
            redis.wait(timeout=10)


# ---------------------------------------------------------------- lint

# mypy runs once per Django project, under that project's own test settings:
# django-stubs loads them to learn its models and settings. Code in no Django project
# (bench/, dev.py, a FastAPI or Flask service) still needs one for the plugin to
# start: the monolith's, which that code never reads.
MONOLITH_TEST_SETTINGS = "monolith.settings.test"


def mypy_runs() -> list[tuple[str, str, list[str]]]:
    """Every mypy run: its name, the settings module django-stubs loads, its paths."""
    runs = [("monolith", MONOLITH_TEST_SETTINGS, ["monolith", "echoapp", "manage.py"])]
    # Every service, found on disk, so that a new one is checked from its first day.
    for init in sorted(ROOT.glob("extracted_services/*/__init__.py")):
        name = init.parent.name
        if name == "chassis":  # a library, made a project by its tests' settings
            settings = "extracted_services.chassis.tests.settings"
        elif (init.parent / "settings").is_dir():
            settings = f"extracted_services.{name}.settings.test"
        else:
            settings = MONOLITH_TEST_SETTINGS
        runs.append((name, settings, [f"extracted_services/{name}"]))
    tools = ["bench", "chaos", "tracing", "dev.py", "compose/supervisor.py"]
    runs.append(("bench", MONOLITH_TEST_SETTINGS, tools))
    return runs


def run_lint(only: str | None = None, out: TextIO | None = None) -> int:
    """Run ruff (check, format --check) and every mypy run; 1 if any finds a problem.

    Output goes to the terminal, or to ``out`` (a log file) when lint runs beside the
    tests (see cmd_test).
    """
    ruff = str(BIN / "ruff")
    checks: list[tuple[str, list[str], dict[str, str]]] = []
    if only in (None, "ruff"):
        checks.append(("ruff check .", [ruff, "check", "."], {}))
        checks.append(("ruff format --check .", [ruff, "format", "--check", "."], {}))
    runs = mypy_runs() if only in (None, "mypy") else []
    for name, settings, paths in runs:
        # One cache per settings module: django-stubs marks every module it checks
        # with the settings it loaded, and rechecks them all when those change.
        cache = str(ROOT / ".mypy_cache" / settings)
        mypy = [sys.executable, "-m", "mypy", "--cache-dir", cache, *paths]
        what = f"mypy {name}: {' '.join(paths)} under {settings}"
        checks.append((what, mypy, {"DJANGO_SETTINGS_MODULE": settings}))
    failed = []
    for what, argv, env in checks:
        say(f"lint: {what}", out)
        if subprocess.call(
            argv, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out
        ):
            failed.append(what.split(":")[0])
    if failed:
        say(
            f"lint FAILED: {', '.join(failed)} (`make format` fixes what ruff can)", out
        )
        return 1
    say("lint passed: ruff and mypy found nothing", out)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    """ruff and mypy over the whole repository, as CI runs them (make lint)."""
    return run_lint(args.only)


# The test suites, by name: the first two run under the monolith's test settings (the
# contract and browser suites start both stacks themselves, once for the session;
# "standalone" holds tests that start stacks of their own at a gentle pace, so they
# can run beside them: not the benchmark's, which loads both cores on purpose); each
# service's own tests live beside it and run under its own settings.
STANDALONE = ["tests/reliability", "tests/tracing"]
SUITES = {
    "main": (
        [f"--ignore={folder}" for folder in STANDALONE],
        "monolith, contract, browser, labs, docs, bench, deploy",
    ),
    "standalone": (
        STANDALONE,
        "the small chaos run and tracing, each on stacks of its own",
    ),
    "chassis": (
        [
            "extracted_services/chassis/tests",
            "--ds",
            "extracted_services.chassis.tests.settings",
        ],
        "the chassis every Django service uses",
    ),
    **{
        name: (
            [
                f"extracted_services/{name}/tests",
                "--ds",
                f"extracted_services.{name}.settings.test",
            ],
            f"the {name} service",
        )
        for name in SERVICES
    },
    # Not Django: plain pytest, without pytest-django's plugin.
    # The folder is named too: pytest 9 resolves an -c file's testpaths against the
    # folder it runs in (the repository root), and would collect every suite.
    "recommendations": (
        [
            "extracted_services/recommendations/tests",
            "-c",
            "extracted_services/recommendations/pytest.ini",
        ],
        "the recommendations service (FastAPI)",
    ),
    "reports": (
        [
            "extracted_services/reports/tests",
            "-c",
            "extracted_services/reports/pytest.ini",
        ],
        "the reports service (Flask)",
    ),
}
NO_TESTS_COLLECTED = 5  # pytest's exit code when a -k or path selects nothing


TEST_LOGS = VAR / "test-logs"  # the background lane's output, one file per step
# The main suite on two pytest-xdist workers, each test group (a stack's tests, or a
# module's: tests/conftest.py) on one worker, the groups in the order collected.
MAIN_WORKERS = ["-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder"]


def cmd_test(args: argparse.Namespace) -> int:
    """Lint, then run every test suite; the exit code is non-zero on any failure.

    Arguments after the options go to every suite's pytest (``-k orders`` selects in
    each); ``--service NAME`` runs one suite only. A suite in which the arguments
    select no test says so and does not count as a failure.

    With two or more CPUs (and without ``--serial``) the work runs in two lanes: the
    main suite in the foreground, on two pytest-xdist workers (``MAIN_WORKERS``),
    and the standalone suite, lint and the services' suites beside it, each into
    var/test-logs/NAME.log. On 2 cores the three keep both busy (the stacks the
    tests start do most of the work); the logs are shown when both lanes are done,
    in full for any that failed.
    """
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    redis = ensure_redis(env)
    try:
        names = [args.service] if args.service else list(SUITES)
        two_lanes = len(names) > 1 and not args.serial and (os.cpu_count() or 1) > 1
        if not two_lanes:
            if run_lint():
                return 1
            codes = {name: run_suite(name, args.pytest_args, env) for name in names}
        else:
            codes = run_in_two_lanes(names, args.pytest_args, env)
        return suites_verdict(codes, args.pytest_args)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


def run_suite(
    name: str, pytest_args: list[str], env: dict[str, str], out: TextIO | None = None
) -> int:
    """One suite's pytest; its exit code. Output to the terminal, or to ``out``."""
    extra, what = SUITES[name]
    say(f"tests: {name} ({what})", out)
    argv = [sys.executable, "-m", "pytest", *extra, *pytest_args]
    return subprocess.call(argv, cwd=ROOT, env=env, stdout=out, stderr=out)


def run_in_two_lanes(
    names: list[str], pytest_args: list[str], env: dict[str, str]
) -> dict[str, int]:
    """The main suite here, lint and the other suites in a thread; every exit code."""
    shutil.rmtree(TEST_LOGS, ignore_errors=True)
    TEST_LOGS.mkdir(parents=True)
    # The small chaos run (in "standalone") first: its answers-come-fast invariant
    # is best measured before the main suite's benchmark runs, which load both
    # cores on purpose and come after its long tests (tests/conftest.py).
    others = [name for name in names if name != "main"]
    side = [*(n for n in others if n == "standalone"), "lint"]
    side += [n for n in others if n != "standalone"]

    def side_lane() -> dict[str, int]:
        codes = {}
        for name in side:
            with open(TEST_LOGS / f"{name}.log", "w", encoding="utf-8") as out:
                if name == "lint":
                    codes[name] = run_lint(out=out)
                else:
                    codes[name] = run_suite(name, pytest_args, env, out)
        return codes

    say(f"beside the main suite: {', '.join(side)} (logs in var/test-logs/)")
    codes: dict[str, int] = {}
    lane = threading.Thread(target=lambda: codes.update(side_lane()), daemon=True)
    lane.start()
    main_code = 0
    if "main" in names:
        ensure_newman()  # once, here: two workers must not both run `npm ci`
        main_code = run_suite("main", [*MAIN_WORKERS, *pytest_args], env)
    lane.join()
    for name in side:
        log = (TEST_LOGS / f"{name}.log").read_text(encoding="utf-8").splitlines()
        failed = codes.get(name, 1) not in (0, NO_TESTS_COLLECTED)
        shown = log if failed else log[-1:]
        say(f"{name}: {'FAILED' if failed else 'passed'} (var/test-logs/{name}.log)")
        print("\n".join(shown), flush=True)
    if "main" in names:
        codes["main"] = main_code
    codes.setdefault("lint", 1)  # the lane died before lint finished: not a pass
    return codes


def suites_verdict(codes: dict[str, int], pytest_args: list[str]) -> int:
    """Say which steps failed or selected nothing; the exit code for them all."""
    # Selecting nothing is fine when asked to select (-k ...), a defect otherwise.
    empty = [n for n, code in codes.items() if code == NO_TESTS_COLLECTED]
    if not pytest_args:
        empty = []
    failed = [n for n, code in codes.items() if code and n not in empty]
    if empty:
        say(f"no test matched {' '.join(pytest_args)} in: {', '.join(empty)}")
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    if empty and len(empty) == len(codes.keys() - {"lint"}):
        say("no suite ran a test")
        return NO_TESTS_COLLECTED
    ran = [name for name in codes if name not in empty]
    say(f"every step passed: {', '.join(ran)}")
    return 0


def cmd_deploy_check(args: argparse.Namespace) -> int:
    """`check --deploy` of every project's production settings, with throwaway keys."""
    from extracted_services.chassis.card_sealing import key_pair_generate
    from extracted_services.chassis.keys import ensure_keys

    failed = []
    card_keys = key_pair_generate()
    # Throwaway token keys too: production refuses var/keys/, the development ones.
    token_keys = ensure_keys(Path(tempfile.mkdtemp(prefix="deploy-check-keys-")))
    for project, (script, package) in PROJECTS.items():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": f"{package}.settings.production",
            # Each service reads only its own: orders the public, payments the private.
            "PAYMENTS_CARD_PUBLIC_KEY": card_keys.public_pem,
            "PAYMENTS_CARD_PRIVATE_KEY": card_keys.private_pem,
            "SECRET_KEY": secrets.token_urlsafe(64),
            "KEYS_DIR": str(token_keys),
            # The monolith signs its own tokens: with the same throwaway RSA key.
            "JWT_PRIVATE_KEY_FILE": str(token_keys / "jwt-private.pem"),
            "ALLOWED_HOSTS": "shop.example.com",
            "METRICS_TOKEN": secrets.token_urlsafe(32),
        }
        command = [script, "check", "--deploy", "--fail-level", "WARNING"]
        say(f"{project}: {' '.join(command)}")
        if subprocess.call([sys.executable, *command], cwd=ROOT, env=env):
            failed.append(project)
    shutil.rmtree(token_keys, ignore_errors=True)
    if failed:
        say(f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure both stacks side by side: python -m bench (see its --help)."""
    say("the benchmark writes to bench/results/<date-time>/ (Ctrl-C stops it cleanly)")
    argv = [sys.executable, "-m", "bench", *args.bench_args]
    return run_in_foreground(argv, env=dict(os.environ))


def cmd_chaos(args: argparse.Namespace) -> int:
    """Break both stacks on purpose, then audit them: python -m chaos (see --help)."""
    say("the chaos lab writes to chaos/results/<date-time>/ (about 6 minutes)")
    argv = [sys.executable, "-m", "chaos", *args.bench_args]
    return run_in_foreground(argv, env=dict(os.environ))


# The docs site. Mermaid (MIT licence) draws its diagrams in the browser; the site
# serves a copy of its bundle, fetched once from the npm registry, so that it needs
# no CDN. Not in git: it is 3.5 MB and comes back with one command.
DOCS_ADDRESS = "127.0.0.1:8008"
MERMAID = "mermaid@11.17.2"
MERMAID_JS = ROOT / "docs" / "javascripts" / "vendor" / "mermaid.min.js"
MERMAID_IN_PACKAGE = "package/dist/mermaid.min.js"


def fetch_mermaid() -> None:
    """Put Mermaid's browser bundle in docs/javascripts/vendor/, once, with npm."""
    if MERMAID_JS.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        say("npm is not installed: the diagrams show as text (install Node.js 18+).")
        return
    say(f"fetching {MERMAID} from the npm registry for the diagrams (once)")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [npm, "pack", MERMAID, "--silent", "--pack-destination", folder],
            check=True,
            cwd=folder,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(folder).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            bundle = archive.extractfile(MERMAID_IN_PACKAGE)
            if bundle is None:
                sys.exit(f"[dev] {MERMAID} has no {MERMAID_IN_PACKAGE}.")
            MERMAID_JS.parent.mkdir(parents=True, exist_ok=True)
            MERMAID_JS.write_bytes(bundle.read())


def cmd_docs(args: argparse.Namespace) -> int:
    """Serve the docs site at http://127.0.0.1:8008/ (--build: build it, strictly)."""
    fetch_mermaid()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # a banner, not a problem
    mkdocs = [sys.executable, "-m", "mkdocs"]
    if args.build:
        return subprocess.call([*mkdocs, "build", "--strict"], cwd=ROOT, env=env)
    say(f"the docs: http://{DOCS_ADDRESS}/  (Ctrl-C stops)")
    return run_in_foreground([*mkdocs, "serve", "-a", DOCS_ADDRESS], env=env)


# The API documents (docs/api/index.md): both stacks' OpenAPI schemas and the Postman
# collection built from them; newman, pinned in package.json, runs the collection.
API_DOCS = ROOT / "docs" / "api"
NEWMAN_SHIM = "newman.cmd" if os.name == "nt" else "newman"  # what npm puts in .bin
NEWMAN = ROOT / "node_modules" / ".bin" / NEWMAN_SHIM


def cmd_api_docs(args: argparse.Namespace) -> int:
    """Export the stacks' OpenAPI schemas, build the Postman collection (see --help)."""
    build = [sys.executable, str(API_DOCS / "build.py"), *args.tool_args]
    return subprocess.call(build, cwd=ROOT)


def ensure_newman() -> Path:
    """newman from package-lock.json, installed with `npm ci` the first time."""
    if NEWMAN.exists():
        return NEWMAN
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("[dev] newman needs npm: install Node.js 18 or newer, then try again.")
    say("installing newman from package-lock.json (npm ci, once)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    return NEWMAN


def cmd_postman(args: argparse.Namespace) -> int:
    """Run the Postman collection with newman against the stacks `make run` serves."""
    urls = {"monolith": MONOLITH_URL.format(port=8000), "services": SERVICES_URL}
    stacks = list(urls) if args.stack == "both" else [args.stack]
    newman = ensure_newman()
    failed = []
    for stack in stacks:
        try:
            # A fixed http:// address: S310 warns about file:// and other schemes.
            urllib.request.urlopen(f"{urls[stack]}healthz", timeout=5).close()  # noqa: S310
        except OSError:
            say(f"{stack}: nothing answers at {urls[stack]}; start it with `make run`")
            failed.append(stack)
            continue
        environment = API_DOCS / f"{stack}.postman_environment.json"
        say(f"{stack}: newman run against {urls[stack]}")
        collection = API_DOCS / "shop.postman_collection.json"
        command = [str(newman), "run", str(collection), "-e", str(environment)]
        if subprocess.call(command, cwd=ROOT):
            failed.append(stack)
    if failed:
        say(f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


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
    run.add_argument(
        "--stack",
        choices=["both", "monolith", "services"],
        default="both",
        help="which stack to start (both: the monolith on :8000, services on :8100)",
    )
    run.set_defaults(func=cmd_run)

    test = commands.add_parser(
        "test", help=cmd_test.__doc__, description=cmd_test.__doc__
    )
    test.add_argument(
        "--service",
        choices=list(SUITES),
        help="run one suite only: main (monolith, contract, browser, labs, docs, "
        "bench, reliability), chassis, or one service's own tests",
    )
    test.add_argument(
        "--serial",
        action="store_true",
        help="run lint and the suites one after another, every output live "
        "(by default the main suite runs beside lint and the other suites)",
    )
    test.add_argument(
        "pytest_args",
        nargs=argparse.REMAINDER,
        help="passed to every suite's pytest, e.g. -k orders",
    )
    test.set_defaults(func=cmd_test)

    check = commands.add_parser(
        "deploy-check",
        help=cmd_deploy_check.__doc__,
        description=cmd_deploy_check.__doc__,
    )
    check.set_defaults(func=cmd_deploy_check)

    # The benchmark's options are its own: everything after `bench` goes to it,
    # --help included (python dev.py bench --quick; make bench ARGS=--quick).
    bench = commands.add_parser("bench", help=cmd_bench.__doc__, add_help=False)
    bench.set_defaults(func=cmd_bench)
    # The same for the chaos lab: python dev.py chaos --quick; make chaos ARGS=--quick.
    chaos = commands.add_parser("chaos", help=cmd_chaos.__doc__, add_help=False)
    chaos.set_defaults(func=cmd_chaos)

    docs = commands.add_parser(
        "docs", help=cmd_docs.__doc__, description=cmd_docs.__doc__
    )
    docs.add_argument(
        "--build",
        action="store_true",
        help="build the site into var/site/ with --strict instead of serving it",
    )
    docs.set_defaults(func=cmd_docs)

    lint = commands.add_parser(
        "lint", help=cmd_lint.__doc__, description=cmd_lint.__doc__
    )
    lint.add_argument(
        "--only",
        choices=["ruff", "mypy"],
        help="run one tool only (pre-commit runs ruff itself, with --fix)",
    )
    lint.set_defaults(func=cmd_lint)

    # The generator's options are its own: python dev.py api-docs --check (or --help).
    api_docs = commands.add_parser(
        "api-docs", help=cmd_api_docs.__doc__, add_help=False
    )
    api_docs.set_defaults(func=cmd_api_docs)

    postman = commands.add_parser(
        "postman", help=cmd_postman.__doc__, description=cmd_postman.__doc__
    )
    postman.add_argument(
        "--stack",
        choices=["both", "monolith", "services"],
        default="both",
        help="which running stack to test (both: :8000, then :8100)",
    )
    postman.set_defaults(func=cmd_postman)

    setup = commands.add_parser("setup", help=cmd_setup.__doc__)
    setup.set_defaults(func=cmd_setup)

    args, extra = parser.parse_known_args()
    # Options the test command does not know are pytest's (-k orders, -x, -q).
    if args.command == "test":
        args.pytest_args = [*extra, *args.pytest_args]
    elif args.command not in ("bench", "chaos", "api-docs") and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.bench_args = args.tool_args = extra
    if not in_venv():
        reexec_in_venv()  # does not return
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
