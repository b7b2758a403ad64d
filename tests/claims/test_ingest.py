from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, Evidence, Job
from sources.models import Document, Snapshot
from tests.factories import REPORT

pytestmark = pytest.mark.django_db(transaction=True)


def ingest(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int, int]:
    return (
        Document.objects.count(),
        Snapshot.objects.count(),
        Job.objects.count(),
        Claim.objects.count(),
        Evidence.objects.count(),
    )


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "evacuations.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_ingest_stores_a_snapshot_and_extracts_anchored_claims(report):
    output = ingest(str(report), "--source", "Local Desk", "--published", "2025-06-05")

    assert "captured as snapshot" in output and "succeeded" in output
    snapshot = Snapshot.objects.get()
    assert snapshot.document.source.name == "Local Desk"
    assert snapshot.document.title == "evacuations"
    assert snapshot.encoding == "utf-8"
    job = Job.objects.get(kind="extract_claims")
    assert (job.state, job.attempts) == ("succeeded", 1)
    values = sorted(c.value or c.lower for c in Claim.objects.filter(kind="quantitative"))
    assert values == [48, 3000]
    for evidence in Evidence.objects.select_related("snapshot"):
        text = evidence.snapshot.text
        assert text[evidence.start : evidence.end] == evidence.exact
        assert text[: evidence.start].endswith(evidence.prefix)
        assert text[evidence.end :].startswith(evidence.suffix)


def test_ingesting_the_same_bytes_again_creates_nothing_and_says_so(report):
    ingest(str(report))
    before = counts()

    output = ingest(str(report))

    assert "already captured" in output and "nothing new was created" in output
    assert counts() == before


def test_extraction_records_history_from_the_task(report):
    ingest(str(report))
    claim = Claim.objects.first()
    row = claim.history.get(history_type="+")
    assert row.origin == "task"
    assert row.history_change_reason.startswith("extracted by engine")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\t ", "is empty"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, "ELF executable, not a document"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_bad_files_get_a_clear_error_and_nothing_is_written(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        ingest(str(bad))
    assert counts() == (0, 0, 0, 0, 0)


def test_a_missing_path_among_good_ones_writes_nothing(report, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        ingest(str(report), str(tmp_path / "missing.txt"))
    assert counts() == (0, 0, 0, 0, 0)


def test_a_windows_1251_file_is_decoded_and_its_encoding_recorded(tmp_path):
    text = (
        "Как сообщили местные власти, из села эвакуировали 48 жителей. "
        "Всего с 2023 года переселили более 3000 человек, в основном пожилых людей.\n"
    )
    path = tmp_path / "cyrillic.txt"
    path.write_bytes(text.encode("cp1251"))

    ingest(str(path))

    snapshot = Snapshot.objects.get()
    assert snapshot.text == text
    assert snapshot.encoding == "cp1251"


def test_a_bad_publication_date_is_refused_before_anything_is_written(report):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        ingest(str(report), "--published", "31/03/2025")
    assert counts() == (0, 0, 0, 0, 0)


def test_ingest_follows_the_job_to_its_end_and_prints_its_outcome(report):
    output = ingest(str(report))

    job = Job.objects.get(kind="extract_claims")
    verify = Job.objects.get(kind="verify_claims")
    assert f"extraction job {job.pk} succeeded: 2 claims" in output
    assert f"verification job {verify.pk} queued" in output


def test_ingest_with_no_wait_returns_once_the_job_is_queued(report):
    from tests.brokers import broker

    with broker("redis://127.0.0.1:9/0"):  # no broker, no worker: the job stays queued
        output = ingest(str(report), "--no-wait")

    job = Job.objects.get()
    assert job.state == "queued"
    assert f"extraction job {job.pk} queued" in output and "succeeded" not in output
