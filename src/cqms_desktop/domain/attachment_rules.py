"""Which files may be attached, and how large a file a database can take.

Attachments come from customers' e-mails; a file the desktop would *run* when opened
(``invoice.pdf.exe``, a ``.lnk`` shortcut, an ``.hta`` page) must not enter the register, where a
colleague opens it with a double click. Names are judged the way Windows judges them: by the
last extension, after dropping the trailing dots and spaces Windows ignores, and with the
right-to-left override that disguises ``invoice‮fdp.exe`` as ``invoiceexe.pdf`` refused.
"""

from __future__ import annotations

import unicodedata

from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP

#: Extensions Windows (or a browser, Office, the Java runtime …) runs or installs on opening
#: (after the list Outlook blocks).
BLOCKED_EXTENSIONS = frozenset(
    """
    ade adp app appref-ms application bas bat chm cmd com cpl crt csh der diagcab dll exe
    fxp gadget hlp hta htaccess inf ins isp its jar jnlp js jse ksh lnk mad maf mag mam maq
    mar mas mat mau mav maw mcf mda mdb mde mdt mdw mdz msc msh msh1 msh1xml msh2 msh2xml
    mshxml msi msp mst msu ocx ops pcd pif pl plg prf prg ps1 ps1xml ps2 ps2xml psc1 psc2
    py pyc pyw reg scf scr sct settingcontent-ms shb shs sys url vb vbe vbp vbs
    vsmacros vsw website ws wsc wsf wsh xbap xll xnk
    """.split()  # noqa: SIM905 (a word list reads better than 100 quoted strings)
)

#: Invisible characters that reorder or hide what a file name shows (bidi controls).
_DISGUISING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def effective_name(filename: str) -> str:
    """The name as Windows opens it: trailing dots and spaces dropped."""
    return filename.rstrip(". ")


def extension(filename: str) -> str:
    """The last extension, lower case, without the dot ('' when there is none)."""
    name = effective_name(filename)
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def is_disguised(filename: str) -> bool:
    """True for a name with invisible characters that reorder or hide what it shows."""
    return any(ch in _DISGUISING or unicodedata.category(ch) == "Cc" for ch in filename)


def is_blocked(filename: str) -> bool:
    """True for a name the desktop would run, or one disguising its type."""
    return is_disguised(filename) or extension(filename) in BLOCKED_EXTENSIONS


def check_attachable(filename: str, field: str = "attachment") -> None:
    """Refuse a file type that would run when opened, or a disguised name, naming the file."""
    if is_disguised(filename):
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field}: “{name}” contains hidden characters that disguise the file's type; "
                "rename the file before attaching it.",
            ),
            field=field,
            name=filename.encode("unicode_escape").decode("ascii"),
        )
    if extension(filename) in BLOCKED_EXTENSIONS:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{field}: “{name}” is a program or shortcut (.{ext}) that would run when "
                "opened; such files cannot be attached. Send it as a ZIP archive or a PDF.",
            ),
            field=field,
            name=filename,
            ext=extension(filename),
        )


def escaped_size(data: bytes) -> int:
    """How many bytes *data* takes inside an SQL statement sent to MariaDB: the driver
    (PyMySQL 1.1 and later) writes bytes as a hexadecimal literal, ``_binary X'…'``, two
    characters per byte."""
    return 2 * len(data) + len("_binary X''")


#: Room kept in one statement for the attachment's other columns and the SQL around them.
STATEMENT_MARGIN = 64 * 1024


def fits_packet(data: bytes, max_packet: int) -> bool:
    """True when an INSERT carrying *data* fits in MariaDB's ``max_allowed_packet``."""
    return escaped_size(data) + STATEMENT_MARGIN <= max_packet


def largest_fitting(max_packet: int) -> int:
    """The largest file (bytes) an INSERT can carry within *max_packet*."""
    return max(max_packet - STATEMENT_MARGIN - len("_binary X''"), 0) // 2
