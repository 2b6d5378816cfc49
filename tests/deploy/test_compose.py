"""compose/docker-compose.yml: valid Compose, and all it names exists in the code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from check_jsonschema.builtin_schemas import get_builtin_schema
from jsonschema.validators import validator_for

from .facts import (
    COMPOSE,
    ROOT,
    command_problem,
    dockerfile_env,
    procfile_port,
    shell_commands,
    unread_variables,
    yaml_documents,
)

# Services that run an image of someone else's (databases, broker, tracing).
THEIRS = {"postgres", "redis", "mongodb", "jaeger", "tls"}
# ${NAME:?message}: compose refuses to start when NAME is unset.
REQUIRED = re.compile(r"^\$\{\w+:\?[^}]+\}$")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|PRIVATE_KEY$")
URL_PASSWORD = re.compile(r"://\w+:([^@]+)@")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    [document] = yaml_documents(COMPOSE)
    return document


@pytest.fixture(scope="module")
def ours(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run one of the project's images."""
    return {k: v for k, v in compose["services"].items() if k not in THEIRS}


def dockerfile_of(service: dict[str, Any]) -> Path:
    build = service["build"]
    return ROOT / "compose" / build["context"] / build["dockerfile"]


def test_the_file_is_valid_against_the_compose_specification(compose):
    """The Compose specification's schema (vendored by check-jsonschema) accepts it."""
    schema = get_builtin_schema("vendor.compose-spec")
    errors = [e.message for e in validator_for(schema)(schema).iter_errors(compose)]

    assert errors == []


def test_every_dependency_exists_and_waits_for_health_or_completion(compose):
    """depends_on names real services, and waits until they are healthy or done."""
    services = compose["services"]
    for name, service in services.items():
        for needed, how in service.get("depends_on", {}).items():
            assert needed in services, f"{name} depends on unknown {needed}"
            condition = how["condition"]
            if condition == "service_completed_successfully":
                assert services[needed].get("restart") == "no", f"{needed} is a job"
            elif condition == "service_healthy":
                checked = services[needed].keys() & {"healthcheck", "build"}
                assert checked, f"{name} waits for {needed}, which has no health check"
                assert not services[needed].get("healthcheck", {}).get("disable")
            else:  # only what may fail to start without harm
                assert condition == "service_started"
                assert needed == "jaeger"


def test_the_dependencies_have_no_cycle(compose):
    """Compose can order the start: following depends_on never comes back round."""
    needs = {k: set(v.get("depends_on", {})) for k, v in compose["services"].items()}
    started: set[str] = set()
    while ready := {name for name, wanted in needs.items() if wanted <= started}:
        started |= ready
        needs = {k: v for k, v in needs.items() if k not in ready}

    assert needs == {}


def test_every_image_is_built_from_files_that_exist(ours):
    """Each build names a Dockerfile that exists, and a service with requirements."""
    for name, service in ours.items():
        dockerfile = dockerfile_of(service)
        assert dockerfile.is_file(), f"{name}: {dockerfile} is missing"
        if argument := service["build"].get("args", {}).get("SERVICE"):
            requirements = ROOT / f"extracted_services/{argument}/requirements.txt"
            assert requirements.is_file(), f"{name}: {requirements} is missing"


def test_every_command_is_a_procfile_process_or_a_management_command(ours):
    """A long-running command is one of `make run`'s; a job's command exists."""
    problems = []
    for name, service in ours.items():
        if "command" in service:
            for argv in shell_commands(service["command"]):
                if problem := command_problem(argv):
                    problems.append(f"{name}: {problem}")

    assert problems == []


def test_every_web_process_listens_where_the_procfile_says(compose, ours):
    """Ports and the URLs the services call each other by match compose/Procfile."""
    for name, service in ours.items():
        port = service.get("environment", {}).get("PORT")
        port = port or service["build"].get("args", {}).get("PORT")
        if port and "command" not in service:  # a web process: the image's command
            assert int(port) == procfile_port(name), name
    urls = compose["x-service-env"]
    for variable, url in urls.items():
        if variable.endswith("_URL") and variable != "REDIS_URL":
            host, port = re.match(r"http://([\w-]+):(\d+)$", url).groups()
            assert int(port) == procfile_port(host), f"{variable}={url}"
    assert "127.0.0.1:8000:8000" in compose["services"]["web"]["ports"]


def test_every_variable_is_read_by_the_code(ours):
    """Each environment variable set is one the settings, a tool or the image reads."""
    for name, service in ours.items():
        names = set(service.get("environment", {}))
        declared = dockerfile_env(dockerfile_of(service))

        assert unread_variables(names, declared) == set(), name


def test_secrets_come_from_the_environment(compose):
    """No secret is written in the file: each is ${NAME:?message}, compose's refusal."""
    for name, service in compose["services"].items():
        for variable, value in service.get("environment", {}).items():
            if SECRET_NAME.search(variable):
                assert REQUIRED.match(str(value)), f"{name}: {variable} is literal"
            if password := URL_PASSWORD.search(str(value)):
                assert REQUIRED.match(password.group(1)), f"{name}: {variable}"


def test_each_service_has_a_database_of_its_own(compose, ours):
    """Every database named is made by postgres-init.sql, and none is shared."""
    init = (ROOT / "compose" / "postgres-init.sql").read_text()
    made = set(re.findall(r"CREATE DATABASE (\w+)", init))
    made.add(compose["services"]["postgres"]["environment"]["POSTGRES_DB"])
    owners: dict[str, set[str]] = {}
    for service in ours.values():
        environment = service.get("environment", {})
        for variable in ("DATABASE_URL", "REPORTS_DATABASE_URL"):
            if url := environment.get(variable):
                database = url.rsplit("/", 1)[1]
                # The service a process belongs to is the name it reports traces under.
                owner = environment.get("OTEL_SERVICE_NAME")
                owners.setdefault(database, set()).add(owner)

    assert set(owners) <= made
    assert all(len(services) == 1 for services in owners.values()), owners


def test_long_running_services_restart_and_one_shot_jobs_do_not(compose):
    """A process that dies is started again (as make run's supervisor does); a job
    that others wait to see completed runs once."""
    services = compose["services"]
    jobs = {
        needed
        for service in services.values()
        for needed, condition in (service.get("depends_on") or {}).items()
        if condition.get("condition") == "service_completed_successfully"
    }
    for name, service in services.items():
        expected = "no" if name in jobs else "unless-stopped"
        assert service.get("restart") == expected, name


def test_the_tls_door_proxies_to_services_that_exist_on_their_ports(compose):
    """Each site of compose/Caddyfile is published by the tls service and passes
    on to a service of the file, on the port that service listens on."""
    caddyfile = (ROOT / "compose/Caddyfile").read_text(encoding="utf-8")
    sites = re.findall(
        r"^https://localhost:(\d+) \{\s*reverse_proxy (\S+):(\d+)", caddyfile, re.M
    )
    published = {port.split(":")[-1] for port in compose["services"]["tls"]["ports"]}

    assert sites, "no site in compose/Caddyfile"
    assert {site for site, _, _ in sites} == published
    for _, upstream, port in sites:
        exposed = compose["services"][upstream]["ports"]
        assert any(entry.endswith(f":{port}") for entry in exposed), upstream
