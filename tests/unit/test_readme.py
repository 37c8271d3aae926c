"""The README's first lines are the two set-up commands, and CI runs the second one."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setup_commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines[:5] if line.startswith("    ")]
    assert len(commands) == 2, "the README must open with exactly two set-up commands"
    return commands


def test_readme_opens_with_install_and_run_then_install_and_test() -> None:
    run, test = _setup_commands()
    assert run.endswith("pip install -e . && kstui")
    assert test.endswith('pip install -e ".[test]" && pytest')


def test_ci_runs_the_readme_test_command() -> None:
    _, test = _setup_commands()
    install_and_test = test[test.index("pip install") :]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci
    assert "set -euo pipefail" in ci  # a failing (or empty: exit 5) pytest fails CI
