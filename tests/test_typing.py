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

pytestmark = pytest.mark.typing

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("domain", "store", "services", "exports")

# TEMPORARY (issue #8): the demo-data and import modules are being moved into services/demo/ and
# services/importer/ on another branch and are typed there. mypy still checks them; only their
# own reports are set aside here, by path prefix (which matches the old and the new layout).
# Remove this list, and the filter below, once they are clean.
PENDING_MOVE = ("src/cqms_desktop/services/demo", "src/cqms_desktop/services/import")


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
    problems = [
        line
        for line in stdout.splitlines()
        if line.strip() and not line.replace("\\", "/").startswith(PENDING_MOVE)
    ]
    assert not problems, "mypy --strict found problems:\n" + "\n".join(problems)
    assert status in (0, 1), stdout  # 1: errors found (only in PENDING_MOVE, see above)


def test_the_configuration_checks_the_four_lower_layers() -> None:
    # Guards the test above against checking nothing: mypy with an empty file list exits 0.
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert sorted(config["files"]) == sorted(f"src/cqms_desktop/{p}" for p in CHECKED)
