"""What one measurement saw: every request and flow inside the measured window.

The load generator hands each finished request to ``on_request`` (locust's ``request``
event) and each finished flow (an order, from sending it to seeing it paid) to
``flow``; ``result`` sums them up. Anything outside the window (warm-up, the users'
setup, steps finishing after it) is not counted.

A 503 with Retry-After that the client waits out and sends again (``RetryLater``) is
a retry: counted, and among the 5xx answers, but neither an error nor a latency.
"""

import time
from collections import Counter, defaultdict

from bench.scenarios.http import RetryLater
from bench.stats import latency_summary

TOP_ERRORS = 10  # the most frequent error messages kept in the results
NOTHING = "nothing finished inside the measured window"


class Recorder:
    def __init__(self, figure: str | None = None):
        self.figure = figure  # None: every request is a unit of the scenario's figure
        self.is_open = False
        self.opened = self.closed = 0.0
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.service_times: list[float] = []  # open model: from the actual send
        self.counts: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.problems: Counter[str] = Counter()
        self.flows: list[float] = []
        self.flow_failures = 0
        self.trace_ids: list[str] = []  # the traced requests' (bench/waterfall.py)

    def open(self) -> None:
        self.opened, self.is_open = time.time(), True

    def close(self) -> None:
        self.closed, self.is_open = time.time(), False

    def on_request(self, name, response_time, response=None, exception=None,
                   context=None, **_):  # fmt: skip
        """locust's ``request`` event; the latency runs from when it was due, if set."""
        if not self.is_open:
            return
        status = getattr(response, "status_code", 0) or 0
        due = (context or {}).get("due")
        latency = (time.time() - due) * 1000 if due else response_time
        self.counts[name] += 1
        self.statuses[status] += 1
        if isinstance(exception, RetryLater):
            self.retries[name] += 1
            return
        if exception is not None:
            self.failures[name] += 1
            self.problems[str(exception)[:200]] += 1
            return
        self.latencies[name].append(latency)
        if due:
            self.service_times.append(response_time)

    def flow(self, name: str, latency_ms: float, problem: str | None = None) -> None:
        """A flow ended (``problem`` says how it went wrong, if it did)."""
        if not self.is_open:
            return
        if problem:
            self.flow_failures += 1
            self.problems[problem] += 1
        else:
            self.flows.append(latency_ms)

    def traced(self, trace_id: str) -> None:
        """A request the server traced: its trace may be drawn as a waterfall."""
        if self.is_open:
            self.trace_ids.append(trace_id)

    def step_failed(self, name: str, problem: str) -> None:
        """A step that went wrong before any request could show it (a page without
        the form the next request needs): an error under ``name``."""
        if not self.is_open:
            return
        self.counts[name] += 1
        self.failures[name] += 1
        self.problems[problem] += 1

    def progress(self) -> dict:
        return {
            "elapsed": round(time.time() - self.opened, 2),
            "requests": sum(self.counts.values()),
            "errors": sum(self.failures.values()) + self.flow_failures,
        }

    def result(self) -> dict:
        window = max(self.closed - self.opened, 1e-9)
        requests = sum(self.counts.values())
        request_errors = sum(self.failures.values())
        if self.figure is None:
            units = [value for values in self.latencies.values() for value in values]
            unit_failures = request_errors
        else:
            units, unit_failures = self.flows, self.flow_failures
        if not requests and not self.flows:
            # Nothing came back at all: an error, never a quiet zero.
            self.problems[NOTHING] += 1
            self.flow_failures += 1
        return {
            "window_s": round(window, 3),
            "requests": requests,
            "errors": request_errors + self.flow_failures,
            "retries": sum(self.retries.values()),
            "status_5xx": sum(n for code, n in self.statuses.items() if code >= 500),
            "no_answer": self.statuses.get(0, 0),
            "statuses": {str(code): n for code, n in sorted(self.statuses.items())},
            "problems": dict(self.problems.most_common(TOP_ERRORS)),
            "figure": {
                "name": self.figure or "requests",
                "count": len(units),
                "failed": unit_failures,
                "throughput": round(len(units) / window, 2),
                "latency": latency_summary(units),
                "service_latency": latency_summary(self.service_times)
                if self.service_times
                else None,
            },
            "by_name": {
                name: {
                    "count": self.counts[name],
                    "errors": self.failures[name],
                    "retries": self.retries[name],
                    **latency_summary(self.latencies[name]),
                }
                for name in sorted(self.counts)
            },
            # Only from servers that trace; the runner takes them out of the round.
            **({"trace_ids": self.trace_ids} if self.trace_ids else {}),
        }
