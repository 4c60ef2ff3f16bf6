"""The code's layers hold: outbox ← jimcase ← mentors ← triads ← reports, selectors never write, rules only read.

Every import is read from the source (ast), including imports inside functions, so a shortcut taken
in a function body fails here just like one at the top of a module.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The outbox sends every app's mail and knows none of them: each sender passes what its mail needs.
LAYERS = {"outbox": -1, "jimcase": 0, "mentors": 1, "triads": 2, "reports": 3}
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
        if app in ("outbox", "jimcase"):
            text = (ROOT / relative).read_text()
            assert "triads:" not in text and "mentors:" not in text, relative
