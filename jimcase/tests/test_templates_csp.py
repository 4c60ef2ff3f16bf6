"""The app's Content-Security-Policy allows no inline style or script: no template may rely on one.

A `style="…"` attribute is silently ignored by the browser under that policy (line breaks vanished on the
triad page this way); the browser tests also fail on any CSP violation a page reports.
"""

import pathlib
import re

import pytest
from django.conf import settings

TEMPLATES = sorted((pathlib.Path(settings.BASE_DIR) / "templates").rglob("*.html"))
INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "an inline style attribute"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
]


def test_the_templates_are_found():
    assert any(path.name == "followup_section.html" for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(settings.BASE_DIR).as_posix())
def test_no_template_uses_what_the_csp_blocks(path):
    text = path.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{path.name} has {', '.join(found)}"
