"""The public API: "customers who bought this also bought", and a staff retrain."""

from http import HTTPStatus
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BeforeValidator

from . import store
from .dependencies import ModelsDep, SettingsDep, StaffDep
from .problems import CONTENT_TYPE as PROBLEM
from .schemas import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Problem,
    RecommendationList,
    RecommendationModel,
    RecommendedProduct,
)
from .train import train

router = APIRouter(prefix="/api/recommendations", tags=["recommendations"])


def blank_is_default(value: object) -> object:
    """``?limit=`` (an empty form field) means no limit given, as DRF reads it."""
    return DEFAULT_LIMIT if value == "" else value


def problem(description: str) -> dict[str, Any]:
    """An error answer for the schema: a Problem, as problem+json (see main.py)."""
    return {"model": Problem, "description": description, "content": {PROBLEM: {}}}


@router.get(
    "/",
    responses={HTTPStatus.BAD_REQUEST: problem("A missing or bad parameter.")},
)
def recommendation_list(
    models: ModelsDep,
    product_id: Annotated[int, Query(ge=1, description="the product on the page")],
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT), BeforeValidator(blank_is_default)
    ] = DEFAULT_LIMIT,
) -> RecommendationList:
    """Products bought together with ``product_id`` in paid orders, best first.

    A product with no co-purchase history gets the documented fallback, ``popular``:
    the best sellers among paid orders, never the product itself. Public.
    """
    model = models.current()  # one model for the whole answer, even mid-swap
    strategy, scored = model.recommend(product_id=product_id, limit=limit)
    return RecommendationList(
        product_id=product_id,
        strategy=strategy,
        model=RecommendationModel.of(model),
        results=[RecommendedProduct(product_id=p, score=s) for p, s in scored],
    )


@router.get("", include_in_schema=False)
def recommendation_list_without_slash(request: Request) -> RedirectResponse:
    """/api/recommendations?... -> /api/recommendations/?..., as Django's APPEND_SLASH.

    A path, not a URL: behind the gateway, Starlette's own redirect would name this
    process's address, which the client cannot reach (main.py turns it off).
    """
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{router.prefix}/{query}", HTTPStatus.MOVED_PERMANENTLY)


@router.post(
    "/train/",
    responses={
        HTTPStatus.UNAUTHORIZED: problem("No valid token."),
        HTTPStatus.FORBIDDEN: problem("Not a staff user."),
    },
)
def model_train(
    user: StaffDep, settings: SettingsDep, models: ModelsDep
) -> RecommendationModel:
    """Retrain now on every paid order seen so far (staff only); the new model
    answers from the next request on."""
    connection = store.connect(settings.database)
    try:
        model = train(settings=settings, connection=connection)
    finally:
        connection.close()
    models.refresh()
    return RecommendationModel.of(model)
