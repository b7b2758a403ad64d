from __future__ import annotations

from django.db.backends.postgresql import base

from claims.custody.transactions import LedgerTransactionsMixin


class DatabaseWrapper(LedgerTransactionsMixin, base.DatabaseWrapper):
    pass
