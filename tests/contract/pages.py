"""Reading and submitting HTML pages the way a browser without JavaScript does."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

# Elements that never have an end tag, so they never enclose text.
VOID_ELEMENTS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}


class _TestIdText(HTMLParser):
    """Collects the text of the elements that carry a ``data-testid``."""

    def __init__(self):
        super().__init__()
        self.texts: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        testid = dict(attrs).get("data-testid")
        if tag not in VOID_ELEMENTS:
            self._open.append(testid)
        if testid:
            self.texts.setdefault(testid, "")

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS and self._open:
            self._open.pop()

    def handle_data(self, data):
        for testid in self._open:
            if testid:
                self.texts[testid] += data


def texts_by_testid(html: str) -> dict[str, str]:
    """``{data-testid: stripped text}`` for every element of the page that has one."""
    parser = _TestIdText()
    parser.feed(html)
    return {key: value.strip() for key, value in parser.texts.items()}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            method = attributes.get("method", "get").lower()
            self.forms.append(Form(attributes.get("action", ""), method))
        elif not self.forms:
            return
        elif tag == "input" and "name" in attributes:
            if attributes.get("type") in {"checkbox", "radio"} and (
                "checked" not in attributes
            ):
                return
            self.forms[-1].fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select:
            fields = self.forms[-1].fields
            if "selected" in attributes or self._select not in fields:
                fields[self._select] = attributes.get("value", "")
        elif tag == "textarea":
            self._textarea = attributes.get("name")
            self.forms[-1].fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data


def forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append({key: value or "" for key, value in attrs})


def links(html: str) -> list[dict[str, str]]:
    """The attributes of every ``<link>`` in the page."""
    parser = _Links()
    parser.feed(html)
    return parser.links


def submit(
    client: httpx.Client,
    page: httpx.Response,
    *,
    data: dict,
    having: str | None = None,
    action: str | None = None,
) -> httpx.Response:
    """Fill in the page's form (the one with field ``having``, or that posts to
    ``action``) and send it with its hidden fields, CSRF token included."""
    candidates = [
        f
        for f in forms(page.text)
        if (having is None or having in f.fields)
        and (action is None or f.action.endswith(action))
    ]
    assert candidates, f"no form with {having or action!r} on {page.url}"
    form = candidates[0]
    url = urljoin(str(page.url), form.action or str(page.url))
    if form.method == "get":
        return client.get(url, params={**form.fields, **data})
    return client.post(url, data={**form.fields, **data})


def sign_in(client: httpx.Client, username: str, password: str) -> None:
    """Sign in through the login page, so the client holds a session cookie."""
    page = client.get("/accounts/login/")
    response = submit(
        client,
        page,
        having="username",
        data={"username": username, "password": password},
    )
    assert response.status_code == HTTPStatus.FOUND, response.text


def assert_page(response: httpx.Response, request_id: str | None = None) -> dict:
    """A 200 HTML page whose footer says who served it and which request it was."""
    assert response.status_code == HTTPStatus.OK, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    texts = texts_by_testid(response.text)
    assert texts.get("served-by")
    assert texts.get("request-id") == response.headers["x-request-id"]
    if request_id is not None:
        assert texts["request-id"] == request_id
    return texts


def redirect_target(response: httpx.Response) -> tuple[str, dict[str, list[str]]]:
    """Where a 302 points: its path and its query parameters."""
    assert response.status_code == HTTPStatus.FOUND, response.text[:500]
    location = urlsplit(response.headers["location"])
    return location.path, parse_qs(location.query)
