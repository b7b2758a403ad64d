from __future__ import annotations

import pytest

from sources.history import MissingChangeContext, tracked_change
from sources.models import Source
from tests.factories import make_source

pytestmark = pytest.mark.django_db


def test_every_history_row_says_who_from_where_and_why(editor):
    source = make_source()
    with tracked_change(origin="admin", reason="regraded after audit", user=editor):
        source.reliability = "B"
        source.save()

    latest = source.history.first()
    assert latest.reliability == "B"
    assert latest.history_user == editor
    assert latest.origin == "admin"
    assert latest.history_change_reason == "regraded after audit"
    created = source.history.last()
    assert (created.origin, created.history_change_reason) == ("command", "test setup")


def test_a_tracked_save_without_a_change_context_is_refused():
    with pytest.raises(MissingChangeContext, match="tracked_change"):
        Source.objects.create(name="Anonymous edit")
    assert not Source.objects.filter(name="Anonymous edit").exists()


def test_an_unknown_origin_is_refused():
    with (
        pytest.raises(ValueError, match="unknown origin"),
        tracked_change(origin="somewhere", reason="x"),
    ):
        pass


def test_an_admin_edit_requires_a_reason_and_records_it(client, editor):
    source = make_source()
    client.force_login(editor)
    url = f"/admin/sources/source/{source.pk}/change/"
    form = {"name": source.name, "kind": "media", "reliability": "C", "notes": ""}

    refused = client.post(url, form)
    assert refused.status_code == 200  # the form comes back with an error
    assert "Reason for this change" in refused.content.decode()
    source.refresh_from_db()
    assert source.reliability == "F"

    accepted = client.post(url, {**form, "change_reason": "graded by the desk"})
    assert accepted.status_code == 302
    latest = source.history.first()
    assert latest.reliability == "C"
    assert (latest.history_user, latest.origin) == (editor, "admin")
    assert latest.history_change_reason == "graded by the desk"
