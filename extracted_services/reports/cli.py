"""The service's commands, a Flask CLI group:
``flask --app extracted_services.reports.app reports consume`` (or ``rebuild``)."""

import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup
from redis import Redis

from .consumer import StreamConsumer, rebuild_from_stream

reports_cli = AppGroup("reports", help="The sales-report pipeline's commands.")
SOCKET_TIMEOUT = 10  # seconds; longer than a read's block, so reads never time out


def stream_redis() -> Redis:
    return Redis.from_url(
        current_app.config["REDIS_URL"],
        decode_responses=True,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
    )


def consumer(redis: Redis) -> StreamConsumer:
    config = current_app.config
    return StreamConsumer(
        redis=redis,
        stream=config["ORDER_EVENTS_STREAM"],
        group=config["CONSUMER_GROUP"],
        name=config["CONSUMER_NAME"],
        claim_idle=config["CLAIM_IDLE_SECONDS"],
        block=config["READ_BLOCK_SECONDS"],
    )


@reports_cli.command("consume")
def consume_command() -> None:
    """Extract, transform, load: apply order events as they arrive, until SIGTERM."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()  # the loop ends after the entry in hand, never half-way

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with stream_redis() as redis:
        consumer(redis).run(stop)


@reports_cli.command("rebuild")
def rebuild_command() -> None:
    """Drop the loaded sales and load the whole event stream again, from the start."""
    with stream_redis() as redis:
        stream = current_app.config["ORDER_EVENTS_STREAM"]
        applied = rebuild_from_stream(redis=redis, stream=stream)
    click.echo(f"Rebuilt the sales lines from {applied} events of {stream}.")
