"""Printed forms and Excel copies: the controlled forms of the procedure in Chinese, English
and German. Call :func:`cqms_desktop.exports.forms.render_form` or ``export_form``."""
