"""Whatever is sent to a form, the answer is never a server error (status 500).

Every URL of the app that takes a POST is sent, by a cast member who may use it:
  - a body that is not UTF-8,
  - its form with one field at a time replaced by a hostile value (100 000 characters, a huge number,
    the year 1, a NUL character), the other fields as the page filled them in.
The forms are read from the pages themselves (every form the cast is shown, by its `action`), so a new
form is covered without a change here. The admin's change forms are sent the same, as the coordinator.
Each request runs in a savepoint that is rolled back, so the requests do not disturb each other.
"""

from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

from django.db import transaction
from django.utils import timezone

from triads.tests.permission_matrix import MATRIX, expected
from triads.tests.test_permission_matrix import admin_urls, client_for, url_for, world  # noqa: F401 (a fixture)

HOSTILE_VALUES = {
    "an over-long text": "x" * 100_000,
    "a huge number": "9" * 30,
    "the year 1": "0001-01-01",
    "a NUL character": "a\x00b",
}
NOT_UTF8_BODIES = {
    "raw bytes that are not UTF-8": b"\xff\xfe=1",
    "percent-encoded bytes that are not UTF-8": b"a=%FF%FE",
}
#: Sent by the browser, checked by middleware: replacing them only tests the CSRF check.
KEEP_AS_IS = {"csrfmiddlewaretoken"}


class FormReader(HTMLParser):
    """Collect each POST form of a page: its action and the values a browser would send by default."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.forms = []  # (action path, {name: value})
        self._fields = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url)).path
                self._fields = {}
                self.forms.append((action, self._fields))
            return
        if tag == "option" and self._select and a.get("value"):
            if "selected" in a or self._select not in self._fields:
                self._fields[self._select] = a["value"]
            return
        if self._fields is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio"):
                # Tick every box (a form often needs its "I agree"); keep the first radio choice.
                self._fields.setdefault(name, a.get("value") or "on")
            elif kind == "date":
                self._fields[name] = a.get("value") or timezone.localdate().isoformat()
            elif kind == "number":
                self._fields[name] = a.get("value") or "30"
            elif kind == "email":
                self._fields[name] = a.get("value") or "iemand@example.org"
            else:
                self._fields[name] = a.get("value") or "Test"
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._fields is not None and not self._fields[self._textarea].strip():
                self._fields[self._textarea] = "Test"
            self._textarea = None


def forms_on(client, url):
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
        return []
    reader = FormReader(url)
    reader.feed(response.content.decode())
    return reader.forms


def first_member_who_may(name, method):
    """The first cast member whose cell in the permission matrix says `ok` (None if nobody may)."""
    row = MATRIX[name][0 if method == "GET" else 1]
    return next((member for member, code in expected(row).items() if code == "ok"), None)


def encoded(fields):
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in fields.items()).encode()


def server_errors(client, url, fields):
    """POST hostile variants of `fields` to `url`; return a line for each answer of 500 or more."""
    attempts = list(NOT_UTF8_BODIES.items())
    if fields:
        attempts.append(("every value followed by bytes that are not UTF-8", encoded(fields) + b"%FF\xfe"))
    for name in fields:
        if name in KEEP_AS_IS:
            continue
        for label, value in HOSTILE_VALUES.items():
            attempts.append((f"{name} = {label}", encoded({**fields, name: value})))
    errors = []
    for label, body in attempts:
        with transaction.atomic():
            response = client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
            transaction.set_rollback(True)
        if response.status_code >= 500:
            errors.append(f"POST {url} with {label}: {response.status_code}")
    return errors


def forms_by_action(world):  # noqa: F811 (the imported fixture)
    """{action path: {name: default value}} of every POST form the cast is shown on the app's pages."""
    found = {}
    for name in sorted(MATRIX):
        member = first_member_who_may(name, "GET")
        if member is None:
            continue
        client = client_for(member, world)
        for action, fields in forms_on(client, url_for(name, world)):
            found.setdefault(action, {}).update(fields)
    return found


def test_no_form_url_answers_a_server_error(world):  # noqa: F811 (the imported fixture)
    forms = forms_by_action(world)
    # A guard for the walk itself: it really found the forms, with their fields.
    assert len(forms) > 25
    assert "trial_days" in forms[url_for("triads:agreement_edit", world)]
    assert "held_on" in forms[url_for("triads:evaluation_add", world)]
    errors, posted = [], 0
    for name in sorted(MATRIX):
        member = first_member_who_may(name, "POST")
        if member is None:
            continue
        url = url_for(name, world)
        errors += server_errors(client_for(member, world), url, forms.get(url, {}))
        posted += 1
    assert posted > 40
    assert errors == [], "\n".join(errors)


def test_no_admin_change_form_answers_a_server_error(world):  # noqa: F811 (the imported fixture)
    client = client_for("coord", world)
    errors = []
    for url, _rows in admin_urls(world):
        if not url.endswith("/change/"):
            continue
        for action, fields in forms_on(client, url):
            if action == url:
                errors += server_errors(client, url, fields)
    assert errors == [], "\n".join(errors)
