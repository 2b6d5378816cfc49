"""What the code offers, read offline: the deploy tests check the files against it.

The Procfile (`make run`'s processes) is the source of truth for commands and ports; the
Python code is the truth for environment variables, management commands and URLs.
"""

from __future__ import annotations

import ast
import itertools
import re
import shlex
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import django
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROCFILE = ROOT / "compose" / "Procfile"
COMPOSE = ROOT / "compose" / "docker-compose.yml"
K8S = ROOT / "deploy" / "k8s"
WORKFLOWS = ROOT / ".github" / "workflows"

# Variables that no code of ours reads, each with who does read it.
READ_BY_OTHERS = {
    "DJANGO_SETTINGS_MODULE": "Django",
    "FLASK_APP": "Flask's command line",
    "PYTHONDONTWRITEBYTECODE": "Python",
    "PYTHONUNBUFFERED": "Python",
    "PIP_DISABLE_PIP_VERSION_CHECK": "pip",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "the OpenTelemetry SDK",
    "OTEL_SERVICE_NAME": "the OpenTelemetry SDK",
    "POSTGRES_USER": "the postgres image",
    "POSTGRES_PASSWORD": "the postgres image",
    "POSTGRES_DB": "the postgres image",
    "POSTGRES_HOST_AUTH_METHOD": "the postgres image",
}
# Options that take a value, so that the value is not read as an argument.
VALUED_OPTIONS = {
    "--app",
    "--queues",
    "--config",
    "--bind",
    "--host",
    "--port",
    "--concurrency",
    "--loglevel",
    "--workers",
    "--access-logfile",
    "--database",
    "--settings",
}
# Options that say what runs, compared with the Procfile's; the rest are tuning.
MEANINGFUL_OPTIONS = {"--app", "--queues", "--config", "--factory"}
# What a one-off job may run besides the project's commands.
SHELL_TOOLS = {"chown", "cp"}
DEFAULT = re.compile(r"\$\{\w+:-([^}]*)\}")  # ${ORDERS_QUEUE:-orders} -> orders


def yaml_documents(path: Path) -> list[dict[str, Any]]:
    """Every document of a YAML file (a manifest file holds several)."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


# ---------------------------------------------------------------- the Procfile


@cache
def procfile() -> dict[str, list[str]]:
    """Each Procfile process's command, as argv, its variables' defaults filled in."""
    processes = {}
    for line in PROCFILE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, command = line.split(":", 1)
        argv = shlex.split(DEFAULT.sub(r"\1", command))
        processes[name] = [word for word in argv if not re.match(r"^[A-Z_]+=", word)]
    return processes


def procfile_port(name: str) -> int:
    """The port a Procfile web process listens on (--bind HOST:PORT or --port N)."""
    argv = procfile()[name]
    for option, value in itertools.pairwise(argv):
        if option == "--bind":
            return int(value.rsplit(":", 1)[1])
        if option == "--port":
            return int(value)
    raise LookupError(f"{name} listens on no port in compose/Procfile")


def signature(argv: list[str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """A command's arguments and meaningful options, without tuning or ports."""
    argv = [DEFAULT.sub(r"\1", word) for word in argv if word != "exec"]
    arguments: list[str] = []
    options: dict[str, str] = {}
    words = iter(argv)
    for word in words:
        if word.startswith("--"):
            value = next(words) if word in VALUED_OPTIONS else ""
            if word in MEANINGFUL_OPTIONS:
                options[word] = value
        else:
            arguments.append(word)
    return tuple(arguments), options


def shell_commands(command: str | list[str]) -> Iterator[list[str]]:
    """The commands a compose/manifest/Dockerfile command runs (sh -c "a && b")."""
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[:2] == ["sh", "-c"]:
        for part in argv[2].split("&&"):
            yield shlex.split(part)
    else:
        yield argv


