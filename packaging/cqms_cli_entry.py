"""Entry script for the frozen ``cqms`` command line (PyInstaller needs a file, not a module)."""

from cqms_desktop.cli import main

raise SystemExit(main())
