"""The domain knows no screen: store, services and providers import neither Textual nor Rich."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_PACKAGES = ("kstui.store", "kstui.services", "kstui.providers")


def _domain_modules() -> list[str]:
    modules = []
    for package in DOMAIN_PACKAGES:
        folder = ROOT / package.replace(".", "/")
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).with_suffix("")
            name = ".".join(relative.parts)
            modules.append(name.removesuffix(".__init__"))
    return modules


def test_every_domain_module_is_found() -> None:
    modules = _domain_modules()
    assert "kstui.services.catalog.listing" in modules
    assert "kstui.store.interface" in modules
    assert "kstui.providers.clock" in modules


def test_domain_imports_neither_textual_nor_rich() -> None:
    modules = _domain_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')"
        " or m.startswith(('kstui.screens', 'kstui.widgets', 'kstui.app', 'kstui.cli')))\n"
        "print('\\n'.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "", f"UI modules imported by the domain:\n{result.stdout}"


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_screens_do_not_write_sql() -> None:
    offenders = []
    for path in sorted((ROOT / "kstui").glob("[sw]*/*.py")):
        if path.parent.name not in ("screens", "widgets"):
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("conn.execute", "session.exec", ".execute("):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
        for match in SQL_WORD.finditer(text):  # ALLOW_SELECT is a name, not SQL
            offenders.append(f"{path.relative_to(ROOT)}: {match.group()}")
    assert offenders == []


SQL_WORD = re.compile(r"(?<![A-Za-z_])(?:SELECT|INSERT|UPDATE|DELETE) ")


def test_the_sql_word_scan_finds_sql() -> None:
    assert SQL_WORD.search('conn("SELECT id FROM x")')
    assert SQL_WORD.search("x = 'DELETE FROM y'")
    assert not SQL_WORD.search("ALLOW_SELECT = False")


def test_every_area_is_in_the_area_contract() -> None:
    """A new area package must take its place in the one-way order of areas."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (areas,) = [c for c in contracts if c["name"] == "Areas depend one way"]
    layered = {name.strip() for layer in areas["layers"] for name in layer.split("|")}
    packages = {p.parent.name for p in (ROOT / "kstui" / "services").glob("*/__init__.py")}
    assert layered == packages
    assert areas["layers"][-1] == "catalog | accounts"  # the areas every other one reads
