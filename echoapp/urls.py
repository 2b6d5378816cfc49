"""The echo lab's pages, mounted at /echo/."""

from django.urls import path

from . import views

app_name = "echo"
urlpatterns = [
    path("", views.echo_form, name="echo_form"),
    path("submissions/", views.submissions, name="submissions"),
]
