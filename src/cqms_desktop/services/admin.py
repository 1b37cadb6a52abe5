"""Administration: users, customers, products, departments, business settings, first start.

Customer codes, part numbers and user names are unique by one rule on every backend: compared
without case and accents (:func:`..domain.keys.fold_key`). A clash is refused with the field's
"already in use" message, also when another PC saved the same key a moment earlier and only the
database's unique index noticed.
"""

from __future__ import annotations

from typing import Any

from ..domain import validation as v
from ..domain.backup_schedule import BACKUP_DEFAULTS
from ..domain.backup_schedule import validate as validate_backup_settings
from ..domain.enums import Department, Language
from ..domain.errors import NotFoundError, PermissionDenied, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.mail_settings import MAIL_DEFAULTS
from ..domain.mail_settings import validate as validate_mail_settings
from ..domain.settings import Recompute, recomputations
from ..domain.settings_check import check_settings
from ..store import audit
from ..store import settings as settings_store
from ..store.db import retry_transient
from ..store.models import Customer, Product, User
from ..store.models import Department as DepartmentRow
from . import auth
from .auth import hash_password
from .base import Actor, require, unit_of_work
from .normalise import checked_input
from .password_policy import check_new_password
from .unique_keys import check_unique, clash, key_in_use, unique_index_as


# ---------------------------------------------------------------- first start
def needs_first_run() -> bool:
    """True while the database has no user at all (the first start)."""
    return not User.select().exists()


@checked_input
@retry_transient
def first_run(*, company_name: str, username: str, full_name: str, password: str) -> User:
    """Store the company name and create the first administrator (only on an empty database)."""
    company = v.required_text(company_name, "company_name", 200)
    name = v.username(username)
    full = v.required_text(full_name, "full_name", 100)
    secret = check_new_password(password, username=name, full_name=full)
    password_hash = hash_password(secret)
    with unit_of_work("user", "settings"):
        if User.select().exists():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The first administrator has already been created.")
            )
        settings_store.put("company_name", company)
        audit.write_audit(name, "setting", 0, "update", {"company_name": (None, company)})
        return audit.create(
            User,
            name,
            username=name,
            full_name=full,
            department=Department.ADMINISTRATION.value,
            is_admin=True,
            password_hash=password_hash,
        )


# ---------------------------------------------------------------- users
def _unique_username(name: str, exclude_id: int | None = None) -> None:
    existing = clash(User, User.username, name, exclude_id)
    if existing is not None:
        raise _name_taken(existing)


def _name_taken(name: str) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP("Errors", "The user name “{name}” is taken."),
        field="username",
        name=name,
    )


@checked_input
@retry_transient
def add_user(
    actor: Actor,
    *,
    username: str,
    full_name: str,
    department: str,
    password: str,
    is_admin: bool = False,
    email: str = "",
    must_change_password: bool | None = None,
) -> User:
    """Create a user account.

    *must_change_password*: the user chooses a new password at the first log-in. By default
    so when an administrator (a person) made the account: they chose its password and told it
    to the user, who should then have one only they know. The command line's system actor
    (scripts, first set-up) asks for it explicitly."""
    require(actor, admin=True)
    name = v.username(username)
    full = v.required_text(full_name, "full_name", 100)
    values: dict[str, Any] = {
        "username": name,
        "full_name": full,
        "department": v.choice(department, "department", [d.value for d in Department]),
        "is_admin": bool(is_admin),
        "email": v.optional_text(email, "email", 200),
        "must_change_password": (
            actor.user_id is not None if must_change_password is None else must_change_password
        ),
    }
    secret = check_new_password(password, username=name, full_name=full)
    values["password_hash"] = hash_password(secret)
    with unit_of_work("user"), unique_index_as(_name_taken(name)):
        _unique_username(name)
        return audit.create(User, actor.username, **values)


@checked_input
@retry_transient
def update_user(actor: Actor, *, user_id: int, version: int, **changes: Any) -> User:
    """Change a user's name, department, administrator flag, e-mail, active flag or the
    request to choose a new password at the next log-in (``must_change_password``)."""
    require(actor, admin=True)
    clean: dict[str, Any] = {}
    if "full_name" in changes:
        clean["full_name"] = v.required_text(changes["full_name"], "full_name", 100)
    if "department" in changes:
        clean["department"] = v.choice(
            changes["department"], "department", [d.value for d in Department]
        )
    for flag in ("is_admin", "active", "must_change_password"):
        if flag in changes:
            clean[flag] = bool(changes[flag])
    if "email" in changes:
        clean["email"] = v.optional_text(changes["email"], "email", 200)
    with unit_of_work("user"):
        target = User.get_or_none(User.id == user_id)
        losing_admin = clean.get("is_admin") is False or clean.get("active") is False
        if losing_admin and target is not None and target.is_admin and target.active:
            _keep_one_admin(user_id)
        return audit.update(User, user_id, actor.username, clean, version)


