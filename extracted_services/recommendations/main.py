"""The FastAPI application, served by uvicorn (see compose/Procfile).

``uvicorn --factory extracted_services.recommendations.main:create_app``: a factory,
so that tests build one app per test with their own settings, and so that nothing
reads the environment at import time. There is no browsable API here (that is DRF's):
the API answers JSON whatever the Accept header asks (docs/services.md, "Not Django").
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api, operations
from .config import Settings
from .observability import Metrics, configure_logging, request_context, trace
from .problems import CONTENT_TYPE as PROBLEM
from .problems import http_exception_handler, validation_exception_handler
from .serving import ModelHolder

SCHEMA_URL = "/api/schema/"
DESCRIPTION = (
    "Customers also bought: an item-to-item model trained on the order events "
    "this service consumes (paid orders only)."
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the newest model before the first request, not during it."""
    app.state.models.refresh()
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Recommendations",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_url=SCHEMA_URL,
        lifespan=lifespan,
        # The gateway's /api/docs/ shows the merged schema, with local assets;
        # FastAPI's own pages would load Swagger UI from a CDN.
        docs_url=None,
        redoc_url=None,
        # Operation ids are the endpoint functions' names: recommendation_list.
        generate_unique_id_function=lambda route: route.name,
        # Starlette would redirect /healthz/ to an absolute URL naming this process,
        # unreachable behind the gateway; api.py redirects its one path itself.
        redirect_slashes=False,
        exception_handlers={
            HTTPException: http_exception_handler,
            RequestValidationError: validation_exception_handler,
        },
    )
    app.state.settings = settings
    app.state.models = ModelHolder(
        settings.model_dir, check_every=settings.reload_interval
    )
    app.state.metrics = Metrics()
    app.middleware("http")(
        request_context(served_by=settings.served_by, metrics=app.state.metrics)
    )
    app.include_router(api.router)
    app.include_router(operations.router)
    app.add_middleware(HeadAsGet)
    if settings.tracing:
        trace(app, process=settings.service_name, directory=settings.traces_dir)
    # FastAPI's documented way to customise the schema is to replace this method.
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


class HeadAsGet:
    """HEAD is GET without the body (RFC 9110), as Django and Flask answer it;
    FastAPI's routes would refuse it with a 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with its 422 answers replaced by the contract's 400 problem."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].pop("422", None)
                for answer in operation["responses"].values():
                    _as_problem(answer.get("content", {}))
        components = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
    return app.openapi_schema


def _as_problem(content: dict[str, Any]) -> None:
    """An error's schema under its real media type, problem+json, and only there."""
    if PROBLEM in content:
        content[PROBLEM] = content.pop("application/json")
