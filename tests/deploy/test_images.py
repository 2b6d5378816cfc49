"""The Dockerfiles: slim, multi-stage, non-root, checked, each with only its own needs.

No Docker engine runs here: the files are read, and what they copy, install and run
is checked against the repository.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from .facts import ROOT, command_problem, procfile_port, serves, shell_commands


@dataclass(frozen=True)
class Image:
    """One image: its Dockerfile, the service it builds, its port and its code."""

    name: str
    dockerfile: str
    build_args: tuple[tuple[str, str], ...]
    requirements: str
    code: tuple[str, ...]  # what it copies of the repository, to be imported

    @property
    def text(self) -> str:
        """The Dockerfile with its build arguments filled in and its lines joined."""
        text = (ROOT / self.dockerfile).read_text().replace("\\\n", " ")
        for argument, value in self.build_args:
            text = text.replace(f"${{{argument}}}", value)
        return text


def django_service(name: str, *extra_code: str) -> Image:
    return Image(
        name=name,
        dockerfile="extracted_services/Dockerfile",
        build_args=(("SERVICE", name), ("PORT", str(procfile_port(name)))),
        requirements=f"extracted_services/{name}/requirements.txt",
        code=("extracted_services/chassis", f"extracted_services/{name}", *extra_code),
    )


IMAGES = [
    Image(
        "monolith",
        "compose/Dockerfile",
        (),
        "monolith/requirements.txt",
        ("monolith", "echoapp", "manage.py"),
    ),
    *(django_service(name) for name in ("gateway", "catalog", "orders", "payments")),
    django_service("storefront", "monolith", "echoapp"),
    *(
        Image(
            name,
            f"extracted_services/{name}/Dockerfile",
            (),
            f"extracted_services/{name}/requirements.txt",
            (f"extracted_services/{name}",),  # and the chassis modules it imports
        )
        for name in ("recommendations", "reports")
    ),
]
# Chassis modules that only tests import: they read files no image carries.
TEST_ONLY = {"extracted_services/chassis/asyncapi.py": "reads docs/api/asyncapi.yaml"}
FIRST_PARTY = {"monolith", "echoapp", "extracted_services"}


def requirements(path: Path) -> list[Requirement]:
    """A requirements file's requirements, following `-r other.txt`."""
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += requirements(path.parent / line[3:])
        elif line:
            found.append(Requirement(line))
    return found


def installed_closure(wanted: list[Requirement]) -> set[str]:
    """The distributions these requirements install, theirs included (from .venv)."""
    names: set[str] = set()
    todo = [(r.name, r.extras) for r in wanted]
    while todo:
        name, extras = todo.pop()
        key = name.lower().replace("_", "-")
        if key in names:
            continue
        names.add(key)
        try:
            needs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:  # an extra .venv lacks: not walked
            needs = []
        for line in needs:
            requirement = Requirement(line)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            marker = requirement.marker
            if marker is None or any(marker.evaluate(env) for env in environments):
                todo.append((requirement.name, requirement.extras))
    return names


