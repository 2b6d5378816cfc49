"""Section "Where the time goes": the median trace of time to paid and of the home
page on each stack, drawn as waterfalls (``bench/waterfall.py`` picks them).
"""

from bench import waterfall
from bench.report.blocks import Block, Gantt, Heading, Section, Text
from bench.report.data import STACKS, Doc
from bench.report.gantt import colours

TITLE = "Where the time goes: one median trace per stack"
INTRO = (
    "Each row is a span: a piece of work one process did (a request it served, a "
    "query, a Redis command, a call to another service, a Celery task, an outbox "
    "message published), under the span that caused it, drawn from when it started "
    "for as long as it took. The trace drawn is the one whose first span, the request "
    "the load generator sent, took the median time among the run's traced requests; "
    "`python -m tracing show <trace id>` prints the same from the run's traces/ "
    "folder (`--dir`)."
)
WHAT = {
    "time-to-paid": (
        "The order's POST, and everything after its answer: the gaps before each "
        "`outbox publish` are the relays' polling, the gaps before each `run/...` the "
        "broker's pickup, and each `POST` or `GET` inside another process's request "
        "is one hop. The customer waits until the last step marks the order paid."
    ),
    "home-page": (
        "One home page: on the services stack, the gateway proxies it to the "
        "storefront, which asks catalog for the categories and the products."
    ),
}
NOT_TRACED = (
    "Not drawn: the stacks did not trace in this run. `python -m bench --tracing` "
    "draws the median trace of time to paid and of the home page on each stack."
)
NO_TRACE = "No trace of it in this run: the scenario was not chosen, or not traced."


def section(doc: Doc) -> Section:
    found = doc.document.get("waterfalls") or {}
    if not found:
        return Section("waterfalls", TITLE, [Text(NOT_TRACED)])
    palette = colours(processes(found))
    blocks: list[Block] = [Text(INTRO)]
    for scenario in waterfall.SCENARIOS:
        blocks += [Heading(doc.title(scenario)), Text(WHAT[scenario])]
        traces = found.get(scenario) or {}
        if not traces:
            blocks.append(Text(NO_TRACE))
        for stack in STACKS:
            if trace := traces.get(stack):
                blocks.append(Gantt(caption(stack, trace), trace["spans"], palette))
    return Section("waterfalls", TITLE, blocks)


def processes(found: dict) -> list[str]:
    """Every process in the drawn traces, in the order they first appear: each keeps
    one colour in every waterfall."""
    seen = [
        span["process"]
        for traces in found.values()
        for trace in traces.values()
        for span in trace["spans"]
    ]
    return list(dict.fromkeys(seen))


def caption(stack: str, trace: dict) -> str:
    spans = trace["spans"]
    count = len({span["process"] for span in spans})
    return (
        f"{stack}: {len(spans)} spans in {count} processes; the request took "
        f"{trace['root_ms']:.1f} ms, the whole trace {trace['total_ms']:.1f} ms "
        f"(the median of {trace['traced']} traced; trace {trace['trace_id']})"
    )