def _keep_one_admin(user_id: int) -> None:
    others = User.select().where(User.is_admin & User.active & (User.id != user_id))
    if not others.exists():
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "At least one active administrator must remain.")
        )


@checked_input
@retry_transient
def set_password(
    actor: Actor, *, user_id: int, password: str, must_change_password: bool | None = None
) -> None:
    """Set a new password (administrators for anyone, users for themselves); unlocks.

    Refused: a common password, and one containing the user's login or name. A password an
    administrator (a person) set for someone else must be changed at the next log-in unless
    *must_change_password* says otherwise; the user's own choice clears the request."""
    own = actor.user_id == user_id
    require(actor, password_change=own)
    if not own:
        require(actor, admin=True)
    if must_change_password is None:
        must_change_password = not own and actor.user_id is not None
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    secret = check_new_password(password, username=user.username, full_name=user.full_name)
    password_hash = hash_password(secret)  # slow: before the write lock
    with unit_of_work("user"):
        audit.update(
            User,
            user_id,
            actor.username,
            {
                "password_hash": password_hash,
                "failed_logins": 0,
                "locked_until": None,
                "must_change_password": bool(must_change_password),
            },
        )


@checked_input
def change_own_password(actor: Actor, *, old_password: str, new_password: str) -> None:
    """A user changes their own password: the current one is required (an unlocked PC is not
    enough), and the new one must differ from it. Clears an administrator's request for a
    change (:func:`set_password`)."""
    require(actor, password_change=True)
    if actor.user_id is None:
        raise PermissionDenied(
            QT_TRANSLATE_NOOP("Errors", "This account has no password to change.")
        )
    user = User.get_or_none(User.id == actor.user_id)
    if user is None or not auth.verify_password(user.password_hash, str(old_password or "")):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The current password is not correct."),
            field="old_password",
        )
    if str(new_password or "") == str(old_password or ""):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The new password must differ from the current one."),
            field="password",
        )
    set_password(actor, user_id=actor.user_id, password=new_password, must_change_password=False)


@checked_input
def find_user(username: str) -> User:
    """A user by name, or a clear error."""
    user = User.get_or_none(User.username == username)
    if user is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "There is no user “{name}”."),
            field="username",
            name=username,
        )
    return user


# ---------------------------------------------------------------- customers
def _customer_values(values: dict[str, Any], partial: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values or not partial:
        clean["code"] = v.code(values.get("code"))
    if "name" in values or not partial:
        clean["name"] = v.required_text(values.get("name"), "name", 200)
    for key, limit in (
        ("address", 2000),
        ("contacts", 2000),
        ("phone", 64),
        ("email", 200),
        ("notes", 4000),
    ):
        if key in values:
            clean[key] = v.optional_text(values[key], key, limit)
    if "language" in values or not partial:
        clean["language"] = v.choice(
            values.get("language", "zh"), "language", [x.value for x in Language]
        )
    if "sales_rep" in values:
        rep = values["sales_rep"]
        rep_id = rep.id if isinstance(rep, User) else rep
        if rep_id is not None and User.get_or_none(User.id == rep_id) is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field}: no such user."), field="sales_rep"
            )
        clean["sales_rep"] = rep_id
    if "active" in values:
        clean["active"] = bool(values["active"])
    return clean


@checked_input
@retry_transient
def add_customer(actor: Actor, **values: Any) -> Customer:
    """Create a customer."""
    require(actor, admin=True, departments=[Department.SALES])
    clean = _customer_values(values, partial=False)
    with unit_of_work("customer"), unique_index_as(key_in_use("code", clean["code"])):
        check_unique(Customer, Customer.code, clean["code"], "code", None)
        return audit.create(Customer, actor.username, **clean)


