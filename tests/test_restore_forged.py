"""``cqms restore`` of malformed or forged backups (issue #15 item 11): checksums recomputed so
the file looks intact, but a value of the wrong type, out of range, a duplicate key or a
reference to no row — refused with one clear line before anything is written."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqms_desktop import cli
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.services import admin, backup, complaints, feedback
from cqms_desktop.services.base import Actor
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from tests.fuzzing import fuzz
from tests.users import make_user

#: The file holding the backup key of the database the good backup came from (``good``).
KEY: dict[str, Path] = {}


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A small, valid backup: users, a customer, a product, a feedback and a complaint."""
    folder = tmp_path_factory.mktemp("good")
    dbmod.open_database(dbmod.sqlite_url(folder / "source.sqlite3"))
    migrations.migrate()
    sales = make_user(D.SALES)
    customer = admin.add_customer(Actor.system(), code="C1", name="Kunde")
    product = admin.add_product(Actor.system(), part_number="PN-1", name="Teil")
    feedback.register_feedback(sales, customer_id=customer.id, channel="phone", description="x")
    complaints.register_complaint(
        sales,
        customer_id=customer.id,
        product_id=product.id,
        description="cracked",
        severity="normal",
        received_at=datetime(2026, 1, 5, 8, 0),
        qty_affected=3,
        qty_delivered=10,
    )
    path = folder / "good.cqmsbak"
    backup.backup(path)
    KEY["file"] = folder / "good.key"
    KEY["file"].write_text(backup.backup_key())  # a restore into a new database needs it
    dbmod.close_database()
    return path


def _read(path: Path) -> tuple[dict, list]:
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def _forge(header: dict, items: list, target: Path) -> Path:
    """Write *items* with counts and checksums recomputed, as a forger would."""
    tables = {t["name"]: t for t in header["tables"] if isinstance(t, dict)}
    sums: dict[str, list[int]] = {}
    table = None
    for item in items:
        if isinstance(item, dict):
            table = item.get("table")
        elif table in tables:
            encoded = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            encoded = encoded.encode("utf-8", "surrogatepass")
            sums.setdefault(table, []).append(int.from_bytes(hashlib.sha256(encoded).digest()))
    for name, info in tables.items():
        if type(info.get("rows")) is int and info["rows"] >= 0 and "checksum" in info:
            info["rows"] = len(sums.get(name, []))
            info["checksum"] = f"{sum(sums.get(name, [])) % (1 << 256):064x}"
    text = "\n".join(json.dumps(x) for x in [header, *items]) + "\n"  # "\ud800" escaped
    target.write_bytes(gzip.compress(text.encode("ascii")))
    return target


def _rows(header: dict, items: list, table: str) -> tuple[list[str], list[list]]:
    columns = next(t["columns"] for t in header["tables"] if t["name"] == table)
    start = items.index({"table": table})
    rows = list(itertools.takewhile(lambda x: isinstance(x, list), items[start + 1 :]))
    return columns, rows


def _set(column: str, value, table: str = "complaint"):
    def change(header, items):
        columns, rows = _rows(header, items, table)
        rows[0][columns.index(column)] = value

    return change


def _duplicate(table: str, new_id: bool):
    def change(header, items):
        columns, rows = _rows(header, items, table)
        copy = list(rows[0])
        if new_id:
            copy[columns.index("id")] = 999
        items.insert(items.index(rows[0]) + 1, copy)

    return change


def _header(change_header):
    def change(header, items):
        change_header(header)

    return change


def _swap_tables(header, items):
    items.remove({"table": "holiday"})
    items.insert(1, {"table": "holiday"})


def _cut_row(header, items):
    _columns, rows = _rows(header, items, "customer")
    rows[0].pop()


def _restore(capsys, path: Path, target: Path) -> tuple[int, str]:
    argv = ["--db", dbmod.sqlite_url(target), "restore", str(path), "--key-file", str(KEY["file"])]
    code = cli.main(argv)
    return code, capsys.readouterr().err


FORGERIES = {
    "text in a number column": _set("qty_affected", "three"),
    "10^20 quantity": _set("qty_affected", 10**20),
    "float quantity": _set("qty_affected", 2.5),
    "cost 1e30": _set("cost_freight", "1e30"),
    "cost NaN": _set("cost_freight", "NaN"),
    "cost with three decimals": _set("cost_freight", "1.005"),
    "year 1": _set("received_at", "0001-01-01T00:00:00"),
    "year 9999": _set("received_at", "9999-12-31T23:59:59"),
    "time with an offset": _set("received_at", "2026-01-05T08:00:00+08:00"),
    "not a time": _set("received_at", "yesterday"),
    "number as a time": _set("received_at", 20260105),
    "bad date": _set("onsite_on", "2026-02-30"),
    "NUL in text": _set("description", "a\x00b"),
    "lone surrogate": _set("description", "a\ud800b"),
    "text too long": _set("lot", "x" * 65),
    "yes as a boolean": _set("active", "yes", "customer"),
    "null where required": _set("description", None),
    "null key": _set("id", None),
    "dangling customer": _set("customer_id", 999),
    "dangling product": _set("product_id", 4242),
    "dangling repeat_of": _set("repeat_of_id", 77),
    "list as a value": _set("lot", ["x"]),
    "duplicate key": _duplicate("customer", new_id=False),
    "duplicate code": _duplicate("customer", new_id=True),
    "short row": _cut_row,
    "tables out of order": _swap_tables,
    "tables not a list": _header(lambda h: h.update(tables="all")),
    "table entry not an object": _header(lambda h: h["tables"].__setitem__(0, "x")),
    "negative row count": _header(lambda h: h["tables"][0].update(rows=-1)),
    "columns not a list": _header(lambda h: h["tables"][0].update(columns=None)),
}


@pytest.mark.parametrize("name", list(FORGERIES))
def test_a_forged_backup_is_refused_and_nothing_written(capsys, tmp_path, good, name):
    header, items = _read(good)
    FORGERIES[name](header, items)
    forged = _forge(header, items, tmp_path / "forged.cqmsbak")
    target = tmp_path / "target.sqlite3"
    code, err = _restore(capsys, forged, target)
    assert code == 2, err
    line = err.strip()
    assert "\n" not in line and line.startswith("cqms: error: "), err
    assert "unexpected" not in line and "Nothing was restored" in line, err
    assert not target.exists()


def test_the_unforged_backup_still_restores(capsys, tmp_path, good):
    header, items = _read(good)
    again = _forge(header, items, tmp_path / "same.cqmsbak")
    code, err = _restore(capsys, again, tmp_path / "target.sqlite3")
    assert code == 0, err


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
        st.sampled_from(["1e30", "NaN", "0001-01-01T00:00:00", "2026-01-05T08:00:00Z", "\x00"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)
_counter = itertools.count()


@fuzz(150)
@given(data=st.data())
def test_fuzzed_backups_restore_or_are_refused_in_one_line(capsys, tmp_path, good, data):
    header, items = _read(good)
    row_indexes = [i for i, x in enumerate(items) if isinstance(x, list)]
    index = data.draw(st.sampled_from(row_indexes))
    row = items[index]
    column = data.draw(st.integers(0, len(row) - 1))
    row[column] = data.draw(JSON_VALUES)
    n = next(_counter)
    forged = _forge(header, items, tmp_path / f"fuzz{n}.cqmsbak")
    code, err = _restore(capsys, forged, tmp_path / f"target{n}.sqlite3")
    assert code in (0, 2), err
    if code == 2:
        line = err.strip()
        assert "\n" not in line and line.startswith("cqms: error: "), err
        assert "unexpected" not in line and "database error" not in line, err
