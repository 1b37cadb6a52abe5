"""Persistence: peewee models behind one ``DatabaseProxy``, migrations, audit, settings."""
