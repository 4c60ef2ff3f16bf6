"""Browser tests: Playwright drives Debian's Chromium against a live server with the demo data.

Skipped, with a message, where /usr/bin/chromium (or the playwright package) is missing; `make e2e` runs
only these, `.ci/run` installs Chromium so CI always runs them.
"""

import os
import shutil
from base64 import b32decode
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from accounts.demo import DEMO_AUTHENTICATOR_KEY
from jimcase.tests.mail import sent

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests are still
# synchronous and safe, so tell Django not to refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("JIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get("JIM_SCREENSHOTS", Path(__file__).resolve().parent.parent / "var" / "e2e-screenshots")
)
DEMO_PASSWORD = "jim-demo-2026"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(
            f"Browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium, or set JIM_CHROMIUM)."
        )
    try:
        # Imported here, not at the top: without playwright the browser tests skip, the rest still runs.
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Browser tests skipped: the playwright package is not installed (make test installs it).")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nScreenshots of the main pages go to {SCREENSHOTS}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db_with_roles, settings):
    """The demo data, as `make run` loads it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    sent().clear()


def demo_authenticator_code():
    """The six digits an authenticator app holding the demo coordinators' key shows now."""
    return f"{totp(b32decode(DEMO_AUTHENTICATOR_KEY)):06d}"


class Visitor:
    """A person at a browser: logs in through the form, checks every page with axe, takes screenshots."""

    def __init__(self, browser, live_server, viewport, name):
        # A phone-sized visitor gets a touch screen, like the JIM's phone.
        self.context_has_touch = viewport["width"] < 600
        self.context = browser.new_context(
            viewport=viewport, locale="nl-BE", has_touch=self.context_has_touch
        )
        self.page = self.context.new_page()
        self.base = live_server.url
        self.name = name
        self.violations = []
        self.external_requests = []
        # Chromium reports a CSP violation (an inline style it refused, say) as a console error.
        self.console_errors = []
        self.page.on("request", self._watch_request)
        self.page.on("console", self._watch_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"{self.page.url}: {error}"))

    def _watch_request(self, request):
        if not request.url.startswith(self.base) and not request.url.startswith(("data:", "about:", "tel:")):
            self.external_requests.append(request.url)

    def _watch_console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: {message.text}")

    def goto(self, path):
        before = len(self.console_errors)
        response = self.page.goto(self.base + path)
        if response is not None and response.status >= 400:
            # A page the test expects to be refused: the browser's own "failed to load" line is not an error.
            self.console_errors[before:] = [
                error for error in self.console_errors[before:] if "Failed to load resource" not in error
            ]
        self.check()
        return response

    def login(self, username, password=DEMO_PASSWORD):
        self.page.goto(self.base + "/accounts/login/")
        self.log_in_here(username, password)

    def log_in_here(self, username, password=DEMO_PASSWORD):
        """Fill in the login page the browser is on, and send it."""
        assert "/accounts/login/" in self.page.url, self.page.url
        self.check("login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.follow(self.page.locator("main button[type=submit]"))

    def pass_second_factor(self, code=None):
        """Type the code the demo coordinators' authenticator app shows now (or `code`) on the verify page."""
        assert "/accounts/second-factor/verify/" in self.page.url, self.page.url
        self.check("second-factor")
        self.page.fill("#id_code", code or demo_authenticator_code())
        self.follow(self.page.locator("main form[method=post] button[type=submit]").first)

    def submit(self, button_text=None):
        """Press the main form's submit button (or the one with this text) and wait for the next page."""
        form_button = (
            self.page.locator("main").get_by_role("button", name=button_text).first
            if button_text
            else self.page.locator("main form[method=post] button[type=submit]").last
        )
        with self.page.expect_navigation():
            form_button.click()
        self.check()

    def follow(self, locator, shot=None):
        """Click a link or button that loads another page, wait for it, check it."""
        with self.page.expect_navigation():
            locator.click()
        self.check(shot)

    def check(self, shot=None):
        """Run axe on the current page (serious and critical violations are failures); maybe screenshot it."""
        # Imported here, not at the top: a browser-only package, so the suite still collects without it.
        from axe_playwright_python.sync_playwright import Axe

        self.page.evaluate("0")  # a round trip: the page's own console messages have all arrived
        before = len(self.console_errors)
        results = Axe().run(self.page)
        # What axe itself causes is not the page's fault: it sets inline styles while it measures, and
        # re-fetches stylesheets' @imports against the page's address (the admin's widgets.css).
        self.console_errors[before:] = []
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [
                    (node["target"], (node.get("any") or [{}])[0].get("message", ""))
                    for node in violation["nodes"]
                ][:3]
                self.violations.append(
                    f"{self.page.url}: {violation['id']} ({violation['impact']}) {targets}"
                )
        if shot:
            self.page.screenshot(path=str(SCREENSHOTS / f"{self.name}-{shot}.png"), full_page=True)

    def text(self):
        return self.page.locator("main").inner_text()

    def close(self):
        self.context.close()
        assert self.violations == [], "accessibility violations:\n" + "\n".join(self.violations)
        assert self.external_requests == [], f"requests left the server: {self.external_requests}"
        assert self.console_errors == [], "console errors or CSP violations:\n" + "\n".join(
            self.console_errors
        )


@pytest.fixture
def visit(browser, live_server):
    visitors = []

    def _open(name, viewport=LAPTOP):
        visitor = Visitor(browser, live_server, viewport, name)
        visitors.append(visitor)
        return visitor

    yield _open
    for visitor in visitors:
        visitor.close()
