"""Stores: the SQLite default (and PostgreSQL in server mode), behind `app.ports.Store`."""
