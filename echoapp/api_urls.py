"""The echo lab's API, mounted at /api/echo/."""

from django.urls import path

from . import apis

app_name = "echo-api"
urlpatterns = [
    path(
        "submissions/",
        apis.SubmissionListCreateApi.as_view(),
        name="submission-list",
    ),
]