def command_problem(argv: list[str]) -> str | None:
    """Why a command runs nothing that exists, or None when it does.

    A long-running process must be one of the Procfile's (the same program, module,
    app and queue); a one-off job must be a management command that exists, with
    options that its module names.
    """
    arguments, options = signature(argv)
    if arguments[0] in SHELL_TOOLS:
        return None
    if len(arguments) >= 3 and arguments[1].endswith("manage.py"):
        return management_command_problem(arguments[1], arguments[2], argv)
    if arguments[:3] == ("flask", "db", "upgrade"):  # Flask-Migrate's, on its folder
        has_migrations = (ROOT / "extracted_services/reports/migrations").is_dir()
        return None if has_migrations else "flask db upgrade: no migrations folder"
    if arguments[:2] == ("python", "-m"):
        return None if module_exists(arguments[2]) else f"no module {arguments[2]}"
    for process in procfile().values():
        known_arguments, known_options = signature(process)
        same_options = all(known_options.get(k) == v for k, v in options.items())
        same_program = arguments[0] == known_arguments[0]
        if same_program and same_options and set(arguments) <= set(known_arguments):
            return None
    return f"{shlex.join(argv)!r} is no process of compose/Procfile"


def management_command_problem(
    manage: str, command: str, argv: list[str]
) -> str | None:
    """Whether ``manage.py COMMAND --options`` exists, read from its module."""
    if not (ROOT / manage).is_file():
        return f"{manage} does not exist"
    django_dir = Path(django.__file__).parent
    builtin = [
        *django_dir.glob(f"core/management/commands/{command}.py"),
        *django_dir.glob(f"contrib/*/management/commands/{command}.py"),
    ]
    if builtin:
        return None
    ours = [
        path
        for folder in ("monolith", "echoapp", "extracted_services")
        for path in (ROOT / folder).glob(f"**/management/commands/{command}.py")
    ]
    if not ours:
        return f"manage.py has no command {command!r}"
    source = "\n".join(path.read_text() for path in ours)
    for option in (word for word in argv if word.startswith("--")):
        if f'"{option}"' not in source:
            return f"manage.py {command} has no option {option}"
    return None


def module_exists(dotted: str) -> bool:
    path = ROOT / dotted.split(":")[0].replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


# ---------------------------------------------------------------- the code


FILE_CONVENTION = "{NAME}_FILE"  # recorded when the code builds names that way
# Where the processes read their variables: the application code, not its tests.
APP_CODE = ("monolith", "echoapp", "extracted_services", "compose")


@cache
def strings_in_code(folders: tuple[str, ...] = APP_CODE) -> frozenset[str]:
    """Every string literal in these folders' Python: where settings name variables."""
    strings: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            if "tests" in path.relative_to(ROOT).parts[1:]:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    strings.add(node.value)
                elif isinstance(node, ast.JoinedStr) and node.values:
                    # f"{name}_FILE": the code reads NAME_FILE for every NAME it reads
                    # that way (chassis/card_sealing.py's pem_from_environment).
                    last = node.values[-1]
                    if isinstance(last, ast.Constant) and last.value == "_FILE":
                        strings.add(FILE_CONVENTION)
    return frozenset(strings)


def unread_variables(
    names: set[str],
    declared: frozenset[str] = frozenset(),
    folders: tuple[str, ...] = APP_CODE,
) -> set[str]:
    """The variables that neither the code, nor a known tool, nor an image reads."""
    strings = strings_in_code(folders)
    if FILE_CONVENTION in strings:
        names = {n for n in names if n.removesuffix("_FILE") not in strings}
    return names - strings - READ_BY_OTHERS.keys() - declared


def dockerfile_env(path: Path) -> frozenset[str]:
    """The variables a Dockerfile declares itself (ARG, ENV), for its own commands."""
    text = path.read_text().replace("\\\n", " ")
    names = set(re.findall(r"^ARG (\w+)", text, re.MULTILINE))
    for line in re.findall(r"^ENV (.+)$", text, re.MULTILINE):
        names |= set(re.findall(r"(\w+)=", line))
    return frozenset(names)


def serves(project: str, path: str) -> bool:
    """Whether a process of ``project`` answers ``path`` (/healthz, /readyz)."""
    route = path.lstrip("/")
    if project == "monolith":
        return f'path("{route}"' in (ROOT / "monolith/urls.py").read_text()
    if project in ("recommendations", "reports"):
        source = (ROOT / f"extracted_services/{project}/operations.py").read_text()
        return re.search(rf"\.get\(\"{re.escape(path)}\"\)", source) is not None
    urls = (ROOT / f"extracted_services/{project}/urls.py").read_text()
    chassis = (ROOT / "extracted_services/chassis/urls.py").read_text()
    return 'include("extracted_services.chassis.urls")' in urls and (
        f'path("{route}"' in chassis
    )
