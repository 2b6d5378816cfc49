"""The live display: one line rewritten in place on a terminal, a line per step else."""

import sys
import time

from bench.plan import Step


def _step_label(step: Step) -> str:
    load = "fixed rate" if step.fixed_rate else f"{step.users} users"
    variant = "" if step.variant == "default" else f" ({step.variant})"
    return (
        f"{step.scenario} · {step.stack}{variant} · {load} · {step.products:,} products"
    )


class Progress:
    def __init__(self, total: int, stream=sys.stdout):
        self.total, self.stream = total, stream
        self.live = stream.isatty()
        self.began = time.monotonic()
        self.index = 0
        self.label = ""

    def say(self, message: str) -> None:
        self._clear()
        print(f"[bench] {message}", file=self.stream, flush=True)

    def begin(self, index: int, step: Step) -> None:
        self.index, self.label = index, _step_label(step)
        if self.live:
            self._draw("starting")

    def event(self, event: dict) -> None:
        if self.live and event["event"] == "progress":
            self._draw(f"{event['elapsed']:.1f} s · {event['requests']:,} req · "
                       f"{event['errors']:,} errors")  # fmt: skip

    def end(self, step: Step, result: dict) -> None:
        figure = result["figure"]
        p50 = figure["latency"]["p50"]
        latency = "no answer" if p50 is None else f"p50 {p50:.1f} ms"
        errors = f" · {result['errors']:,} ERRORS" if result["errors"] else ""
        # Older results.json files have no retries.
        retries = f" · {n:,} retried" if (n := result.get("retries")) else ""
        line = (
            f"[{self.index}/{self.total}] {self.label}: {figure['throughput']:,.0f}/s "
            f"· {latency}{errors}{retries}"
        )
        self._clear()
        print(line, file=self.stream, flush=True)

    def _eta(self) -> str:
        if self.index <= 1:
            return ""
        per_step = (time.monotonic() - self.began) / (self.index - 1)
        return f" · about {per_step * (self.total - self.index + 1) / 60:.0f} min left"

    def _draw(self, what: str) -> None:
        line = f"[{self.index}/{self.total}] {self.label} · {what}{self._eta()}"
        self.stream.write("\r\033[K" + line[:160])
        self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
