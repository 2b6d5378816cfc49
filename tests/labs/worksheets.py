"""Read the lab worksheets (docs/labs/NN-*.md) the way their tests need them.

The worksheets follow a few conventions, so that a test can keep them true:

- every command is a ```bash block followed by its ```powershell twin (usually in
  two content tabs); a ```text block right after the pair is the output to expect,
  line by line, with ``…`` standing for anything;
- ``<!-- check -->`` on the line before a pair makes the test run the bash command
  and compare its output (``<!-- check: throttled -->``: against the stack's door with
  a low sign-in limit); every command under "Check your work" is checked;
- a code block with ``title="path"`` shows that file of the repository: its lines are
  a run of the file's lines (a line ``# …`` skips some); a title that starts with
  ``course-echo/`` is a file of the project that lab 01 builds from scratch.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABS = sorted((ROOT / "docs/labs").glob("[0-9][0-9]-*.md"))
# A fenced block, indented or not (content tabs indent them by four spaces).
FENCE = re.compile(
    r"^(?P<indent> *)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
TITLE = re.compile(r'title="([^"]+)"')
CHECK = re.compile(r"<!-- check(?::\s*(?P<door>[\w-]+))? -->")
TAB_HEADER = re.compile(r'^\s*=== "[^"]*"\s*$')
HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
CHECK_YOUR_WORK = "Check your work"
SCRATCH_PROJECT = "course-echo/"
ELISION = {"…", "# …", "{# … #}", "<!-- … -->"}


@dataclass(frozen=True)
class Block:
    """One fenced code block of a worksheet."""

    lab: str
    language: str
    title: str | None
    body: str
    start: int  # offset in the worksheet, to order blocks and find their headings
    end: int
    section: str  # the nearest "## " heading above it
    step: str  # the nearest "### " heading above it, or the section


@dataclass(frozen=True)
class Command:
    """A bash command with its PowerShell twin and, maybe, the output to expect."""

    bash: Block
    powershell: Block | None
    expected: Block | None
    checked: bool
    door: str = "main"  # "throttled": the stack's door with a low sign-in limit
    needs: str = field(init=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", stack_needed(self.bash.body))

    @property
    def id(self) -> str:
        return f"{self.bash.lab}: {self.bash.step}"


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    headings = [(m.start(), len(m[1]), m[2]) for m in HEADING.finditer(text)]
    found = []
    for match in FENCE.finditer(text):
        info = match.group("info").strip()
        language = info.split()[0] if info else ""
        title = TITLE.search(info)
        indent = len(match.group("indent"))
        body = "\n".join(line[indent:] for line in match.group("body").splitlines())
        above = [h for h in headings if h[0] < match.start()]
        section = next((h[2] for h in reversed(above) if h[1] == 2), "")
        step = above[-1][2] if above else ""
        found.append(
            Block(
                lab=path.stem,
                language=language,
                title=title.group(1) if title else None,
                body=body + "\n",
                start=match.start(),
                end=match.end(),
                section=section,
                step=step,
            )
        )
    return found


def commands(path: Path) -> list[Command]:
    """Every bash block of a worksheet, with its twin, expected output and marker."""
    text = path.read_text(encoding="utf-8")
    all_blocks = blocks(path)
    found = []
    for index, block in enumerate(all_blocks):
        if block.language != "bash":
            continue
        twin = _next(all_blocks, index, "powershell", text)
        after = twin or block
        expected = _next(all_blocks, all_blocks.index(after), "text", text)
        marker = _marker_before(text, block.start)
        checked = marker is not None or block.section == CHECK_YOUR_WORK
        door = (marker.group("door") if marker else None) or "main"
        found.append(Command(block, twin, expected, checked, door))
    return found


def _next(
    all_blocks: list[Block], index: int, language: str, text: str
) -> Block | None:
    """The block after ``all_blocks[index]`` if it is in ``language`` and nothing
    but blank lines, tab headers and prose without headings comes between."""
    if index + 1 >= len(all_blocks):
        return None
    following = all_blocks[index + 1]
    between = text[all_blocks[index].end : following.start]
    if following.language != language:
        return None
    if HEADING.search(between) or CHECK.search(between):
        return None  # the next block belongs to another step
    if language == "powershell" and any(
        line.strip() and not TAB_HEADER.match(line) for line in between.splitlines()
    ):
        return None  # a twin follows at once: no prose between the two
    return following


def _marker_before(text: str, offset: int) -> re.Match[str] | None:
    """The ``<!-- check -->`` marker on the last non-blank line above a block,
    skipping the content tab's header."""
    for line in reversed(text[:offset].splitlines()):
        if not line.strip() or TAB_HEADER.match(line):
            continue
        return CHECK.fullmatch(line.strip())
    return None


# Which stack a command needs, from what it names.
MONOLITH = re.compile(r"127\.0\.0\.1:8000|python manage\.py")
SERVICES = re.compile(r"127\.0\.0\.1:810\d|extracted_services/\w+/manage\.py")


def stack_needed(command: str) -> str:
    """``monolith``, ``services`` or ``""`` (no stack)."""
    if MONOLITH.search(command):
        return "monolith"
    if SERVICES.search(command):
        return "services"
    return ""


# The programs a command line runs, so that a bash line and its PowerShell twin can
# be compared: "python dev.py", "python manage.py", "python -m pytest", "curl", ...
PROGRAM = re.compile(
    r"(?<![\w./\\-])(?:"
    r"(?P<python>python3?(?:\.exe)?)\s+(?P<entry>-m\s+[\w.]+|-c|[\w./\\-]+\.py)"
    r"|(?P<tool>curl|docker|npx|npm|django-admin|git|make)(?:\.exe)?(?![\w-])"
    r")"
)


def programs(body: str) -> list[str]:
    """The programs a block runs, in order, with Windows spellings made POSIX."""
    found = []
    for line in body.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for match in PROGRAM.finditer(line):
            if match.group("python"):
                entry = match.group("entry").replace("\\", "/")
                found.append(f"python {' '.join(entry.split())}")
            else:
                found.append(match.group("tool"))
    return found


def file_chunks(body: str) -> list[list[str]]:
    """A titled block's lines, split where a ``# …`` line skips some of the file."""
    chunks: list[list[str]] = [[]]
    for line in body.rstrip("\n").splitlines():
        if line.strip() in ELISION:
            chunks.append([])
        else:
            chunks[-1].append(line)
    return [chunk for chunk in chunks if chunk]


def shows_file(body: str, content: str) -> bool:
    """True when every chunk of ``body`` is a run of lines of ``content``, in order."""
    lines = content.splitlines()
    position = 0
    for chunk in file_chunks(body):
        size = len(chunk)
        for start in range(position, len(lines) - size + 1):
            if lines[start : start + size] == chunk:
                position = start + size
                break
        else:
            return False
    return True


def expected_lines_found(expected: str, output: str) -> list[str]:
    """The expected lines that the output does not show, in order (``…``: anything)."""
    actual = [line.rstrip() for line in output.splitlines()]
    position, missing = 0, []
    for wanted in (line.rstrip() for line in expected.splitlines()):
        if not wanted.strip():
            continue
        pattern = re.compile(".*?".join(re.escape(part) for part in wanted.split("…")))
        for index in range(position, len(actual)):
            if pattern.fullmatch(actual[index]):
                position = index + 1
                break
        else:
            missing.append(wanted)
    return missing
