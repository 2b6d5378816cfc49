"""Each Django web process's production settings load on exactly the environment
compose or Kubernetes gives it (and its image's own): they refuse to start on less.

The one check here that runs the code: a Python per process, all at once, importing
the settings. Secrets are throwaway values and keys made for the test (the token keys,
the card sealing pair); nothing is connected to.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .facts import COMPOSE, K8S, ROOT, yaml_documents

# compose's service or the Deployment -> the project (the Dockerfile's SERVICE).
DJANGO_WEB = {
    "compose": {"web": "monolith"},
    "kubernetes": {"monolith": "monolith"},
}
for _name in ("gateway", "catalog", "orders", "payments", "storefront"):
    DJANGO_WEB["compose"][_name] = DJANGO_WEB["kubernetes"][_name] = _name
CASES = [(origin, name) for origin, names in DJANGO_WEB.items() for name in names]
REQUIRED = re.compile(r"\$\{(\w+):\?[^}]*\}")  # compose's ${NAME:?message}
# Importing the settings module runs every refusal production has (a weak key, a
# missing token or key); /healthz and /readyz are tests/deploy/facts.py's `serves`.
CHILD = "import importlib, sys; importlib.import_module(sys.argv[1])"


def throwaway(name: str) -> str:
    """A value for a secret the settings check: long enough, and never real."""
    if name.endswith("DATABASE_URL"):
        return "postgres://shop:throwaway@postgres:5432/shop"
    return secrets.token_urlsafe(64)


def image_env(project: str) -> dict[str, str]:
    """What the image sets itself: its settings module (Dockerfile ENV)."""
    dockerfile = "compose" if project == "monolith" else "extracted_services"
    text = (ROOT / dockerfile / "Dockerfile").read_text()
    settings = re.search(r"DJANGO_SETTINGS_MODULE=(\S+)", text).group(1)
    return {"DJANGO_SETTINGS_MODULE": settings.replace("${SERVICE}", project)}


def compose_env(name: str) -> dict[str, str]:
    [document] = yaml_documents(COMPOSE)
    environment = document["services"][name]["environment"]
    return {
        key: REQUIRED.sub(lambda m: throwaway(m.group(1)), str(value))
        for key, value in environment.items()
    }


def kubernetes_env(name: str) -> dict[str, str]:
    objects = [d for p in (K8S / "base").glob("*.yaml") for d in yaml_documents(p)]
    config_maps = {o["metadata"]["name"]: o["data"] for o in objects if "data" in o}
    deployment = next(
        o
        for o in objects
        if o["kind"] == "Deployment" and o["metadata"]["name"] == name
    )
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        environment |= config_maps[source["configMapRef"]["name"]]
    for variable in container.get("env", []):
        if "value" in variable:
            environment[variable["name"]] = variable["value"]
        else:
            key = variable["valueFrom"]["secretKeyRef"]["key"]
            environment[variable["name"]] = throwaway(key)
    return environment


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[Any, str]:
    """Start every case's process at once; each one's stderr tail, or "" if it ran."""
    keys = tmp_path_factory.mktemp("keys")
    for module, folder in (
        ("extracted_services.chassis.keys", keys),
        ("monolith.core.jwt_keys", keys / "monolith"),
        ("extracted_services.chassis.card_sealing", keys / "card-keys"),
    ):
        subprocess.run(
            [sys.executable, "-m", module, str(folder)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=60,
        )
    # The card's public key sits with the token keys (compose's keys job copies it).
    shutil.copy(keys / "card-keys" / "payments-card.public.pem", keys)
    children = {}
    for origin, name in CASES:
        project = DJANGO_WEB[origin][name]
        environment = compose_env(name) if origin == "compose" else kubernetes_env(name)
        # The keys' volumes are mounted at /keys and /card-keys: here, the folders
        # made above.
        mounted = keys / "monolith" if project == "monolith" else keys
        for key, value in environment.items():
            if value.startswith("/card-keys"):
                environment[key] = str(keys / "card-keys") + value[len("/card-keys") :]
            elif value.startswith("/keys"):
                environment[key] = str(mounted) + value[len("/keys") :]
        settings = image_env(project)
        children[origin, name] = subprocess.Popen(
            [sys.executable, "-c", CHILD, settings["DJANGO_SETTINGS_MODULE"]],
            cwd=ROOT,
            env={"PATH": str(Path(sys.executable).parent)} | settings | environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    results = {}
    for case, child in children.items():
        _, stderr = child.communicate(timeout=120)
        results[case] = "" if child.returncode == 0 else stderr.strip()[-500:]
    return results


@pytest.mark.parametrize(("origin", "name"), CASES)
def test_the_web_process_starts_on_the_environment_it_is_given(started, origin, name):
    """Production settings load: every secret and key they insist on is given."""
    assert started[origin, name] == ""
