"""The report's Processes table: each process sized as its own command line says.

The stacks' processes are not sized alike: a service's web process runs 1 worker of
8 threads, the gateway's accounts door 2 x 4, the monolith 2 x 4 (``--workers``
and ``--threads`` size the monolith only), and the FastAPI and Flask services
have processes of their own kinds.
"""

import pytest

from bench.report.formatting import TIMES
from bench.report.method import process_size
from bench.stacks import process_row

PYTHON = "/repo/.venv/bin/python"


@pytest.mark.parametrize(
    ("argv", "row", "size"),
    [
        (
            ["/repo/.venv/bin/gunicorn", "extracted_services.orders.wsgi",
             "--workers", "1", "--threads", "8"],
            {"role": "web (WSGI)", "workers": 1, "threads": 8},
            f"1 worker {TIMES} 8 threads",
        ),
        (
            ["/repo/.venv/bin/gunicorn", "monolith.wsgi", "--workers", "2",
             "--threads", "4"],
            {"role": "web (WSGI)", "workers": 2, "threads": 4},
            f"2 workers {TIMES} 4 threads",
        ),
        (
            ["/repo/.venv/bin/uvicorn", "--factory",
             "extracted_services.recommendations.main:create_app"],
            {"role": "web (ASGI)", "workers": 1},
            "1 worker",
        ),
        (
            ["/repo/.venv/bin/celery", "--app", "extracted_services.orders.celery",
             "worker", "--concurrency", "2"],
            {"role": "worker", "concurrency": 2},
            "concurrency 2",
        ),
        (
            [PYTHON, "extracted_services/orders/manage.py", "relay_outbox"],
            {"role": "relay"},
            "",
        ),
        (
            [PYTHON, "-m", "extracted_services.recommendations.consumer"],
            {"role": "event consumer"},
            "",
        ),
        (
            [PYTHON, "-m", "flask", "--app", "extracted_services.reports.app",
             "reports", "consume"],
            {"role": "event consumer"},
            "",
        ),
        (["/usr/bin/redis-server", "--port", "6380"], {"role": "redis"}, ""),
    ],
)  # fmt: skip
def test_a_process_is_described_by_its_own_command_line(argv, row, size):
    assert process_row(argv) == row
    assert process_size(row) == size