def module_file(dotted: str) -> Path | None:
    """The file of a first-party module, or None for a name inside one."""
    path = ROOT / dotted.replace(".", "/")
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def third_party_imports(image: Image) -> dict[str, str]:
    """Top-level modules the image's code imports, outside tests: module -> a file.

    The image's own folders are read whole; from there, the first-party modules
    they import are followed (recommendations reads the chassis's plain-Python
    modules, never its Django ones).
    """
    todo: list[Path] = []
    for folder in image.code:
        start = ROOT / folder
        todo += [start] if start.is_file() else start.rglob("*.py")
    seen: set[Path] = set()
    imports: dict[str, str] = {}
    while todo:
        path = todo.pop()
        relative = path.relative_to(ROOT).as_posix()
        skipped = "/tests/" in relative or "/migrations/" in relative
        if path in seen or skipped or relative in TEST_ONLY:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
                modules += [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in FIRST_PARTY:
                    if found := module_file(module):
                        todo.append(found)
                elif top not in sys.stdlib_module_names:
                    imports.setdefault(top, relative)
    return imports


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_the_image_is_multi_stage_slim_and_runs_as_a_user(image):
    """Wheels are built in a stage of their own; the image is slim and not root."""
    stages = re.findall(r"^FROM (\S+)", image.text, re.MULTILINE)
    users = re.findall(r"^USER (\S+)", image.text, re.MULTILINE)

    assert len(stages) >= 2
    assert all(s.endswith("-slim") for s in stages if ":" in s), stages
    assert users
    assert users[-1] not in ("root", "0")
    assert "pip wheel" in image.text
    assert "--no-cache-dir" in image.text


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_the_image_installs_only_its_own_requirements(image):
    """Wheels are built from the image's own requirements; nothing else is installed."""
    wheels_from = re.findall(r"pip wheel [^\n]*-r (\S+)", image.text)
    installs = re.findall(r"pip install ([^&\n]+)", image.text)

    assert (ROOT / image.requirements).is_file()
    assert image.requirements in image.text  # copied in, or named by -r
    assert wheels_from
    assert all(Path(p).name == "requirements.txt" for p in wheels_from)
    assert installs
    assert all(i.split()[-1] == "/wheels/*" for i in installs), installs


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_its_requirements_cover_what_its_code_imports(image):
    """Every package the image's code imports is installed by its requirements."""
    installed = installed_closure(requirements(ROOT / image.requirements))
    providers = metadata.packages_distributions()
    missing = {}
    for module, where in third_party_imports(image).items():
        distributions = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if not distributions & installed:
            missing[module] = where

    assert missing == {}


def test_test_only_modules_are_imported_by_tests_only():
    """The modules the images may leave unchecked are imported by no app code."""
    for module_path in TEST_ONLY:
        dotted = module_path.removesuffix(".py").replace("/", ".")
        for path in (ROOT / "extracted_services").rglob("*.py"):
            if "tests" not in path.parts and path.as_posix() != str(ROOT / module_path):
                assert dotted not in path.read_text(), path


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_every_requirement_has_pyprojects_range(image):
    """A package in both has the same version range: the image runs what is tested."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    ranges = {
        Requirement(line).name.lower(): Requirement(line).specifier
        for line in project["dependencies"] + project["optional-dependencies"]["mongo"]
    }
    for requirement in requirements(ROOT / image.requirements):
        name = requirement.name.lower()
        if name in ranges:
            assert requirement.specifier == ranges[name], requirement


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_it_copies_files_that_exist(image):
    """Every COPY from the build context names a file or folder of the repository."""
    for line in re.findall(r"^COPY (?!--from)(.+)$", image.text, re.MULTILINE):
        *sources, _destination = line.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}"


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_its_health_check_asks_healthz_on_its_port(image):
    """HEALTHCHECK asks /healthz, which the code serves, on the port it exposes."""
    port = re.search(r"^EXPOSE (\S+)", image.text, re.MULTILINE).group(1)
    port = dict(image.build_args).get("PORT", port)
    check = re.search(r"^HEALTHCHECK .+$", image.text, re.MULTILINE).group(0)

    assert re.search(rf"127\.0\.0\.1:(\$\{{PORT\}}|{port})/healthz", check), check
    assert serves(image.name, "/healthz")
    assert int(port) == procfile_port(image.name)


@pytest.mark.parametrize("image", IMAGES, ids=lambda image: image.name)
def test_its_command_is_a_procfile_process(image):
    """CMD starts one of `make run`'s processes (or migrates first)."""
    command = re.search(r"^CMD (.+)$", image.text, re.MULTILINE).group(1)
    command = command.replace("${SERVICE}", image.name)  # the shell reads it at start
    argv = ast.literal_eval(command) if command.startswith("[") else command
    for part in shell_commands(argv):
        assert command_problem(part) is None, part
