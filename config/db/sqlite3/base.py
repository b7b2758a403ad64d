from __future__ import annotations

from django.db.backends.sqlite3 import base

from claims.custody.transactions import LedgerTransactionsMixin


class DatabaseWrapper(LedgerTransactionsMixin, base.DatabaseWrapper):
    pass
