"""The recommendations API, mounted under /api/recommendations/."""

from django.urls import path

from . import apis

app_name = "recommendations-api"
urlpatterns = [
    path("", apis.RecommendationListApi.as_view(), name="recommendation-list"),
]
