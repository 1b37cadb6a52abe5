"""``python -m cqms_desktop`` starts the desktop application."""

from cqms_desktop.app import main

raise SystemExit(main())
