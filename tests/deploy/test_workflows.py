"""The GitHub Actions workflows: valid, and doing what lab 12 says they do."""

from __future__ import annotations

import re
from typing import Any

import pytest
from check_jsonschema.builtin_schemas import get_builtin_schema
from jsonschema.validators import validator_for
from ruamel.yaml import YAML

from .facts import ROOT, WORKFLOWS, unread_variables

# Where the CI's variables are read: the tests' harness and the browser suite.
TEST_CODE = ("tests",)


def workflow(name: str) -> dict[str, Any]:
    """A workflow read as GitHub reads it: YAML 1.2, where `on` is a word, not true."""
    return YAML(typ="safe").load(WORKFLOWS / name)


def run_steps(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.stem)
def test_each_workflow_is_valid_against_the_github_workflow_schema(path):
    """SchemaStore's workflow schema (vendored by check-jsonschema) accepts it."""
    schema = get_builtin_schema("vendor.github-workflows")
    validator = validator_for(schema)(schema)
    errors = [e.message for e in validator.iter_errors(workflow(path.name))]

    assert errors == []


def test_the_project_workflow_runs_what_ci_runs():
    """ci.yml runs .ci/run, which runs the README's test command (`make test`)."""
    [job] = workflow("ci.yml")["jobs"].values()
    variables = set(job.get("env", {})) - {"CI"}

    assert run_steps(job) == ["bash .ci/run"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
    assert unread_variables(variables, folders=TEST_CODE) == set()


def test_the_catalog_workflow_tests_and_builds_the_catalog_alone():
    """catalog.yml runs on the catalog's files only, tests it, then builds its image."""
    document = workflow("catalog.yml")
    triggers = document["on"]
    jobs = document["jobs"]
    [test_command] = run_steps(jobs["test"])
    [build, *_] = run_steps(jobs["image"])

    assert test_command == "python dev.py test --service catalog"
    assert "--build-arg SERVICE=catalog" in build
    assert "extracted_services/Dockerfile" in build
    assert jobs["image"]["needs"] == "test"
    for event in ("push", "pull_request"):
        paths = triggers[event]["paths"]
        assert "extracted_services/catalog/**" in paths
        assert not any("orders" in p or "payments" in p for p in paths)
        for path in paths:  # a filter on a path that does not exist never fires
            assert list(ROOT.glob(re.sub(r"/\*\*$", "", path))), path
