"""The page helpers the tests look through (jimcase/tests/html.py)."""

import pytest
from django.urls import reverse

from jimcase.tests.html import element_text, select, visible_text, without_tokens

PAGE = """<html><head><title>Dossier</title><style>.x{color:red}</style></head><body>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="Lotte765abc">
<input type="hidden" name="form-submission_token" value="1f3a-765">
<input value="fp765" type="hidden" name="stored_state">
<input type="hidden" name="next" value="/geheim/">
<input type="text" name="naam" value="Zichtbaar">
<img src="data:image/png;base64,TG90dGU=" alt="code"></form>
<script>var lotte = "Geheim";</script>
<section id="notes" class="card wide"><h2>Notities</h2><p title="Titel-lek">Eerste &amp; tweede</p>
<ul><li data-kind="a">Een<li data-kind="b">Twee</ul></section>
<p class="card">Buiten</p></body></html>"""


def test_page_blanks_the_random_values_and_keeps_everything_else():
    html = without_tokens(PAGE)
    assert "Lotte765abc" not in html and "1f3a-765" not in html and "fp765" not in html
    assert 'value="/geheim/"' in html and 'title="Titel-lek"' in html and "Geheim" in html


def test_visible_text_is_what_a_reader_sees():
    text = visible_text(PAGE)
    assert text.startswith("Dossier Zichtbaar Notities Eerste & tweede Een Twee Buiten")
    for hidden in ("color", "Geheim", "/geheim/", "Titel-lek", "Lotte765abc", "csrfmiddlewaretoken", "<"):
        assert hidden not in text


def test_select_finds_elements_by_tag_id_class_and_attribute():
    assert element_text(PAGE, "#notes h2") == "Notities"
    assert [e.text for e in select(PAGE, ".card")] == ["Notities Eerste & tweede Een Twee", "Buiten"]
    assert [e.text for e in select(PAGE, 'section li[data-kind="b"]')] == ["Twee"]
    assert select(PAGE, "section.card.wide p")[0].html == '<p title="Titel-lek">Eerste &amp; tweede</p>'
    assert select(PAGE, "form")[0].html.count('value=""') == 3  # the three random values, blanked
    with pytest.raises(AssertionError):
        element_text(PAGE, "p")
    with pytest.raises(ValueError):
        select(PAGE, "section > p")


def test_a_real_page_has_its_csrf_token_blanked(client, db):
    response = client.get(reverse("login"))
    assert 'name="csrfmiddlewaretoken" value="' in response.content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in without_tokens(response)
    assert "csrfmiddlewaretoken" not in visible_text(response)
