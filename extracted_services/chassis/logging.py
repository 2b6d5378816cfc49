"""A logging filter that stamps every record with the current request id.

Copied on purpose from monolith/core/logging.py; tests/test_copies.py keeps the two
identical.
"""

import logging

from .request_id import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True
