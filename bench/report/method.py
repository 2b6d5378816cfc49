"""Section "Method": how the figures were made, on what machine, with which versions
and settings.
"""

from bench.report import formatting as fmt
from bench.report.blocks import Block, Cell, Heading, Section, Table, Text, cells
from bench.report.data import Doc

METHOD = [
    "Rounds: every figure is measured on the monolith, then on the services, then "
    "again (A B A B ...), round after round, so whatever else the machine does hits "
    "both stacks alike. A figure is the median over the rounds; the lowest and "
    f"highest round, shown as (min{fmt.DASH}max), say how much to trust it. A "
    "ratio is taken within each round, then its median: the machine's drift "
    "cancels out.",
    "Closed model: a fixed number of users, each sending its next request as soon as "
    "the last one is answered, with no think time. It measures how much work a "
    "stack does at that concurrency; a slow server slows the users down with it.",
    "Open model (fixed rate): requests are due on a schedule, whatever the server "
    "does, and each latency runs from the intended send time, so the requests a "
    "stall held back are counted too.",
    "Cost: the CPU seconds of every process of the stack (not the load generator) "
    "per 1000 requests, and the largest total resident memory seen.",
]


def section(doc: Doc) -> Section:
    blocks: list[Block] = [Text(paragraph) for paragraph in METHOD]
    blocks += [Heading("This run"), key_values(run_facts(doc))]
    blocks += [Heading("Machine"), key_values(machine_facts(doc))]
    packages = (doc.document.get("machine") or {}).get("packages") or {}
    if packages:
        rows = [cells(name, str(version)) for name, version in sorted(packages.items())]
        blocks += [
            Heading("Package versions"),
            Table(cells("Package", "Version"), rows),
        ]
    blocks += [Heading("The stacks"), stacks_table(doc), processes_table(doc)]
    blocks += [Heading("Switches"), variants_table(doc)]
    blocks += [Heading("Scenarios"), scenarios_table(doc)]
    blocks += weights_blocks(doc)
    return Section("method", "Method", blocks)


def key_values(pairs: list[tuple[str, object]]) -> Table:
    return Table(cells("", ""), [cells(k, str(v)) for k, v in pairs])


def run_facts(doc: Doc) -> list[tuple[str, object]]:
    o, x = doc.options, fmt.TIMES
    sweep = ", ".join(str(users) for users in o.get("sweep") or []) or "none"
    sizes = ", ".join(fmt.count(size) for size in o.get("sizes") or []) or "none"
    window = f"{o.get('duration', '?')} s, after {o.get('warmup', '?')} s of warm-up"
    share = o.get("fixed_rate_share", "?")
    workers = (
        f"--workers {o.get('workers', '?')}, --threads {o.get('threads', '?')} "
        "(each process's own: see Processes)"
    )
    attached = "already running (attached)" if o.get("attached") else "started here"
    return [
        ("Rounds", o.get("rounds", "?")),
        ("Measured window", window),
        ("Users (standard concurrency)", doc.users),
        ("Users, concurrency sweep", sweep),
        ("Catalogue sizes (products)", sizes),
        ("Fixed rate", f"{share} {x} the slower stack's closed-model throughput"),
        ("Gunicorn", workers),
        ("Stacks", attached),
        ("Started", fmt.date(doc.document.get("started_at"))),
        ("Finished", fmt.date(doc.document.get("finished_at"))),
    ]


def machine_facts(doc: Doc) -> list[tuple[str, object]]:
    m = doc.document.get("machine") or {}
    return [
        ("CPU", f"{m.get('cpu_model', '?')}, {m.get('cpus', '?')} CPUs"),
        ("Memory", f"{m.get('memory_gib', '?')} GiB"),
        ("Operating system", m.get("os", "?")),
        ("Python", m.get("python", "?")),
        ("SQLite", m.get("sqlite", "?")),
        ("Redis server", m.get("redis_server") or "not found"),
    ]


def stacks_table(doc: Doc) -> Table:
    rows = []
    for name, stack in (doc.document.get("stacks") or {}).items():
        data = stack.get("data") or {}
        started = stack.get("started_by_bench")
        rows.append(
            [
                Cell(name.capitalize(), tone=name),
                Cell(
                    str(stack.get("base_url", "?")),
                    "started by the bench" if started else "already running",
                ),
                Cell(str(stack.get("settings", "?"))),
                Cell(str(stack.get("database", "?")), str(stack.get("redis", ""))),
                Cell(", ".join(f"{fmt.count(v)} {k}" for k, v in data.items())),
            ]
        )
    headers = cells("Stack", "Address", "Settings", "Database and Redis", "Data")
    return Table(headers, rows)


def processes_table(doc: Doc) -> Table:
    """Every process of each stack, with gunicorn's workers x threads."""
    rows = []
    for name, stack in (doc.document.get("stacks") or {}).items():
        if not stack.get("processes"):  # attached: the bench did not start them
            unknown = Cell("not known (attached)", tone="muted")
            rows.append(
                [Cell(name.capitalize(), tone=name), unknown, Cell(""), Cell("")]
            )
        for index, process in enumerate(stack.get("processes") or []):
            rows.append(
                [
                    Cell(name.capitalize(), tone=name) if index == 0 else Cell(""),
                    Cell(str(process.get("name", "?"))),
                    Cell(str(process.get("role", ""))),
                    Cell(process_size(process)),
                ]
            )
    return Table(cells("Stack", "Process", "Role", "Workers"), rows)


def process_size(process: dict) -> str:
    workers = process.get("workers")
    if workers and process.get("threads"):
        threads = process["threads"]
        return f"{_many(workers, 'worker')} {fmt.TIMES} {_many(threads, 'thread')}"
    if workers:
        return _many(workers, "worker")
    if process.get("concurrency"):
        return f"concurrency {process['concurrency']}"
    return ""


def variants_table(doc: Doc) -> Table:
    variants = doc.document.get("variants") or {}
    return Table(
        cells("Variant", "What it changes"),
        [cells(k, str(v)) for k, v in variants.items()],
    )


def scenarios_table(doc: Doc) -> Table:
    rows = []
    for name in doc.scenarios():
        about = doc.about(name)
        figure = about.get("figure") or "requests"
        rows.append(
            [
                Cell(doc.title(name), name),
                Cell(about.get("kind", "?"), figure),
                Cell(about.get("what", "")),
            ]
        )
    return Table(cells("Scenario", "Kind", "What it does"), rows)


def weights_blocks(doc: Doc) -> list[Block]:
    weights: dict[str, float] = {}
    for name in doc.scenarios():
        weights = doc.about(name).get("weights") or weights
    if not weights:
        return []
    total = sum(weights.values()) or 1
    rows = [
        cells(action, f"{weight}", f"{100 * weight / total:.0f}%")
        for action, weight in weights.items()
    ]
    table = Table(cells("Action", "Weight", "Share"), rows)
    return [Heading("The mixed shop session's actions"), table]


def _many(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
