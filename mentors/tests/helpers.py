import re


def field_error(response, field):
    """The error text shown beside `field` (crispy: the element with id error_1_id_<field>), or None."""
    html = response.content.decode()
    match = re.search(rf'id="error_1_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    return match.group(1).strip() if match else None


def token(client, url):
    """The one-time token of the form on `url`, as the browser would send it back."""
    html = client.get(url).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html).group(1)
