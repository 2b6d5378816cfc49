"""The arithmetic behind every figure: percentiles, medians, what a window saw."""

import time

import pytest

from bench.recorder import NOTHING, Recorder
from bench.runner import stock_check
from bench.stats import latency_summary, over_rounds, percentile


class Answer:
    def __init__(self, status_code: int):
        self.status_code = status_code


def test_a_percentile_interpolates_between_the_nearest_values():
    """p50 of 1, 2, 3, 4 is 2.5, as NumPy and spreadsheets say."""
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([1, 2, 3, 4], 100) == 4


def test_no_latencies_give_no_figures_not_zeros():
    """Nothing measured is None, never a zero that looks fast."""
    assert latency_summary([])["p50"] is None


def test_a_round_that_measured_nothing_is_left_out_of_the_median():
    """The median of 10, None, 30 is 20; the None stays visible in the values."""
    figure = over_rounds([10, None, 30])

    assert figure["median"] == 20
    assert (figure["min"], figure["max"]) == (10, 30)
    assert figure["values"] == [10, None, 30]


def test_the_recorder_counts_only_what_finishes_inside_the_window():
    """Requests before the window opens or after it closes are not counted."""
    recorder = Recorder()
    recorder.on_request("/", 5.0, Answer(200))
    recorder.open()
    recorder.on_request("/", 7.0, Answer(200))
    recorder.on_request("/", 9.0, Answer(503), exception=Exception("HTTP 503"))
    recorder.close()
    recorder.on_request("/", 11.0, Answer(200))

    result = recorder.result()

    assert result["requests"] == 2
    assert result["errors"] == 1
    assert result["status_5xx"] == 1
    assert result["figure"]["latency"]["p50"] == 7.0
    assert result["problems"] == {"HTTP 503": 1}


def test_a_fixed_rate_latency_runs_from_when_the_request_was_due():
    """A request due 1 s ago that took 5 ms to serve waited about 1,000 ms."""
    recorder = Recorder()
    recorder.open()
    recorder.on_request("/", 5.0, Answer(200), context={"due": time.time() - 1.0})
    recorder.close()

    figure = recorder.result()["figure"]

    assert figure["latency"]["p50"] == pytest.approx(1000, abs=50)
    assert figure["service_latency"]["p50"] == 5.0


def test_a_flow_scenario_counts_flows_not_requests():
    """Time to paid: the figure is the flows; a failed flow is an error."""
    recorder = Recorder(figure="time to paid")
    recorder.open()
    recorder.on_request("/api/orders/ (POST)", 20.0, Answer(201))
    recorder.flow("time to paid", 150.0)
    recorder.flow("time to paid", 0.0, problem="order failed")
    recorder.close()

    result = recorder.result()

    assert result["figure"]["count"] == 1
    assert result["figure"]["failed"] == 1
    assert result["figure"]["latency"]["p50"] == 150.0
    assert result["errors"] == 1


def test_a_window_in_which_nothing_finished_is_an_error():
    """A stalled or dead stack shows as an error, never as a silent zero."""
    recorder = Recorder()
    recorder.open()
    recorder.close()

    result = recorder.result()

    assert result["errors"] == 1
    assert NOTHING in result["problems"]


def test_selling_more_than_there_was_is_oversold():
    """3 in stock, 4 accepted: one item oversold."""
    check = stock_check({1: 3, 2: 10}, {1: -1, 2: 10}, {"1": 4})

    assert check["oversold"] == 1 + 1  # one too many accepted, one stock below zero
    assert check["drift"] == 0


def test_stock_that_moved_without_an_order_is_drift():
    """A reservation that was never released, or an order never counted, is drift."""
    check = stock_check({1: 10}, {1: 7}, {"1": 2})

    assert check == {"checked": 1, "oversold": 0, "drift": 1}
