import re

from django.urls import reverse
from django.utils import timezone

TODAY = timezone.localdate


def field_error(response, field):
    """The error text shown beside `field` (crispy: the element with id error_1_id_<field>), or None."""
    html = response.content.decode()
    match = re.search(rf'id="error_1_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    return match.group(1).strip() if match else None


def token(client, url):
    """The one-time token of the form on `url`, as the browser would send it back."""
    html = client.get(url).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html).group(1)


def url(name, w):
    """The address of a wie-vraag page for the `world` fixture's objects."""
    y, s, m, c = w["youth"].pk, w["search"].pk, w["member"].pk, w["candidate"].pk
    args = {
        "network": [y],
        "network_map": [y],
        "member_add": [y],
        "member_edit": [y, m],
        "search": [y],
        "search_start": [y],
        "search_stop": [y, s],
        "candidate_add": [y, s],
        "candidate_status": [y, c],
        "candidate_move": [y, c],
        "candidate_screening": [y, c],
        "candidate_record_check": [y, c],
        "candidate_choose": [y, c],
    }[name]
    return reverse(f"mentors:{name}", args=args)
