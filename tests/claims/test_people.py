from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from claims.models import Claim
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("role", "group", "can_review", "can_reopen"),
    [
        ("editor", "Editor", True, True),
        ("fact-checker", "Fact-checker", True, False),
        ("api-reader", "API reader", False, False),
    ],
)
def test_adduser_creates_a_staff_member_in_the_role(role, group, can_review, can_reopen, editor):
    out = StringIO()
    call_command(
        "adduser", "newcomer", "--role", role, "--password", "a-long-new-password", stdout=out
    )

    user = get_user_model().objects.get(username="newcomer")
    assert user.is_staff and user.check_password("a-long-new-password")
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.has_perm("claims.review_claim") is can_review
    assert user.has_perm("claims.reopen_claim") is can_reopen
    assert f"({group})" in out.getvalue()


def test_adduser_refuses_a_weak_password_and_an_existing_name(editor):
    with pytest.raises(CommandError, match="Password refused"):
        call_command("adduser", "weak", "--role", "editor", "--password", "12345")
    assert not get_user_model().objects.filter(username="weak").exists()
    with pytest.raises(CommandError, match="exists already"):
        call_command("adduser", "edith", "--role", "editor", "--password", "a-long-new-password")


def test_assigning_from_the_admin_emails_the_assignee(client, editor, checker):
    checker.email = "fatima@desk.example"
    checker.save()
    ingest_text()
    ids = list(Claim.objects.values_list("pk", flat=True))
    client.force_login(editor)

    client.post(
        "/admin/claims/claim/",
        {
            "action": "assign",
            "_selected_action": ids,
            "apply": "1",
            "assignee": checker.pk,
            "reason": "morning batch",
            "notify": "on",
        },
    )

    assert set(Claim.objects.values_list("assignee", flat=True)) == {checker.pk}
    [message] = mail.outbox
    assert message.to == ["fatima@desk.example"]
    assert f"{len(ids)} claim(s) assigned to you" in message.subject
    assert "queue=mine" in message.body
