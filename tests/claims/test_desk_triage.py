"""Triage from the list: a reviewer reads the claim without opening it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.desk.triage import sentence_cut
from claims.models import Claim
from claims.workflow import claims_assign
from tests.factories import ingest_text

CHANGELIST = "/admin/claims/claim/"
REPORT = (
    "Ukrainian officials said on March 30 that Russian forces deported 39 Ukrainian children "
    "from occupied Kherson Oblast to Moscow Oblast in late March 2025. A strike on Kharkiv "
    "killed 14 civilians and wounded 52 civilians on March 28.\n"
)


def test_the_sentence_is_trimmed_at_words_around_the_number():
    statement = "Officials said " + "very " * 30 + "that 39 children were moved " + "far " * 30

    cut = sentence_cut(statement, "39", context=40)

    assert cut.quote == "39"
    assert cut.before.startswith("…") and cut.before.endswith("that ")
    assert cut.after.endswith("…") and len(cut.after) <= 41
    assert not cut.before[1:].startswith(" ") and " " not in cut.after[-2:]


def test_a_quote_missing_from_its_sentence_highlights_nothing():
    cut = sentence_cut("Forty people left.", "40")

    assert (cut.before, cut.quote, cut.after) == ("Forty people left.", "", "")


@pytest.mark.django_db(transaction=True)
def test_the_list_shows_sentence_subject_period_place_document_and_grade(client, editor):
    ingest_text(REPORT, source="Kyiv Independent", title="Deportations update")
    client.force_login(editor)

    page = client.get(CHANGELIST).content.decode()

    assert "deported <mark>39</mark> Ukrainian children" in page
    assert "killed <mark>14</mark> civilians" in page and "wounded <mark>52</mark>" in page
    assert "Ukrainian children" in page and "in late March 2025" in page
    assert "Moscow Oblast" in page and "Kharkiv" in page
    assert "Kyiv Independent" in page and "Deportations update (2025-06-05)" in page
    assert 'class="desk-grade" title="F: reliability cannot be judged">grade F</abbr>' in page


@pytest.mark.django_db(transaction=True)
def test_the_list_never_loads_the_documents_text(client, editor):
    ingest_text(REPORT + "Filler paragraph without figures.\n" * 2000)
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    snapshot_text = (
        f"{connection.ops.quote_name('sources_snapshot')}.{connection.ops.quote_name('text')}"
    )
    assert not [q["sql"] for q in queries if snapshot_text in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_count_past_the_cap_says_more_than_never_a_wrong_number(client, editor, monkeypatch):
    from claims.admin import paginator

    ingest_text(REPORT)
    total = Claim.objects.count()
    assert total >= 3
    client.force_login(editor)

    monkeypatch.setattr(paginator, "FILTERED_COUNT_CAP", total - 1)
    capped = client.get(CHANGELIST).content.decode()
    monkeypatch.setattr(paginator, "FILTERED_COUNT_CAP", total)
    exact = client.get(CHANGELIST).content.decode()

    assert f"more than {total - 1} claims" in capped and f">{total} claims" not in capped
    assert f'<span class="desk-count">{total} claims</span>' in exact
    assert "more than" not in exact


@pytest.mark.django_db(transaction=True)
def test_my_queue_and_the_assign_page_show_the_triage_rows(client, editor, checker):
    ingest_text(REPORT)
    claim = Claim.objects.get(quote="39")
    claims_assign(claims=[claim], assignee=checker, actor=editor, reason="yours", origin="admin")
    client.force_login(editor)

    assign = client.post(
        CHANGELIST, {"action": "assign", "_selected_action": [claim.pk]}
    ).content.decode()
    client.force_login(checker)
    queue = client.get(CHANGELIST, {"queue": "mine"}).content.decode()

    for page in (assign, queue):
        assert "deported <mark>39</mark> Ukrainian children" in page
        assert "in late March 2025" in page and "Moscow Oblast" in page
    assert "fatima" in assign  # who has it now


@pytest.mark.django_db(transaction=True)
def test_the_assignment_email_carries_the_triage_lines(client, editor, checker):
    checker.email = "fatima@example.org"
    checker.save()
    ingest_text(REPORT, source="Kyiv Independent", title="Deportations update")
    claim = Claim.objects.get(quote="39")
    client.force_login(editor)

    client.post(
        CHANGELIST,
        {
            "action": "assign",
            "_selected_action": [claim.pk],
            "apply": "1",
            "assignee": checker.pk,
            "reason": "yours",
            "notify": "on",
        },
    )

    [message] = mail.outbox
    assert "deported »39« Ukrainian children" in message.body
    assert "subject: Ukrainian children" in message.body
    assert "period: in late March 2025" in message.body
    assert "Moscow Oblast" in message.body
    assert "document: Deportations update (2025-06-05)" in message.body
    assert "source: Kyiv Independent (grade F)" in message.body
    assert f"/admin/claims/claim/{claim.pk}/change/" in message.body


@pytest.mark.django_db(transaction=True)
def test_the_search_finds_every_word_in_any_field(client, editor):
    ingest_text(REPORT)
    client.force_login(editor)

    def found(q: str) -> set[str]:
        response = client.get(CHANGELIST, {"q": q})
        return {c.quote for c in response.context["cl"].result_list}

    assert found("deported") == {"39"}
    assert found("moscow oblast") == {"39"}  # places, any case, both words
    assert found("Kharkiv wounded") == {"14", "52"}  # one sentence, two figures
    assert found("Kharkiv deported") == set()
    assert found("100%_") == set()  # LIKE wildcards are searched as text


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_search_goes_through_the_trigram_index(editor):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    ingest_text(REPORT)
    admin = site._registry[Claim]
    request = RequestFactory().get(CHANGELIST)
    request.user = editor
    found, _ = admin.get_search_results(request, admin.get_queryset(request), "deported")

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: make the planner show it
        sql, params = found.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "claim_search_trgm" in plan
    assert [c.quote for c in found] == ["39"]
