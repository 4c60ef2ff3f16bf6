"""Look at the part of a page a test means, not at the whole response.

A check such as `"765" not in response.content.decode()` also looks at the CSRF token, the double-submit
token and the stale-save fingerprint, which are random or hashes: two tests failed now and then because
a token happened to contain the checked text. Use instead:

- `without_tokens(response)`: the whole HTML with those random values blanked. For leak checks (a confidential
  text, a name): a leak in an attribute, a hidden field or a script counts too.
- `visible_text(response)`: what a reader sees: the text, without scripts, styles, attributes or hidden
  fields (the value of a visible input or button is kept), entities decoded, whitespace collapsed.
- `select(response, "css")`: the elements matching a small CSS selector (descendant combinator, and per
  step `tag`, `#id`, `.class`, `[attr]`, `[attr="value"]`), each with `.html` (its markup, random values
  blanked), `.text` (as visible_text) and `.attrs`; `element_text(response, "css")` is the text of the one
  element that matches.

Every function takes a response or an HTML string. Python's own html.parser builds the tree: no dependency.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Hidden fields whose value is random or a hash: never a text the page means to show.
RANDOM_FIELDS = ("csrfmiddlewaretoken", "submission_token", "stored_state")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_SHOWN = {"script", "style", "template", "noscript"}

_NAMES = "|".join(RANDOM_FIELDS)
_RANDOM_INPUT = re.compile(
    rf"""(<input\b[^>]*\bname=["'][\w-]*(?:{_NAMES})["'][^>]*\bvalue=["'])[^"']*(["'])"""
)
_RANDOM_INPUT_VALUE_FIRST = re.compile(
    rf"""(<input\b[^>]*\bvalue=["'])[^"']*(["'][^>]*\bname=["'][\w-]*(?:{_NAMES})["'])"""
)


def _html(response_or_html):
    if isinstance(response_or_html, str):
        return response_or_html
    if isinstance(response_or_html, bytes):
        return response_or_html.decode()
    return response_or_html.content.decode()


def without_tokens(response_or_html):
    """The page's HTML with the random values of hidden fields (CSRF and submission tokens, fingerprints) blanked."""
    html = _html(response_or_html)
    html = _RANDOM_INPUT.sub(r"\1\2", html)
    return _RANDOM_INPUT_VALUE_FIRST.sub(r"\1\2", html)


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: "Element | None" = field(default=None, repr=False)
    children: list = field(default_factory=list, repr=False)  # Elements and strings
    start: int = field(default=0, repr=False)
    end: int = field(default=0, repr=False)
    source: str = field(default="", repr=False)

    @property
    def html(self):
        """This element's markup, random values blanked."""
        return without_tokens(self.source[self.start : self.end])

    @property
    def text(self):
        """What a reader sees of this element (see `visible_text`)."""
        parts = []
        self._collect(parts)
        return " ".join(" ".join(parts).split())

    def _collect(self, parts):
        if self.tag in NOT_SHOWN:
            return
        if self.tag == "input" and self.attrs.get("type", "text") != "hidden":
            parts.append(self.attrs.get("value") or "")
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                child._collect(parts)

    def descendants(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()


class _TreeBuilder(HTMLParser):
    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.root = Element("#document", {}, source=source, end=len(source))
        self.open = [self.root]

    def _offset(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        element = Element(tag, {k: v or "" for k, v in attrs}, self.open[-1], start=start, source=self.source)
        element.end = start + len(self.get_starttag_text())
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                end = self.source.find(">", self._offset()) + 1
                for element in self.open[depth:]:
                    element.end = end
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def tree(response_or_html):
    source = _html(response_or_html)
    builder = _TreeBuilder(source)
    builder.feed(source)
    builder.close()
    for element in builder.open[1:]:  # never closed: up to the end
        element.end = len(source)
    return builder.root


def visible_text(response_or_html):
    """The text a reader sees: no scripts, styles, attributes or hidden fields; whitespace collapsed."""
    return tree(response_or_html).text


_STEP = re.compile(r"""([\w-]+)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=["']?([^"'\]]*)["']?)?\]""")


def _parse_step(step):
    tag, conditions, at = None, [], 0
    for match in _STEP.finditer(step):
        if match.start() != at:
            raise ValueError(f"unsupported selector step {step!r}")
        at = match.end()
        name, ident, cls, attr, value = match.groups()
        if name:
            tag = name.lower()
        elif ident:
            conditions.append(lambda e, ident=ident: e.attrs.get("id") == ident)
        elif cls:
            conditions.append(lambda e, cls=cls: cls in e.attrs.get("class", "").split())
        elif value is None:
            conditions.append(lambda e, attr=attr: attr in e.attrs)
        else:
            conditions.append(lambda e, attr=attr, value=value: e.attrs.get(attr) == value)
    if at != len(step):
        raise ValueError(f"unsupported selector step {step!r}")
    return lambda e: (tag is None or e.tag == tag) and all(condition(e) for condition in conditions)


def select(response_or_html, selector):
    """The elements matching `selector` (steps separated by spaces: descendants), in document order."""
    steps = [_parse_step(step) for step in selector.split()]
    found = [tree(response_or_html)]
    for step in steps:
        seen, matched = set(), []
        for ancestor in found:
            for element in ancestor.descendants():
                if id(element) not in seen and step(element):
                    seen.add(id(element))
                    matched.append(element)
        found = matched
    return found


def element_text(response_or_html, selector):
    """The visible text of the one element matching `selector` (fails when none or several match)."""
    found = select(response_or_html, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0].text
