"""The project's database backends: Django's PostgreSQL and SQLite backends, with the audit
ledger's entries written at commit (claims.custody.transactions). settings.py points
DATABASES at these instead of Django's own."""
