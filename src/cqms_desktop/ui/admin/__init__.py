"""The "Administration" tab: users, customers, products, departments, defect categories,
suppliers, business settings, mail, the company calendar and backups.

Only administrators see it (the main window hides the tab from everybody else); the services
check the permission again, so nothing depends on the tab being hidden.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from ...services.base import Actor
from .backup_page import BackupPage
from .calendar_page import CalendarPage
from .customers import CustomersPage
from .defect_categories import DefectCategoriesPage
from .departments import DepartmentsPage
from .mail_page import MailPage
from .products import ProductsPage
from .settings_page import SettingsPage
from .suppliers import SuppliersPage
from .users import UsersPage


class AdminArea(QTabWidget):
    """The administration pages as sub-tabs."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.users = UsersPage(actor, self)
        self.customers = CustomersPage(actor, self)
        self.products = ProductsPage(actor, self)
        self.departments = DepartmentsPage(actor, self)
        self.defect_categories = DefectCategoriesPage(actor, self)
        self.suppliers = SuppliersPage(actor, self)
        self.settings = SettingsPage(actor, self)
        self.mail = MailPage(actor, self)
        self.calendar = CalendarPage(actor, self)
        self.backups = BackupPage(actor, self)
        self.addTab(self.users, self.tr("Users"))
        self.addTab(self.customers, self.tr("Customers"))
        self.addTab(self.products, self.tr("Products / part numbers"))
        self.addTab(self.departments, self.tr("Departments"))
        self.addTab(self.defect_categories, self.tr("Defect categories"))
        self.addTab(self.suppliers, self.tr("Suppliers"))
        self.addTab(self.settings, self.tr("Business settings"))
        self.addTab(self.mail, self.tr("Mail"))
        self.addTab(self.calendar, self.tr("Company calendar"))
        self.addTab(self.backups, self.tr("Backups"))

    def views(self) -> list:
        """The register lists of the pages (for refresh and layout saving)."""
        return [
            p.view
            for p in (
                self.users,
                self.customers,
                self.products,
                self.departments,
                self.defect_categories,
                self.suppliers,
            )
        ]

    def on_changed(self, kinds: frozenset[str]) -> None:
        """Records changed: refresh the lists; reload the settings if they changed."""
        for view in self.views():
            view.on_changed(kinds)
        # Reload settings saved elsewhere, unless the user is in the middle of editing them.
        if ("settings" in kinds or "*" in kinds) and not self.settings.changed():
            self.settings.load(keep_status=True)
        self.calendar.on_changed(kinds)
