"""The lab worksheets stay true: their checks run, and what they name is real.

The conventions they follow are in ``worksheets.py``. Checks that need a running stack
use the session's ``stack`` fixture, so they run against the same processes as the
contract tests (one stack of each kind: see ``conftest.py``).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from .worksheets import (
    CHECK_YOUR_WORK,
    ELISION,
    LABS,
    ROOT,
    SCRATCH_PROJECT,
    blocks,
    commands,
    expected_lines_found,
    file_chunks,
    programs,
    shows_file,
)

EXPECTED_LABS = [f"{number:02d}" for number in range(13)]
SECTIONS = [
    "Goal",
    "Read the code",
    "Steps",
    CHECK_YOUR_WORK,
    "Reflection questions",
    "Challenges",
]
ALL_COMMANDS = [command for lab in LABS for command in commands(lab)]
CHECKS = [command for command in ALL_COMMANDS if command.checked]
SCRATCH = "scratch"  # the door of lab 01's from-scratch steps: run by their own test
# Paths a worksheet names in `code`: under a top-level folder, or a top-level file.
REPO_PATH = re.compile(
    r"`((?:monolith|echoapp|extracted_services|compose|docs|tests|bench)/[\w./-]*"
    r"|dev\.py|manage\.py|Makefile|pyproject\.toml|README\.md|mkdocs\.yml)`"
)
LOCAL_URL = re.compile(r"http://127\.0\.0\.1:(?:8000|8100|8010)(/[^\s)`\"'<>]*)")
# The demo ports of the services stack, and the process that answers each.
SERVICE_PORTS = {
    "8101": "catalog",
    "8102": "orders",
    "8103": "payments",
    "8104": "storefront",
}
DEMO_FRONT_DOORS = {
    "monolith": "http://127.0.0.1:8000",
    "services": "http://127.0.0.1:8100",
}
COURSE_MAP = ROOT / "docs/course.md"
# `username=admin` (curl) or `username='admin'` (Python): the demo staff user.
DEMO_STAFF = re.compile(r"(username=['\"]?)admin\b")
COMMAND_TIMEOUT = 120


def _id(command) -> str:
    return command.id


@pytest.mark.parametrize("number", EXPECTED_LABS)
def test_each_lab_has_the_shape_of_a_worksheet(number):
    """Goal, code to read, numbered steps, a check, questions and challenges."""
    (lab,) = [path for path in LABS if path.name.startswith(number)]
    text = lab.read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", text, re.MULTILINE)
    steps = re.findall(r"^### Step (\d+)", text, re.MULTILINE)

    assert [name for name in SECTIONS if name in sections] == SECTIONS
    assert steps == [str(n) for n in range(1, len(steps) + 1)], "steps 1, 2, 3…"
    assert any(c.bash.section == CHECK_YOUR_WORK for c in commands(lab))


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=_id)
def test_each_bash_command_has_a_powershell_twin(command):
    """The twin runs the same programs: the same Python entry points, curl, ..."""
    assert command.powershell is not None, "a ```powershell block right after it"

    assert programs(command.powershell.body) == programs(command.bash.body)


@pytest.mark.parametrize("command", CHECKS, ids=_id)
def test_each_checked_command_says_what_to_expect(command):
    """A checked step shows its output, so that the check has something to compare."""
    assert command.expected is not None, "a ```text block after the twin"


@pytest.mark.parametrize("lab", [*LABS, COURSE_MAP], ids=lambda path: path.stem)
def test_every_path_a_worksheet_names_exists(lab):
    """Each `path` in a worksheet's text is a file or folder of the repository."""
    text = lab.read_text(encoding="utf-8")
    named = set(REPO_PATH.findall(text))
    named |= {b.title for b in blocks(lab) if b.title}
    named = {p for p in named if not p.startswith(SCRATCH_PROJECT)}

    missing = sorted(path for path in named if not (ROOT / path).exists())

    assert missing == []


@pytest.mark.parametrize("lab", LABS, ids=lambda path: path.stem)
def test_every_local_url_a_worksheet_names_is_served(lab):
    """Each http://127.0.0.1:8000/…, :8100/… and :8010/… URL is a route of the
    shop (both stacks serve the same paths)."""
    paths = {path.split("?")[0] for path in LOCAL_URL.findall(lab.read_text())}
    unknown = []
    for path in sorted(paths):
        try:
            resolve(path.rstrip(".,:;"))
        except Resolver404:
            unknown.append(path)

    assert unknown == []


FILE_BLOCKS = [
    block
    for lab in LABS
    for block in blocks(lab)
    if block.title and not block.title.startswith(SCRATCH_PROJECT)
]


@pytest.mark.parametrize(
    "block", FILE_BLOCKS, ids=lambda block: f"{block.lab}: {block.title}"
)
def test_a_block_that_shows_a_file_matches_it(block):
    """A ``title="path"`` block is a run of that file's lines (``# …`` skips)."""
    content = (ROOT / block.title).read_text(encoding="utf-8")

    assert shows_file(block.body, content), f"{block.title} no longer reads like this"


@pytest.mark.parametrize("lab", LABS, ids=lambda path: path.stem)
def test_every_python_and_html_block_names_the_file_it_shows(lab):
    """Code is quoted with ``title="path"``, so that a test can compare it."""
    untitled = [
        f"{block.step}: {block.body.splitlines()[0]}"
        for block in blocks(lab)
        if block.language in {"python", "html"} and not block.title
    ]

    assert untitled == []


@pytest.mark.parametrize(
    "check", [c for c in CHECKS if not c.needs and c.door != SCRATCH], ids=_id
)
def test_a_checked_step_without_a_stack_shows_what_it_says(check):
    """The command succeeds and prints the lines the worksheet shows."""
    output = _run(check.bash.body, env=_environment({}))

    assert expected_lines_found(check.expected.body, output) == [], output


