"""What a stack spends to serve a measurement: CPU seconds and peak resident memory.

Read with psutil from every process of the stack (web workers, Celery workers, outbox
relays, its Redis): CPU time at the start and the end of the measured window, and the
sum of memory every ``INTERVAL`` seconds in between, of which the peak counts.

Memory is summed two ways. Resident memory (RSS) counts every page a process maps,
so a page that gunicorn's or Celery's forked workers share with their parent (the
code loaded before the fork, ``preload_app``) counts once per process: the more
processes, the more it overstates. The proportional set size (PSS, Linux) splits each
shared page among the processes sharing it, so the sum over a stack is what the stack
really takes from the machine. The targets read PSS; where the system cannot say
(not Linux), it is RSS.
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


def _memory(processes: dict[int, psutil.Process]) -> tuple[int, int]:
    """Summed RSS and summed PSS, in bytes (PSS is RSS where the system has none)."""
    rss = pss = 0
    for process in processes.values():
        try:
            try:
                full = process.memory_full_info()
                rss, pss = rss + full.rss, pss + getattr(full, "pss", full.rss)
            except psutil.AccessDenied:  # no smaps to read: RSS is what there is
                resident = process.memory_info().rss
                rss, pss = rss + resident, pss + resident
        except psutil.Error:  # gone meanwhile
            continue
    return rss, pss


class CostMeter:
    """``start()`` at the window's opening, ``stop()`` at its close."""

    def __init__(self, pids: Callable[[], list[int]]):
        self.pids = pids
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._before: dict = {}
        self.peak = (0, 0)  # the largest (RSS, PSS) sums seen

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
        self._note(_memory(processes))
        rss, pss = self.peak
        return {
            "cpu_seconds": round(spent, 3),
            "peak_rss_mb": round(rss / 2**20, 1),
            "peak_pss_mb": round(pss / 2**20, 1),
            "processes": len(processes),
        }

    def _note(self, memory: tuple[int, int]) -> None:
        self.peak = (max(self.peak[0], memory[0]), max(self.peak[1], memory[1]))

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._note(_memory(_processes(self.pids())))
            self._stop.wait(INTERVAL)
