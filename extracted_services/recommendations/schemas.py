"""What the API answers, as pydantic models: they validate and they document."""

from datetime import datetime

from pydantic import BaseModel, Field

from .model import CO_PURCHASE, POPULAR, Model

MAX_LIMIT = 20
DEFAULT_LIMIT = 4


class RecommendationModel(BaseModel):
    """Which model answered: its version, when it was trained, on how many orders."""

    version: str | None = Field(description="null before the first training")
    trained_at: datetime | None
    orders_seen: int = Field(description="paid orders the model learned from")

    @classmethod
    def of(cls, model: Model) -> "RecommendationModel":
        return cls(
            version=model.version,
            trained_at=model.trained_at,
            orders_seen=model.orders_seen,
        )


class RecommendedProduct(BaseModel):
    product_id: int
    score: float = Field(description="co-purchase: cosine similarity; popular: share")


class RecommendationList(BaseModel):
    product_id: int
    strategy: str = Field(
        json_schema_extra={"enum": [CO_PURCHASE, POPULAR]},
        description="co-purchase: bought together with the product in paid orders; "
        "popular (the fallback, for a product with no history): best sellers",
    )
    model: RecommendationModel
    results: list[RecommendedProduct]


class Problem(BaseModel):
    """RFC 9457 problem details; ``errors`` names each invalid parameter."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]
