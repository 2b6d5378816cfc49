"""The lab's pages: /echo/ echoes a valid form back, /echo/submissions/ lists them."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from echoapp.models import EchoSubmission
from echoapp.views import SUBMISSION_STORED, SUBMISSIONS_PER_PAGE

# "__all__": with MONGODB_URI set, the submissions live in the "mongodb" database.
pytestmark = pytest.mark.django_db(databases="__all__")

ECHO_URL = reverse("echo:echo_form")
SUBMISSIONS_URL = reverse("echo:submissions")
XSS = "<script>alert(1)</script>"


def test_the_form_is_at_echo():
    """The course's URL name "echo_form" is /echo/; the list is /echo/submissions/."""
    assert ECHO_URL == "/echo/"
    assert SUBMISSIONS_URL == "/echo/submissions/"


def test_get_shows_the_empty_form_with_a_csrf_token(client):
    """GET /echo/ renders echo.html: an empty form, a CSRF token, no echo yet."""
    response = client.get(ECHO_URL)

    assert response.status_code == HTTPStatus.OK
    assert "echo.html" in [t.name for t in response.templates]
    assert not response.context["form"].is_bound
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'data-testid="echo-result"' not in html


def test_a_valid_post_stores_the_submission_and_echoes_it(client):
    """A valid POST stores one submission and shows it back with a success message."""
    response = client.post(ECHO_URL, {"name": "Ada", "message": "Hello, lab"})

    assert response.status_code == HTTPStatus.OK
    stored = EchoSubmission.objects.get()
    assert (stored.name, stored.message) == ("Ada", "Hello, lab")
    assert response.context["submission"] == stored
    html = response.content.decode()
    assert 'data-testid="echo-result"' in html
    assert "Hello, lab" in html
    assert SUBMISSION_STORED in html


def test_the_echo_is_html_escaped(client):
    """A <script> typed into the form comes back as text, never as a tag."""
    response = client.post(ECHO_URL, {"name": XSS, "message": XSS})

    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS not in html
    assert EchoSubmission.objects.get().name == XSS  # stored as typed


def test_invalid_input_re_renders_with_errors_and_stores_nothing(client):
    """An empty name and a too-long message are errors beside the fields."""
    response = client.post(ECHO_URL, {"name": "", "message": "x" * 2001})

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert set(form.errors) == {"name", "message"}
    html = response.content.decode()
    assert html.count('class="errorlist') == 2
    assert 'data-testid="echo-result"' not in html
    assert not EchoSubmission.objects.exists()


def test_a_post_without_the_csrf_token_is_refused():
    """Django's CSRF protection turns away a form posted without its token."""
    response = Client(enforce_csrf_checks=True).post(
        ECHO_URL, {"name": "Ada", "message": "Hello"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not EchoSubmission.objects.exists()


def test_the_submissions_page_says_when_there_are_none(client):
    """With nothing stored, /echo/submissions/ shows an empty state and a link."""
    response = client.get(SUBMISSIONS_URL)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "No submissions yet." in html
    assert f'href="{ECHO_URL}"' in html


def test_the_submissions_page_lists_the_newest_first(client, make_submission):
    """Submissions are ordered by time sent, newest first, whatever their ids."""
    make_submission(name="Middle", minutes_ago=5)
    make_submission(name="Oldest", minutes_ago=10)
    make_submission(name="Newest", minutes_ago=1)

    response = client.get(SUBMISSIONS_URL)

    names = [s.name for s in response.context["page_obj"]]
    assert names == ["Newest", "Middle", "Oldest"]
    html = response.content.decode()
    assert html.index("Newest") < html.index("Middle") < html.index("Oldest")


def test_the_submissions_page_shows_20_a_page(client, make_submission):
    """Page 1 holds the 20 newest; page 2 the rest; both link to each other."""
    for minutes_ago in range(SUBMISSIONS_PER_PAGE + 1):
        make_submission(name=f"Sent {minutes_ago} min ago", minutes_ago=minutes_ago)

    first = client.get(SUBMISSIONS_URL)
    second = client.get(SUBMISSIONS_URL, {"page": 2})

    assert SUBMISSIONS_PER_PAGE == 20
    assert len(first.context["page_obj"]) == SUBMISSIONS_PER_PAGE
    assert 'rel="next"' in first.content.decode()
    assert [s.name for s in second.context["page_obj"]] == ["Sent 20 min ago"]
    assert 'rel="prev"' in second.content.decode()


def test_the_submissions_page_escapes_what_it_lists(client, make_submission):
    """Stored input is escaped on the list page too."""
    make_submission(name=XSS, message=XSS)

    html = client.get(SUBMISSIONS_URL).content.decode()

    assert "&lt;script&gt;" in html
    assert XSS not in html


def test_the_admin_lists_submissions(admin_client, make_submission):
    """Staff see the submissions in the Django admin."""
    make_submission(name="Ada")

    response = admin_client.get(reverse("admin:echoapp_echosubmission_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert "Ada" in response.content.decode()
