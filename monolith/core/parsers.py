"""DRF's parsers, with one change: JSON nested too deeply is bad JSON (a 400).

Its own module, as DRF's views import the parsers while they load.
Copied on purpose to the services' chassis (chassis/parsers.py);
tests/test_copies.py keeps the two identical.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

NESTED_TOO_DEEPLY = "JSON parse error - the body is nested too deeply."


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, for which a body nested too deeply is bad JSON too (400).

    ``json.loads("[" * 3000)`` raises RecursionError, not ValueError: DRF would let it
    through as a 500.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(NESTED_TOO_DEEPLY) from exc
