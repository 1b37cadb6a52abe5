"""Another PC: a separate process that changes a visit's purpose through the services.

python -m tests.remote_writer URL USERNAME VISIT_ID PURPOSE
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cqms_desktop.services import auth, visits
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import User, Visit

ROOT = Path(__file__).resolve().parents[1]


def run_elsewhere(url: str, username: str, visit_id: int, purpose: str) -> None:
    """Change a visit from a second process (another PC), waiting until it is done."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    subprocess.run(
        [sys.executable, "-m", "tests.remote_writer", url, username, str(visit_id), purpose],
        check=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def main(url: str, username: str, visit_id: int, purpose: str) -> int:
    """Open *url*, change the visit as *username*, close."""
    dbmod.open_database(url)
    try:
        actor = auth.actor_for(User.get(User.username == username))
        visit = Visit.get_by_id(visit_id)
        visits.update_visit(actor, visit_id=visit_id, version=visit.version, purpose=purpose)
    finally:
        dbmod.close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
