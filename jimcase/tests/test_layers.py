"""The code's layers hold: outbox ← jimcase ← accounts ← mentors ← triads ← reports, selectors never write, rules only read.

Every import is read from the source (ast), including imports inside functions, so a shortcut taken
in a function body fails here just like one at the top of a module.
"""

import ast
import functools
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The outbox sends every app's mail and knows none of them: each sender passes what its mail needs.
#: The accounts (signing in, the second factor, every change to an account) sit just above the core: they
#: build on its users and screens, and the core knows nothing of them.
LAYERS = {"outbox": -1, "jimcase": 0, "accounts": 0.5, "mentors": 1, "triads": 2, "reports": 3}
#: Every admin screen derives from the core's narrow admin, the outbox's too: the one upward import allowed.
ALLOWED_ABOVE = {"outbox/admin.py": {"jimcase.admin_narrow", "jimcase.admin_narrow.NarrowAdmin"}}


def app_modules():
    """(relative path, app) for every module of the apps, tests and migrations excluded."""
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            yield relative, app


def imported_modules(relative, source=None):
    """The absolute names of every module `relative` imports, anywhere in the file."""
    package = relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    if not relative.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(source if source is not None else (ROOT / relative).read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names.append(base)
            # `from . import services` imports the module `package.services`.
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


MODULES = list(app_modules())


def test_the_layer_check_sees_every_app_and_imports_inside_functions():
    assert {app for _path, app in MODULES} == set(LAYERS)
    assert "triads/services/status.py" in dict(MODULES)
    hidden = "def page(request):\n    from triads import services\n    from .. import selectors\n"
    assert {"triads.services", "mentors.selectors"} <= set(imported_modules("mentors/sub/views.py", hidden))


@pytest.mark.parametrize(("relative", "app"), MODULES, ids=[path for path, _app in MODULES])
def test_no_module_imports_an_app_above_its_own(relative, app):
    above = [
        name
        for name in imported_modules(relative)
        if name.split(".")[0] in LAYERS
        and LAYERS[name.split(".")[0]] > LAYERS[app]
        and name not in ALLOWED_ABOVE.get(relative, ())
    ]
    assert above == [], f"{relative} imports from a layer above {app}"


@pytest.mark.parametrize(
    "relative", [path for path, _app in MODULES if path.endswith(("selectors.py", "rules.py", "access.py"))]
)
def test_reads_never_import_writes(relative):
    """Selectors, rules and access helpers only read: they import no service."""
    writes = [name for name in imported_modules(relative) if ".services" in name]
    assert writes == []


@pytest.mark.parametrize("relative", [path for path, _app in MODULES if path.endswith("rules.py")])
def test_rules_import_no_selector(relative):
    assert [name for name in imported_modules(relative) if ".selectors" in name] == []


def test_the_core_names_no_page_of_another_app():
    """The core's code reaches the other apps only through settings (jimcase.registry)."""
    for relative, app in MODULES:
        if LAYERS[app] <= LAYERS["jimcase"]:
            text = (ROOT / relative).read_text()
            assert "triads:" not in text and "mentors:" not in text and "accounts:" not in text, relative


# --- Templates ------------------------------------------------------------------------------------------

TEMPLATES = ROOT / "templates"
#: A template's layer: the first app named in its path (`admin/reports/…` is the reports'); the mails are
#: the outbox's; the sign-in pages (registration/, Django's name for them) the accounts'; anything else
#: (base, errors, the admin's own) is the core's.
TEMPLATE_FOLDERS = {**{app: app for app in LAYERS}, "mail": "outbox", "registration": "accounts"}
#: URL namespaces and the layer they belong to; Django's admin and un-namespaced names are everyone's.
URL_NAMESPACES = {app: app for app in LAYERS}
TEMPLATE_REFERENCE = re.compile(r"""\{%\s*(url|include|extends)\s+["']([^"']+)["']""")


def template_app(relative):
    """The app whose layer a template (a path under templates/) belongs to."""
    for part in pathlib.PurePosixPath(relative).parts[:-1][:2]:
        if part in TEMPLATE_FOLDERS:
            return TEMPLATE_FOLDERS[part]
    return "jimcase"


def template_references(text):
    """(kind, app) for every `{% url %}`, `{% include %}` and `{% extends %}` naming another layer's page."""
    for kind, name in TEMPLATE_REFERENCE.findall(text):
        if kind == "url":
            namespace = name.split(":")[0] if ":" in name else None
            if namespace in URL_NAMESPACES:
                yield kind, name, URL_NAMESPACES[namespace]
        else:
            yield kind, name, template_app(name)


TEMPLATE_FILES = sorted(
    path.relative_to(TEMPLATES).as_posix()
    for path in TEMPLATES.rglob("*")
    if path.suffix in (".html", ".txt")
)


def test_the_template_check_reads_urls_includes_and_extends():
    text = "{% extends 'triads/base.html' %}{% include \"mentors/x.html\" %}{% url 'triads:mine' %}{% url 'login' %}"
    assert [(kind, app) for kind, _name, app in template_references(text)] == [
        ("extends", "triads"),
        ("include", "mentors"),
        ("url", "triads"),
    ]
    assert template_app("admin/reports/report.html") == "reports"
    assert template_app("base.html") == "jimcase"
    assert template_app("mail/signing_link_body.txt") == "outbox"
    assert (
        template_app("accounts/second_factor.html") == template_app("registration/login.html") == "accounts"
    )
    assert "base.html" in TEMPLATE_FILES and len(TEMPLATE_FILES) > 50


@pytest.mark.parametrize("relative", TEMPLATE_FILES)
def test_no_template_names_a_page_or_template_of_an_app_above_its_own(relative):
    """A template names pages and templates of its own layer or below; an app above plugs in (registry)."""
    app = template_app(relative)
    above = [
        name
        for _kind, name, other in template_references((TEMPLATES / relative).read_text())
        if LAYERS[other] > LAYERS[app]
    ]
    assert above == [], f"{relative} ({app}) names {above}"


# --- ORM lookup strings -------------------------------------------------------------------------------

LOOKUP = re.compile(r"^[a-z][a-z0-9_]*(__[a-z0-9_]+)+$")


@functools.cache
def reverse_names_from_above():
    """{app: names} of the relations that lead from a model of `app` to a model of an app above it."""
    from django.apps import apps

    names = {app: set() for app in LAYERS}
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in LAYERS:
            continue
        for field in model._meta.get_fields():
            other = field.related_model._meta.app_label if field.is_relation and field.related_model else None
            if field.auto_created and not field.concrete and other in LAYERS and LAYERS[other] > LAYERS[app]:
                names[app] |= {field.name, field.get_accessor_name()}
    return names


def lookup_strings(source):
    """Every string constant and keyword argument in `source` shaped like an ORM lookup (`a__b`)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and LOOKUP.match(node.value):
            yield node.value
        elif isinstance(node, ast.keyword) and node.arg and LOOKUP.match(node.arg):
            yield node.arg


def test_the_lookup_check_knows_the_relations_from_above_and_reads_strings_and_keywords():
    above = reverse_names_from_above()
    assert "triads" in above["mentors"] and "triads" in above["jimcase"]
    source = 'q = Q(triads__status__in=RUNNING)\nqs.values("youth__triads__pk")\nqs.filter(name="a__b c")'
    assert sorted(lookup_strings(source)) == ["triads__status__in", "youth__triads__pk"]


@pytest.mark.parametrize(("relative", "app"), MODULES, ids=[path for path, _app in MODULES])
def test_no_module_follows_a_relation_into_an_app_above_its_own(relative, app):
    """`triads__status__in` in the JIMs' admin would decide a triad's fact outside triads: ask triads instead."""
    above = reverse_names_from_above()[app]
    crossing = [
        lookup
        for lookup in lookup_strings((ROOT / relative).read_text())
        if any(part in above for part in lookup.split("__"))
    ]
    assert crossing == [], f"{relative} follows relations into an app above {app}: {crossing}"