@checked_input
@retry_transient
def update_customer(actor: Actor, *, customer_id: int, version: int, **values: Any) -> Customer:
    """Change a customer."""
    require(actor, admin=True, departments=[Department.SALES])
    clean = _customer_values(values, partial=True)
    code = str(clean.get("code", ""))
    with unit_of_work("customer"), unique_index_as(key_in_use("code", code)):
        if "code" in clean:
            check_unique(Customer, Customer.code, clean["code"], "code", customer_id)
        return audit.update(Customer, customer_id, actor.username, clean, version)


# ---------------------------------------------------------------- products
def _product_values(values: dict[str, Any], partial: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "part_number" in values or not partial:
        clean["part_number"] = v.required_text(values.get("part_number"), "part_number", 64)
    if "name" in values or not partial:
        clean["name"] = v.required_text(values.get("name"), "name", 200)
    if "description" in values:
        clean["description"] = v.optional_text(values["description"], "description", 4000)
    if "active" in values:
        clean["active"] = bool(values["active"])
    return clean


@checked_input
@retry_transient
def add_product(actor: Actor, **values: Any) -> Product:
    """Create a product / part number."""
    require(actor, admin=True, departments=[Department.TECHNICAL, Department.QA])
    clean = _product_values(values, partial=False)
    part = clean["part_number"]
    with unit_of_work("product"), unique_index_as(key_in_use("part_number", part)):
        check_unique(Product, Product.part_number, part, "part_number", None)
        return audit.create(Product, actor.username, **clean)


@checked_input
@retry_transient
def update_product(actor: Actor, *, product_id: int, version: int, **values: Any) -> Product:
    """Change a product."""
    require(actor, admin=True, departments=[Department.TECHNICAL, Department.QA])
    clean = _product_values(values, partial=True)
    part = str(clean.get("part_number", ""))
    with unit_of_work("product"), unique_index_as(key_in_use("part_number", part)):
        if "part_number" in clean:
            check_unique(Product, Product.part_number, part, "part_number", product_id)
        return audit.update(Product, product_id, actor.username, clean, version)


# ---------------------------------------------------------------- departments
@checked_input
@retry_transient
def update_department(
    actor: Actor, *, department_id: int, version: int, **values: Any
) -> DepartmentRow:
    """Rename a department or change its e-mail / active flag (codes are the procedure's)."""
    require(actor, admin=True)
    clean: dict[str, Any] = {}
    if "name" in values:
        clean["name"] = v.required_text(values["name"], "name", 100)
    if "email" in values:
        clean["email"] = v.optional_text(values["email"], "email", 200)
    if "active" in values:
        clean["active"] = bool(values["active"])
    with unit_of_work("department"):
        return audit.update(DepartmentRow, department_id, actor.username, clean, version)


# ---------------------------------------------------------------- business settings
@checked_input
@retry_transient
def update_settings(actor: Actor, values: dict[str, Any]) -> None:
    """Store shared business settings, auditing each change.

    Every value is checked against its declaration in ``domain.settings`` (type, range,
    length) and the settings against each other (``domain.settings_check``) before anything is
    written: a refused change saves nothing. What a changed setting affects is recomputed in
    the same transaction (e.g. the deadlines of unhandled complaints)."""
    require(actor, admin=True)
    with unit_of_work("settings", "complaint"):
        current = settings_store.get_all()
        # The mail settings have rules of their own (domain.mail_settings; the message texts
        # are checked by services.mail_admin before they get here).
        mail = {k: val for k, val in values.items() if k in MAIL_DEFAULTS}
        # So do the scheduled-backup settings (domain.backup_schedule).
        backups = {k: val for k, val in values.items() if k in BACKUP_DEFAULTS}
        others = {
            k: val
            for k, val in values.items()
            if k not in MAIL_DEFAULTS and k not in BACKUP_DEFAULTS
        }
        clean = check_settings(others, current) if others or not (mail or backups) else {}
        clean.update(validate_mail_settings(mail))
        clean.update(validate_backup_settings(backups))
        if "mail_templates" in mail:
            clean["mail_templates"] = mail["mail_templates"]
        changed = {k: (current.get(k), val) for k, val in clean.items() if current.get(k) != val}
        for key, (_, new) in changed.items():
            settings_store.put(key, new)
        if changed:
            audit.write_audit(actor.username, "setting", 0, "update", changed)
        if Recompute.COMPLAINT_DEADLINES in recomputations(set(changed)):
            # Complaints not yet handled are judged by the new limits; handled ones keep theirs.
            from .complaints import recompute_deadlines

            recompute_deadlines(actor.username)
