"""Two people edit the same thing: helpers for the stale-edit tests of every app (issue 11)."""

from html.parser import HTMLParser

from django.test import Client

from .second_factor import pass_second_factor_if_required

#: The Dutch refusal of a save made on a form someone else saved since (templates/jimcase/stale_edit.html).
REFUSED = "nadat jij het formulier opende. Jouw wijzigingen zijn nog niet opgeslagen."


class _FormFields(HTMLParser):
    """The fields of each POST form on a page, as a browser would send them unchanged."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea, self._select, self._options = [], None, None, None, []
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") == "checkbox" and "checked" in attrs and attrs["name"] in self._form:
                # Several boxes of one name (a many-to-many field): the browser sends each ticked one.
                before = self._form[attrs["name"]]
                before = before if isinstance(before, list) else [before]
                self._form[attrs["name"]] = [*before, attrs.get("value") or "on"]
            elif attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._form[attrs["name"]] = attrs.get("value") or ("on" if "checked" in attrs else "")
        elif tag == "textarea":
            self._textarea, self._form[attrs["name"]] = attrs["name"], ""
        elif tag == "select":
            self._select, self._options, self._multiple = attrs["name"], [], "multiple" in attrs

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if self._multiple:
                self._form[self._select] = chosen  # a multiple choice: each selected one
            else:
                self._form[self._select] = (chosen or [self._options[0][0] if self._options else ""])[0]
            self._select = None


def form_data(response):
    """What the browser sends back, unchanged, from the page's edit form (its largest POST form)."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    form = max(parser.forms, key=len)
    # Browsers send a textarea's text without the one newline that may follow its opening tag.
    return {
        name: value.removeprefix("\n") if isinstance(value, str) else value
        for name, value in form.items()
        if value != []
    }


def editor(user):
    """A browser of its own, logged in as `user` (with their second factor, where their role needs one)."""
    client = Client()
    client.force_login(user)
    return pass_second_factor_if_required(client, user)


def admin_opened(client, url):
    """The fingerprint the admin's change page at `url` carries now, as the page would send it back.

    Nothing for someone the page refuses (a 404 or the login): their post is refused before any save.
    """
    response = client.get(url)
    if response.status_code != 200:
        return {}
    return {"_stored_state": form_data(response)["_stored_state"]}


def opened(client, url):
    """The fingerprint the edit form at `url` carries now (jimcase.stale), as the browser would send it back."""
    return {"stored_state": form_data(client.get(url))["stored_state"]}


def both_open_then_first_saves(url, first, second, first_changes):
    """`first` and `second` open the edit page at `url`; `first` saves `first_changes`.

    Returns the second person's browser and the form as they loaded it (now stale).
    """
    first_browser, second_browser = editor(first), editor(second)
    first_form, second_form = form_data(first_browser.get(url)), form_data(second_browser.get(url))
    response = first_browser.post(url, first_form | first_changes)
    assert response.status_code == 302, response.content.decode()
    return second_browser, second_form
