"""Printing from the Complaint editor: preview and print the Customer Complaint Handling Form
(or the 8D report), or save it as PDF or Excel in the chosen form language.
"""

from __future__ import annotations

from pathlib import Path


class ComplaintPrintingMixin:
    """Print and export commands; mixed into :class:`~.complaints.ComplaintEditor`."""

    def _number(self) -> str | None:
        return self.detail.complaint.number if self.detail is not None else None

    def print_form(self) -> None:
        """Preview and print the Customer Complaint Handling Form (or the 8D report)."""
        number = self._number()
        if number is None:
            return
        try:
            from .. import print_preview  # lazy: printing pulls in QtPrintSupport

            print_preview.preview_form(
                self,
                kind=self.form_kind.currentData(),
                number=number,
                lang=self.form_language.currentData(),
            )
        except Exception as exc:  # shown to the user
            self.action_failed(exc)

    def send_form_by_mail(self) -> None:
        """E-mail the chosen form (complaint form or 8D report) in the chosen language to the
        customer, after a preview (5.2.5: the copy sent is recorded by the sending)."""
        number = self._number()
        if number is None:
            return
        from ..send_mail_dialog import send_by_mail

        self.mail_dialog = send_by_mail(
            self,
            self.actor,
            kind=self.form_kind.currentData(),
            number=number,
            lang=self.form_language.currentData(),
        )

    def save_form_as(self, fmt: str) -> Path | None:
        """Save the chosen form (complaint form or 8D report) as PDF or Excel, in the chosen
        language, where the user chooses."""
        number = self._number()
        if number is None:
            return None
        from .. import print_preview  # lazy: printing pulls in QtPrintSupport

        path = print_preview.ask_form_path(
            self,
            kind=self.form_kind.currentData(),
            number=number,
            lang=self.form_language.currentData(),
            fmt=fmt,
        )
        if path is None:
            return None
        return print_preview.confirm_saved(self, self.export_form(path, fmt))

    def export_form(self, target: Path, fmt: str) -> Path | None:
        """Write the form in the chosen language to *target*."""
        try:
            from ...exports import forms  # lazy: reportlab and openpyxl load on demand

            return forms.export_form(
                kind=self.form_kind.currentData(),
                number=self._number(),
                fmt=fmt,
                lang=self.form_language.currentData(),
                output=target,
            )
        except Exception as exc:  # shown to the user
            self.action_failed(exc)
            return None
