"""Type checking: ``mypy --strict`` over the lower layers (domain, store, services, exports).

Runs mypy in-process with the project's ``[tool.mypy]`` configuration in pyproject.toml (the
packages it checks are listed there, under ``files``), so that the plain ``pytest`` run of the
README fails when a change breaks the types. Slow (a cold mypy run); marked ``typing`` so it is
easy to recognise, select (``-m typing``) or skip (``-m "not typing"``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

pytestmark = [pytest.mark.typing, pytest.mark.static]

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("domain", "store", "services", "exports")


def test_the_lower_layers_are_strictly_typed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The configuration names its files and stub path relative to the repository root.
    monkeypatch.chdir(ROOT)
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            # A fresh cache: the result never depends on an earlier run's leftovers.
            "--cache-dir",
            str(tmp_path / "mypy_cache"),
            "--no-color-output",
            "--no-error-summary",
        ]
    )
    assert not stderr.strip(), stderr  # mypy itself failed (configuration, crash)
    assert status == 0 and not stdout.strip(), "mypy --strict found problems:\n" + stdout


def test_the_configuration_checks_the_four_lower_layers() -> None:
    # Guards the test above against checking nothing: mypy with an empty file list exits 0.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert sorted(config["files"]) == sorted(f"src/cqms_desktop/{p}" for p in CHECKED)
