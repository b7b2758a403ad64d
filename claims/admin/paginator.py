"""A paginator that does not count a million rows on every page view."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered list uses the planner's row estimate instead of COUNT(*).

    Filtered lists are counted exactly: they are smaller, and a person filtering wants the
    real number.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and queryset.db:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                estimate = int(row[0]) if row else -1
                # A fresh table has no statistics yet (-1 or 0): count it, it is small.
                if estimate > 10000:
                    return estimate
        return super().count
