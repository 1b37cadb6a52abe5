"""Demonstration users, customers and products (the master data the records refer to)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import time, timedelta
from typing import Any, cast

from ...domain.enums import Department
from ...store.models import Customer, Product, User
from . import name_pools as D
from .builder_base import DemoBuilderBase, first_free_id

#: Customers per unit of ``scale``; about 88 records of the five kinds each.
CUSTOMERS_PER_SCALE = 25
FOREIGN_PER_SCALE = 3


class PeopleBuilder(DemoBuilderBase):
    """Demonstration accounts, customers (Chinese, English and German) and products."""

    def build_users(self) -> None:
        # .dicts() rows are plain dicts; the peewee stubs type a query's rows as models.
        user_rows = cast(Iterable[dict[str, Any]], User.select().dicts())
        existing = {u["username"]: u for u in user_rows}
        next_id = first_free_id(User)
        created = self.utc(self.start_day - timedelta(days=30), time(9, 0))
        for username, full_name, dept, is_admin in D.DEMO_USERS:
            if username in existing:
                # Keep the existing account (e.g. the first administrator) and refer to it.
                user = existing[username]
                row = {"id": user["id"], "username": username, "full_name": user["full_name"]}
                self.skipped_users.append(username)
                dept = Department(user["department"])
            else:
                row = {
                    "id": next_id,
                    "username": username,
                    "full_name": full_name,
                    "department": dept.value,
                    "is_admin": is_admin,
                    "active": True,
                    "email": f"{username}@example.cn",
                    "password_hash": self.hashes[username],
                    "failed_logins": 0,
                }
                next_id += 1
                self.stamp(row, created, "system")
                self.rows[User].append(row)
                self.created_users.append((username, full_name, dept.value))
            self.users[username] = row
            self.by_department[dept].append(row)
        for dept in (Department.SALES, Department.QA, Department.GENERAL_MANAGER):
            if not self.by_department[dept]:  # an existing account took the name elsewhere
                self.by_department[dept].append(next(iter(self.users.values())))

    def build_customers(self) -> list[dict[str, Any]]:
        taken = {c.code for c in Customer.select(Customer.code)}
        next_id = first_free_id(Customer)
        combos = list(itertools.product(D.CITIES, D.TRADE_NAMES, D.BUSINESSES))
        self.rng.shuffle(combos)
        total = CUSTOMERS_PER_SCALE * self.scale
        # Every eighth customer or so is English or German speaking.
        foreign_slots = {1 + 8 * k: k for k in range(FOREIGN_PER_SCALE * self.scale)}
        created = self.utc(self.start_day - timedelta(days=20), time(10, 0))
        sales = self.by_department[Department.SALES]
        customers = []
        code_no = 0
        for index in range(total):
            code_no += 1
            while f"C{code_no:04d}" in taken:
                code_no += 1
            code = f"C{code_no:04d}"
            if index in foreign_slots:
                slot = foreign_slots[index]
                name, language, address = D.FOREIGN_CUSTOMERS[slot % len(D.FOREIGN_CUSTOMERS)]
                plant = slot // len(D.FOREIGN_CUSTOMERS)
                if plant:
                    name = f"{name} ({'Werk' if language == 'de' else 'Plant'} {plant + 1})"
                contact = self.pick(D.FOREIGN_CONTACTS[language])
                phone = f"+49 711 {self.rng.randint(100000, 999999)}"
                if language == "en":
                    phone = f"+44 114 {self.rng.randint(100000, 999999)}"
            else:
                city, trade, business = combos[index % len(combos)]
                name = f"{city}{trade}{business}{self.pick(D.LEGAL_FORMS)}"
                language = "zh"
                address = f"{city}市{self.pick(D.STREETS)}{self.rng.randint(1, 999)}号"
                contact = self.pick(D.CONTACT_NAMES)
                phone = f"0{self.rng.randint(510, 599)}-{self.rng.randint(80000000, 89999999)}"
            rep = sales[index % len(sales)]
            row = {
                "id": next_id,
                "code": code,
                "name": name,
                "address": address,
                "contacts": f"{contact} {phone}",
                "phone": phone,
                "email": f"purchase@{code.lower()}.example.com",
                "language": language,
                "sales_rep": rep["id"],
                # A few former customers: inactive, but their history stays.
                "active": index % 40 != 39,
                "notes": "",
                "_rep": rep,
                "_satisfaction": self.rng.uniform(3.3, 4.9),
            }
            next_id += 1
            self.stamp(row, created, rep["username"])
            customers.append(row)
            self.rows[Customer].append(row)
        return customers

    def build_products(self) -> list[dict[str, Any]]:
        taken = {p.part_number for p in Product.select(Product.part_number)}
        next_id = first_free_id(Product)
        created = self.utc(self.start_day - timedelta(days=20), time(11, 0))
        products = []
        for stem, name in D.PRODUCTS:
            for variant in D.PRODUCT_VARIANTS:
                part = f"{stem}-{variant}"
                if part in taken:
                    continue
                row = {
                    "id": next_id,
                    "part_number": part,
                    "name": f"{name} {variant}型",
                    "description": f"{name}，{variant}型，图号 {part}",
                    "active": True,
                }
                next_id += 1
                self.stamp(row, created, "yang.lei")
                products.append(row)
                self.rows[Product].append(row)
        if not products:  # every part number exists already: use the existing products
            query = Product.select(Product._meta.primary_key, Product.part_number, Product.name)
            products = list(cast(Iterable[dict[str, Any]], query.dicts()))
        return products
