"""Chain of custody: what lets a recipient prove that what the desk publishes is what it
recorded, unaltered.

- `ledger`: the tamper-evident audit ledger. Every history row of Source, Document, Claim and
  Evidence, every Review and every Snapshot gets an entry, written by the transaction that
  wrote the row, chained by SHA-256 in commit order (`transactions` writes them at commit).
- `audit`: recomputes the chain and the rows' digests (`manage.py audit_verify`).
"""
