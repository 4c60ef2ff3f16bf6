import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import formats, translation

from jimcase.tests.factories import UserFactory
from jimcase.tests.html import without_tokens

# Pages an anonymous visitor may open; everything else must send them to the login page.
PUBLIC_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "set_language",
    "admin:login",
    "triads:sign_link",
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}{p.name}" if p.name else None)


def _example_path(route):
    """Turn a route or regex from the URL conf into a concrete path with made-up arguments."""
    path = re.sub(r"<(?:int:)?\w+>", "1", route) if "<" in route else route
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)
    return "/" + path


def test_every_non_public_url_sends_anonymous_visitor_to_login(client, db):
    login_url = reverse("login")
    checked = 0
    for route, name in _walk(get_resolver().url_patterns):
        if name in PUBLIC_NAMES:
            continue
        path = _example_path(route)
        response = client.get(path)
        assert response.status_code == 302, f"{path} ({name}) answered {response.status_code}"
        location = response.headers["Location"]
        assert location.startswith(login_url) or location.startswith(reverse("admin:login")), (
            f"{path} ({name}) redirects to {location}"
        )
        checked += 1
    assert checked > 20  # the walk really found the URL conf (the admin alone has many)


def test_login_page_is_dutch_by_default(client, db):
    response = client.get(reverse("login"), headers={"accept-language": "en"})
    html = response.content.decode()
    assert 'lang="nl-be"' in html
    assert "Aanmelden bij JIM" in html
    assert "Wachtwoord vergeten?" in html


def test_switching_to_english_shows_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = without_tokens(client.get(reverse("login")))
    assert 'lang="en"' in html
    assert "Log in to JIM" in html
    assert "Aanmelden bij JIM" not in html


def test_dates_are_shown_day_month_year(db):
    with translation.override("nl-be"):
        assert formats.date_format(datetime.date(2026, 11, 28)) == "28-11-2026"
        assert formats.date_format(datetime.date(2026, 11, 28), "SHORT_DATE_FORMAT") == "28-11-2026"


@pytest.mark.parametrize(
    ("member", "target"),
    [
        ("lead", "jimcase:caseload"),
        ("jim", "triads:mine"),
        ("coordinator", "admin:index"),
    ],
)
def test_home_sends_each_role_to_its_own_page(cast, login, member, target):
    client = login(cast[member])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(target)
    # And the target page really opens for that role.
    assert client.get(reverse(target)).status_code == 200


def test_user_without_role_sees_a_friendly_page(login, db):
    client = login(UserFactory(username="norole"))
    response = client.get(reverse("home"))
    assert "heeft nog geen rol" in response.content.decode()


def test_professional_caseload_has_an_empty_state(login, lead):
    response = login(lead).get(reverse("jimcase:caseload"))
    assert "Nog geen jongeren in je caseload." in response.content.decode()


def test_jim_page_is_not_for_professionals(login, lead):
    assert login(lead).get(reverse("triads:mine")).status_code == 404


def test_caseload_is_not_for_jims(login, jim):
    assert login(jim).get(reverse("jimcase:caseload")).status_code == 404


def test_healthz_answers_ok_after_a_database_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_csp_header_allows_only_this_server(client, db):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in csp


EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I
)


def test_no_template_loads_an_asset_from_another_host():
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if EXTERNAL.search(template.read_text()) or "@import url(http" in template.read_text():
            offenders.append(str(template))
    assert offenders == []


def test_rendered_pages_load_assets_from_this_server_only(cast, login, client):
    pages = [reverse("login"), reverse("password_reset")]
    for url in pages:
        html = without_tokens(client.get(url))
        assert not EXTERNAL.search(html), url
        assert "/static/bootstrap/css/bootstrap.min.css" in html
    html = without_tokens(login(cast["lead"]).get(reverse("jimcase:caseload")))
    assert not EXTERNAL.search(html)
    assert "/static/bootstrap/js/bootstrap.bundle.min.js" in html
    assert "<script>" not in html  # no inline script: the CSP would block it


def test_static_bootstrap_is_served_by_this_server(client, db):
    response = client.get("/static/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200


def test_unknown_page_is_a_dutch_404(login, lead):
    response = login(lead).get("/youths/does-not-exist/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