@pytest.mark.parametrize(
    "check", [c for c in CHECKS if c.needs and c.door != SCRATCH], ids=_id
)
def test_a_checked_step_on_a_stack_shows_what_it_says(check, stack):
    """The command, pointed at a stack the tests started, prints what it shows."""
    urls = _urls(stack, door=check.door)
    script = _substitute(check.bash.body, urls, stack)

    output = _run(script, env=_environment(_process_env(stack, check.bash.body)))

    shown = _unsubstitute(output, urls, stack)
    assert expected_lines_found(check.expected.body, shown) == [], shown


def test_lab_00_names_every_process_that_make_run_starts():
    """Lab 00's table of processes lists every line of compose/Procfile."""
    procfile = (ROOT / "compose/Procfile").read_text(encoding="utf-8")
    started = {
        line.partition(":")[0]
        for line in procfile.splitlines()
        if line.strip() and not line.startswith("#")
    }
    (lab,) = [path for path in LABS if path.name.startswith("00")]
    text = lab.read_text(encoding="utf-8")
    first_cells = re.findall(r"^\|(.+?)\|", text, re.MULTILINE)
    named = {name for cell in first_cells for name in re.findall(r"`([\w-]+)`", cell)}

    assert sorted(started - named) == []


def test_lab_01_from_scratch_builds_a_project_that_passes_its_own_tests(tmp_path):
    """Lab 01's first part, as a student types it: its commands in order, in a
    fresh folder, each ``course-echo/`` file written (or edited) as its block shows."""
    (lab,) = [path for path in LABS if path.name.startswith("01")]
    steps = [c.bash for c in commands(lab) if c.door == SCRATCH]
    files = [b for b in blocks(lab) if b.title and b.title.startswith(SCRATCH_PROJECT)]
    expected = {c.bash.start: c.expected for c in commands(lab) if c.door == SCRATCH}
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the new project's manage.py sets its own
    cwd, where = tmp_path / "shop", tmp_path / "cwd"
    cwd.mkdir()

    for block in sorted([*steps, *files], key=lambda block: block.start):
        if block.language != "bash":
            _write_or_edit(tmp_path / block.title, block.body)
            continue
        script = f'{block.body}\npwd > "{where}"'
        output = _run(script, env=_environment(env), cwd=cwd)
        cwd = Path(where.read_text().strip())
        if expected[block.start] is not None:
            shown = expected_lines_found(expected[block.start].body, output)
            assert shown == [], f"{block.step}:\n{output}"

    assert steps, "lab 01 marks its from-scratch commands <!-- check: scratch -->"
    for block in files:
        assert shows_file(block.body, (tmp_path / block.title).read_text())


def _write_or_edit(path: Path, body: str) -> None:
    """A whole file is written; an excerpt (with ``# …``) of a file that exists is
    merged into it: its lines the file lacks go in after the line before them."""
    chunks = file_chunks(body)
    if not any(line.strip() in ELISION for line in body.splitlines()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        return
    lines = path.read_text(encoding="utf-8").splitlines()
    at = -1
    for line in (line for chunk in chunks for line in chunk):
        if line in lines[at + 1 :]:
            at = lines.index(line, at + 1)
        else:
            at += 1
            lines.insert(at, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _urls(stack, *, door: str) -> dict[str, str]:
    """The demo addresses a worksheet names, and where this test's stack answers."""
    front = stack.base_url
    if door == "throttled" and stack.throttled_base_url:
        front = stack.throttled_base_url
    demo = DEMO_FRONT_DOORS[stack.name.split("-")[0]]
    urls = {demo: front}
    for port, service in SERVICE_PORTS.items():
        if service in stack.web_urls:
            urls[f"http://127.0.0.1:{port}"] = stack.web_urls[service]
    return urls


def _substitute(script: str, urls: dict[str, str], stack) -> str:
    for demo, real in urls.items():
        script = script.replace(demo, real)
    missing = re.findall(r"http://127\.0\.0\.1:81\d\d", script)
    if missing:
        pytest.skip(f"{stack.name} was started elsewhere: {missing[0]} is unknown")
    # The demo staff user of `make run` is the stack's staff user here.
    script = script.replace("admin-local-only-123", stack.staff_password)
    return DEMO_STAFF.sub(rf"\g<1>{stack.staff_username}", script)


def _unsubstitute(output: str, urls: dict[str, str], stack) -> str:
    for demo, real in urls.items():
        output = output.replace(real, demo)
    return output.replace(stack.staff_username, "admin")


def _process_env(stack, script: str) -> dict[str, str]:
    """The environment of the stack's process that a manage.py command talks about:
    its settings and its database. Empty for a stack started elsewhere."""
    names = re.findall(r"extracted_services/(\w+)/manage\.py", script) or [
        "gunicorn",
        "gateway",
    ]
    for process in stack.processes:
        if process.name in names:
            return dict(process.env)
    return {}


def _environment(base: dict[str, str]) -> dict[str, str]:
    """``base`` (or ours), with this interpreter's folder first on the PATH, so
    that the worksheet's ``python`` is the one running the tests; and without the
    variables pytest sets for itself (``PYTEST_XDIST_WORKER`` ...), which a
    student's terminal does not have: a step that runs pytest runs it as typed."""
    env = {k: v for k, v in (base or os.environ).items() if not k.startswith("PYTEST_")}
    if not base:  # each manage.py picks its own project's settings
        env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    return env


def _run(script: str, *, env: dict[str, str], cwd: Path = ROOT) -> str:
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"exit {result.returncode}:\n{output}"
    return output
