"""The layer rule of docs/ARCHITECTURE.md, checked by import-linter with ``.importlinter``.

The suite runs ``lint-imports`` on the sources, and shows on a copy of them with one
forbidden import per contract that every contract reports its kind of breach (a contract that
cannot fail would check nothing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"
PACKAGE = "cqms_desktop"

pytestmark = pytest.mark.static

#: Contract id → a module added to a copy of the sources that breaks exactly that rule, and
#: the text of the breach that import-linter must report.
BREACHES: dict[str, tuple[str, str, str]] = {
    "domain-standard-library-only": (
        "domain/_breach.py",
        "import peewee\n",
        "cqms_desktop.domain._breach -> peewee",
    ),
    "no-qt-below-ui": (
        "services/_breach_qt.py",
        "from PySide6 import QtCore\n",
        "cqms_desktop.services._breach_qt -> PySide6",
    ),
    "layers": (
        "services/_breach_layers.py",
        "from cqms_desktop.exports import vocabulary\n",
        "cqms_desktop.services._breach_layers -> cqms_desktop.exports.vocabulary",
    ),
    "ui-through-services": (
        "ui/_breach_store.py",
        "from cqms_desktop.store import models\n",
        "cqms_desktop.ui._breach_store -> cqms_desktop.store.models",
    ),
    "acyclic": (
        "services/_breach_cycle_a.py",
        "from cqms_desktop.services import _breach_cycle_b\n",
        # Which of the two imports it names as the one to remove is its choice.
        "No cycles are allowed in cqms_desktop.services.",
    ),
}


def lint_imports(source_root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """Run the venv's ``lint-imports`` on the package under *source_root* (all contracts, or
    only *contracts*)."""
    executable = Path(sys.executable).with_name("lint-imports")
    if not executable.exists():
        pytest.fail(f"lint-imports is not installed next to {sys.executable} (import-linter)")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(source_root), *filter(None, [env.get("PYTHONPATH", "")])]
    )
    env["COLUMNS"] = "200"  # contract names and import chains on one line each
    arguments = [str(executable), str(CONFIG), "--no-cache", "--no-logo"]
    for contract in contracts:
        arguments += ["--contract", contract]
    return subprocess.run(
        arguments, cwd=source_root, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_sources_keep_every_contract():
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_domain_imports_only_the_standard_library():
    """Stricter than the forbidden list of ``.importlinter``: any third-party import fails."""
    graph = grimp.build_graph(PACKAGE, include_external_packages=True, cache_dir=None)
    outside = sorted(
        (module, imported)
        for module in graph.find_descendants(f"{PACKAGE}.domain")
        for imported in graph.find_modules_directly_imported_by(module)
        if not imported.startswith(f"{PACKAGE}.")
        and imported.split(".")[0] not in sys.stdlib_module_names
        and imported != "__future__"
    )
    assert outside == []


@pytest.fixture(scope="module")
def breached_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package with every module of :data:`BREACHES` added."""
    root = tmp_path_factory.mktemp("breached")
    shutil.copytree(
        ROOT / "src" / PACKAGE, root / PACKAGE, ignore=shutil.ignore_patterns("__pycache__")
    )
    for path, source, _reported in BREACHES.values():
        (root / PACKAGE / path).write_text(source, encoding="utf-8")
    # The other half of the cycle.
    (root / PACKAGE / "services" / "_breach_cycle_b.py").write_text(
        "from cqms_desktop.services import _breach_cycle_a\n", encoding="utf-8"
    )
    return root


@pytest.mark.parametrize("contract", sorted(BREACHES))
def test_each_contract_reports_its_breach(breached_sources: Path, contract: str):
    result = lint_imports(breached_sources, contract)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert BREACHES[contract][2] in result.stdout, result.stdout
