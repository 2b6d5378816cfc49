"""The echo lab's pages: the form that echoes, and the list of submissions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from .forms import EchoForm
from .selectors import submission_list
from .services import submission_create

SUBMISSIONS_PER_PAGE = 20
SUBMISSION_STORED = "Your message was stored. Here it is, echoed back."


@require_http_methods(["GET", "POST"])
def echo_form(request):
    """GET shows the empty form; a valid POST stores it and echoes it back."""
    submission = None
    if request.method == "POST":
        form = EchoForm(request.POST)
        if form.is_valid():
            submission = submission_create(**form.cleaned_data)
            messages.success(request, SUBMISSION_STORED)
            form = EchoForm()  # an empty form for the next message
    else:
        form = EchoForm()
    # The course re-renders after a POST; the worksheet weighs Post/Redirect/Get.
    return render(request, "echo.html", {"form": form, "submission": submission})


@require_GET
def submissions(request):
    """The stored submissions, newest first, 20 a page."""
    paginator = Paginator(submission_list(), SUBMISSIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "echoapp/submission_list.html", {"page_obj": page})
