"""Ledger entries written by the very transaction that wrote their rows, at its commit.

Django has no "before commit" hook, so the project's database backends (config/db/) mix this
into their connection: rows noted during a transaction (claims.custody.ledger.note_rows) are
chained onto the ledger inside `commit()`, just before the COMMIT itself. A rolled-back
savepoint drops the notes made inside it, a rollback drops them all, exactly as Django treats
on_commit callbacks. Taking the chain-head lock last, at commit, holds it for one insert
(writers never wait on each other's whole transaction, and no lock is ever requested after
it, so it cannot join a deadlock), and makes the chain's order the commit order.

This module is imported when the backend loads, before the apps: it imports models lazily.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, transaction


class LedgerWriteError(DatabaseError):
    """The ledger entries of a transaction could not be written; the transaction is rolled
    back with them (a DatabaseError, so Django's atomic() rolls back as for a failed COMMIT)."""


Note = Any  # claims.custody.ledger.Note, not importable before the apps load


class LedgerTransactionsMixin:
    """Mixed into a DatabaseWrapper (config/db/*/base.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger_notes: list[tuple[frozenset[str], Note]] = []

    def ledger_note(self, items: list[Note]) -> None:
        if self.in_atomic_block or not self.get_autocommit():
            sids = frozenset(self.savepoint_ids)
            self.ledger_notes.extend((sids, item) for item in items)
            return
        # Autocommit: the row is already committed on its own; its entries follow at once,
        # in a transaction of their own (services write in atomic blocks, so this is rare).
        with transaction.atomic(using=self.alias):
            self.ledger_note(items)

    def commit(self) -> None:
        if self.ledger_notes:
            from claims.custody.ledger import chain_entries

            try:
                chain_entries(self.alias, [item for _, item in self.ledger_notes])
            except DatabaseError:
                raise
            except Exception as error:
                raise LedgerWriteError(f"the audit ledger could not be written: {error}") from error
            self.ledger_notes = []
        super().commit()

    def rollback(self) -> None:
        self.ledger_notes = []
        super().rollback()

    def savepoint_rollback(self, sid: str) -> None:
        super().savepoint_rollback(sid)
        self.ledger_notes = [(sids, item) for sids, item in self.ledger_notes if sid not in sids]

    def close(self) -> None:
        self.ledger_notes = []
        super().close()
