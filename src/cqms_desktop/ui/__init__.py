"""The Qt user interface: start-up (database, log-in, first start), dialogs and the main window.

Thin by design: widgets call :mod:`cqms_desktop.services` and show what comes back. PC-local
preferences (the last database URL, the language, the last user name, window layout) live in
``QSettings``; shared business settings live in the database.
"""
