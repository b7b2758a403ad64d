from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, Evidence
from sources.models import Document, Snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def load_seeds() -> str:
    out = StringIO()
    call_command("load_seeds", stdout=out)
    return out.getvalue()


def test_the_seed_loads_with_its_metadata_and_claims():
    load_seeds()

    document = Document.objects.get()
    assert document.source.name == "Institute for the Study of War (ISW)"
    assert str(document.published_at) == "2025-03-31"
    snapshot = Snapshot.objects.get()
    assert snapshot.capture_method == "seed"

    children = Claim.objects.filter(value=39, unit="child")
    assert children.exists()
    deported = Claim.objects.get(lower=1200, qualifier="more_than", unit="ukrainian")
    assert deported.quote == "over 1,200"
    assert deported.time_text == "since 2022"
    evidence = deported.evidence.get()
    assert snapshot.text[evidence.start : evidence.end] == "over 1,200"


def test_loading_the_seeds_twice_duplicates_nothing():
    load_seeds()
    before = (Document.objects.count(), Snapshot.objects.count(), Claim.objects.count())

    output = load_seeds()

    assert "nothing new was created" in output
    after = (Document.objects.count(), Snapshot.objects.count(), Claim.objects.count())
    assert after == before
    assert Evidence.objects.count() == Claim.objects.count()
