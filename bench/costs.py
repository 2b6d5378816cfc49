"""What a stack spends to serve a measurement: CPU seconds and peak resident memory.

Read with psutil from every process of the stack (web workers, Celery workers, outbox
relays, its Redis): CPU time at the start and the end of the measured window, and the
sum of resident memory every ``INTERVAL`` seconds in between, of which the peak counts.
Forked workers share some pages with their parent, so summed RSS overstates a little,
the same way for both stacks.
"""

import threading
from collections.abc import Callable

import psutil

INTERVAL = 0.2


def _processes(pids: list[int]) -> dict[int, psutil.Process]:
    found = {}
    for pid in pids:
        try:
            process = psutil.Process(pid)
            found[pid] = process
            found.update(
                {child.pid: child for child in process.children(recursive=True)}
            )
        except psutil.Error:  # gone already: a stopped or crashed process
            continue
    return found


def _cpu(processes: dict[int, psutil.Process]) -> dict[tuple[int, float], float]:
    """CPU seconds by (pid, start time), so a reused pid is not taken for the old."""
    seconds = {}
    for pid, process in processes.items():
        try:
            times = process.cpu_times()
            seconds[(pid, process.create_time())] = times.user + times.system
        except psutil.Error:
            continue
    return seconds


def _rss(processes: dict[int, psutil.Process]) -> int:
    total = 0
    for process in processes.values():
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


class CostMeter:
    """``start()`` at the window's opening, ``stop()`` at its close."""

    def __init__(self, pids: Callable[[], list[int]]):
        self.pids = pids
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._before: dict = {}
        self.peak = 0

    def start(self) -> None:
        self._before = _cpu(_processes(self.pids()))
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> dict:
        self._stop.set()
        if self._thread:
            self._thread.join()
        processes = _processes(self.pids())
        after = _cpu(processes)
        # A process that started during the window counts from zero.
        spent = sum(
            seconds - self._before.get(key, 0.0) for key, seconds in after.items()
        )
        return {
            "cpu_seconds": round(spent, 3),
            "peak_rss_mb": round(max(self.peak, _rss(processes)) / 2**20, 1),
            "processes": len(processes),
        }

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss(_processes(self.pids())))
            self._stop.wait(INTERVAL)
