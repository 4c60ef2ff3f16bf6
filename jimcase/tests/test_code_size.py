"""Every module of the project stays under 600 lines: a longer one holds several things, split it by area.

Migrations are generated and excluded; tests, the benchmark and the project wiring count like the apps.
Function size is ruff's business (C901, `ruff.toml`).
"""

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIMIT = 600
SKIP = {".venv", "var", "staticfiles", "node_modules", ".git"}


def project_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIP.intersection(parts) or "migrations" in parts:
            continue
        yield path.relative_to(ROOT).as_posix()


MODULES = list(project_modules())


def test_the_size_check_sees_the_whole_project():
    assert {"config/settings.py", "manage.py", "bench/driver.py", "conftest.py"} <= set(MODULES)
    assert not [m for m in MODULES if "/migrations/" in m]


@pytest.mark.parametrize("relative", MODULES)
def test_no_module_is_over_600_lines(relative):
    lines = len((ROOT / relative).read_text().splitlines())
    assert lines <= LIMIT, f"{relative} has {lines} lines: split it by area"
