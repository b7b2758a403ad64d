from __future__ import annotations

from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and snapshots"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_delete, pre_save
        from simple_history.signals import pre_create_historical_record

        from sources.history import refuse_untracked_write, stamp_historical_record
        from sources.immutability import on_post_migrate

        # Not domain flow: this only stamps who/where/why onto every history row.
        pre_create_historical_record.connect(
            stamp_historical_record, dispatch_uid="stamp_historical_record"
        )
        pre_save.connect(refuse_untracked_write, dispatch_uid="refuse_untracked_save")
        pre_delete.connect(refuse_untracked_write, dispatch_uid="refuse_untracked_delete")
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="snapshot_guard")
