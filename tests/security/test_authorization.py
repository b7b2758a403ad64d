"""One authorization table, enforced everywhere (issue 14).

claims.roles.CAPABILITIES is the table; the README's copy is checked against it. Every admin
URL and every API operation is requested by every role, GET and POST (PATCH where the API
has it), and what each role gets must be what its permissions in the table allow. A URL that
appears without a line here fails the completeness tests, so a new page starts closed to
review, not open by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver
from rest_framework.test import APIClient

from claims.custody.models import WebhookDelivery, WebhookSubscription
from claims.models import Alert, ApiToken, Claim, Job, Review
from claims.roles import CAPABILITIES, DESK, ROLES, role_table_markdown, sync_roles
from claims.tokens import issue_token
from claims.workflow import claim_transition
from sources.models import Citation
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = (
    "Officials said 48 residents were evacuated from the village.[1] Rescuers counted "
    "12 damaged homes on Tuesday.\n\nEndnotes\n[1] https://t.me/regional_admin/4411\n"
)
# anonymous; a staff account in no role; the three roles; a superuser.
CAST = ("anonymous", "outsider", "API reader", "Fact-checker", "Editor", "superuser")
NEVER = "never"  # refused to everyone, superusers included
OPEN = "open"  # anyone, signed in or not


def test_the_readme_role_table_is_the_one_in_the_code():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert role_table_markdown() in readme


def test_each_role_has_all_or_none_of_each_rows_permissions():
    # Otherwise a tick in the table would claim more (or less) than the role can do.
    for name, perms in ROLES.items():
        for what, needed in CAPABILITIES:
            held = set(needed) & set(perms)
            assert held in (set(), set(needed)), f"{name}: {what}: only {sorted(held)}"
    listed = {p for _, needed in CAPABILITIES for p in needed}
    assert {p for perms in ROLES.values() for p in perms} <= listed


# --- the data every URL points at ------------------------------------------------------


@pytest.fixture
def world(settings) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # sign-in failures counted by earlier tests would throttle the walk
    sync_roles(Group, Permission)
    User = get_user_model()
    people: dict[str, Any] = {"anonymous": None}
    people["outsider"] = User.objects.create_user("outsider", password="x", is_staff=True)
    for role in ROLES:
        user = User.objects.create_user(role.lower().replace(" ", "-"), is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        people[role] = user
    people["superuser"] = User.objects.create_superuser("root", password="x")
    report = ingest_text(REPORT)
    claim = Claim.objects.get(quote="48")
    for status, confidence in (("in_review", ""), ("verified", "likely")):
        claim_transition(
            claim=claim,
            actor=people["Fact-checker"],
            to_status=status,
            confidence=confidence,
            rationale="checked",
            origin="admin",
        )
    alert = Alert.objects.create(kind=Alert.Kind.SOURCE_CHANGED, snapshot=report.snapshot)
    subscription = WebhookSubscription.objects.create(
        owner=people["API reader"],
        url="https://example.org/hook",
        events=["claim.verified"],
        secret="whsec_" + "A" * 32,
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="claim.verified",
        message_id="msg_matrix",
        payload={"type": "claim.verified"},
        state=WebhookDelivery.State.DEAD,
    )
    token, _ = issue_token("matrix tool", "api-reader")
    keys = {}
    for role, spelling in (("API reader", "api-reader"), ("Fact-checker", "fact-checker")):
        keys[role] = issue_token(f"matrix {spelling}", spelling)[1]
    keys["Editor"] = issue_token("matrix editor", "editor")[1]
    document = report.snapshot.document
    ids = {
        "claim": claim.pk,
        "unreviewed": Claim.objects.get(quote="12").pk,
        "claim_history": claim.history.earliest("history_id").history_id,
        "evidence": claim.evidence.get().pk,
        "source": document.source_id,
        "document": document.pk,
        "snapshot": report.snapshot.pk,
        "citation": Citation.objects.get().pk,
        "review": Review.objects.filter(claim=claim).first().pk,
        "job": Job.objects.first().pk,
        "alert": alert.pk,
        "webhooksubscription": subscription.pk,
        "webhookdelivery": delivery.pk,
        "apitoken": token.pk,
        "user": people["outsider"].pk,
        "group": Group.objects.first().pk,
    }
    return {"people": people, "ids": ids, "keys": keys}


def _perms(person: Any) -> set[str] | None:
    """The permissions a member of the cast holds (None: all of them)."""
    if person is None:
        return set()
    if person.is_superuser:
        return None
    return {p for group in person.groups.all() for p in ROLES.get(group.name, [])}


def _allows(person: Any, needed: Any) -> bool:
    if needed == OPEN:
        return True
    if needed == NEVER or person is None:
        return False
    held = _perms(person)
    if held is None:
        return True
    options = [needed] if isinstance(needed, str) else needed
    return any(p in held for p in options)


# --- the admin ---------------------------------------------------------------------------

OBJECT_ADMIN_VIEWS = ("change", "delete", "history", "simple_history")
# What ModelAdmins refuse whatever the permissions (read-only and append-only records).
READ_ONLY = {
    "sources.snapshot": {"add", "change"},
    "sources.citation": {"add", "change"},
    "claims.review": {"add", "change", "delete"},
    "claims.job": {"add", "change"},
    "claims.alert": {"add"},
    "claims.apitoken": {"add", "delete"},
    # Tools subscribe over the API; the desk sees subscriptions and ends them.
    "claims.webhooksubscription": {"add", "change"},
    "claims.webhookdelivery": {"add", "change", "delete"},
}


def _model_expectations(label: str, view: str, method: str) -> Any:
    app, model = label.split(".")
    view_or_change = [f"{app}.view_{model}", f"{app}.change_{model}"]
    if view in READ_ONLY.get(label, set()) and (view != "change" or method == "POST"):
        return NEVER
    if view in ("changelist", "history"):
        return view_or_change
    if view == "change":
        return view_or_change if method == "GET" else f"{app}.change_{model}"
    if view == "simple_history":
        # Shows an old version read-only; reverting from it is disabled for everyone.
        return view_or_change if method == "GET" else NEVER
    return f"{app}.{view}_{model}"


def _admin_cases(ids: dict[str, int]) -> list[tuple[str, str, str, Any, set[int]]]:
    """(url name, method, url, permission needed, statuses that mean "let through")."""
    ok = {200, 302}
    cases: list[tuple[str, str, str, Any, set[int]]] = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        app, name = label.split(".")
        pk = ids[name]
        urls = {
            "changelist": f"/admin/{app}/{name}/",
            "add": f"/admin/{app}/{name}/add/",
            "change": f"/admin/{app}/{name}/{pk}/change/",
            "delete": f"/admin/{app}/{name}/{pk}/delete/",
            "history": f"/admin/{app}/{name}/{pk}/history/",
        }
        history = getattr(model, "history", None)
        if history is not None and hasattr(admin.site._registry[model], "history_form_view"):
            version = history.filter(**{model._meta.pk.attname: pk}).first().history_id
            urls["simple_history"] = f"/admin/{app}/{name}/{pk}/history/{version}/"
        for view, url in urls.items():
            for method in ("GET", "POST"):
                needed = _model_expectations(label, view, method)
                cases.append((f"{app}_{name}_{view}", method, url, needed, ok))
        cases.append((f"{app}_{name}_redirect", "GET", f"/admin/{app}/{name}/{pk}/", OPEN, ok))
    claim, version = ids["claim"], ids["claim_history"]
    own = [
        (
            "claims_ingest",
            "/admin/claims/claim/ingest/",
            "sources.add_snapshot",
            "sources.add_snapshot",
        ),
        # Capturing happens on POST only; allowed people reach the citation lookup (404 here:
        # this claim's sentence cites nothing, so no fetch leaves the machine).
        (
            "claims_capture_citation",
            f"/admin/claims/claim/{ids['unreviewed']}/capture-citation/{ids['citation']}/",
            NEVER,
            "sources.add_snapshot",
        ),
        (
            "claims_claim_diff",
            f"/admin/claims/claim/{claim}/diff/",
            "claims.view_claim",
            "claims.view_claim",
        ),
        (
            "claims_claim_revert",
            f"/admin/claims/claim/{claim}/revert/{version}/",
            "claims.change_claim",
            "claims.change_claim",
        ),
    ]
    # The desk's pages (claims/desk/): reading a document needs the claim view permission;
    # the POST-only forms are open to the desk, and their services check the permission of
    # what is asked (a decision, evidence) when the form is filled in.
    own += [
        (
            "claims_document_review",
            f"/admin/claims/claim/document/{ids['document']}/review/",
            "claims.view_claim",
            "claims.view_claim",
        ),
        ("claims_page_decide", "/admin/claims/claim/decide/", NEVER, DESK),
        (
            "claims_evidence_from_selection",
            "/admin/claims/claim/evidence-from-selection/",
            NEVER,
            DESK,
        ),
        # Capturing the page a piece of evidence comes from ingests it: editors (an empty
        # form here, so nothing is fetched).
        (
            "claims_evidence_from_url",
            f"/admin/claims/claim/{ids['claim']}/evidence-from-url/",
            NEVER,
            "sources.add_snapshot",
        ),
        (
            "claims_job_ingested",
            f"/admin/claims/job/{ids['job']}/ingested/",
            *["claims.view_job"] * 2,
        ),
        ("claims_save_filter", "/admin/claims/claim/saved-filters/", NEVER, DESK),
        # Someone else's (here: no) saved view is not found, never deleted.
        ("claims_delete_filter", "/admin/claims/claim/saved-filters/999999/delete/", NEVER, DESK),
    ]
    for name, url, get_needs, post_needs in own:
        found_or_not = ("claims_capture_citation", "claims_delete_filter")
        statuses = {200, 302, 404} if name in found_or_not else ok
        cases.append((name, "GET", url, get_needs, statuses))
        cases.append((name, "POST", url, post_needs, statuses))
    desk = [DESK]
    site = [
        ("index", "/admin/", desk),
        ("login", "/admin/login/", OPEN),
        ("logout", "/admin/logout/", OPEN),
        ("password_change", "/admin/password_change/", "signed-in"),
        ("password_change_done", "/admin/password_change/done/", "signed-in"),
        ("jsi18n", "/admin/jsi18n/", desk),
        ("app_list", "/admin/claims/", desk),
        ("app_list", "/admin/sources/", desk),
        ("app_list", "/admin/auth/", "auth.view_user"),
        (
            "autocomplete",
            "/admin/autocomplete/?app_label=sources&model_name=document&field_name=source",
            "sources.view_source",
        ),
        (
            "auth_user_password_change",
            f"/admin/auth/user/{ids['user']}/password/",
            "auth.change_user",
        ),
    ]
    for name, url, needs in site:
        # Django 5 signs out on POST only; a GET of logout is no page to check.
        for method in ("POST",) if name == "logout" else ("GET", "POST"):
            read_only = name in GET_ONLY and method == "POST"
            cases.append((name, method, url, NEVER if read_only else needs, ok))
    return cases


# Site views that answer GET only (405 to a POST).
GET_ONLY = {"password_change_done", "jsi18n", "autocomplete"}
# Named admin URLs that are not pages a role is checked on, with the reason.
NOT_PAGES = {
    "view_on_site": "redirects to a model's get_absolute_url; no model here defines one",
    None: "Django's catch-all and object-id redirect patterns",
}


def _walk(patterns: list[Any]) -> list[str | None]:
    names: list[str | None] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            names.extend(_walk(p.url_patterns))
        elif isinstance(p, URLPattern):
            names.append(p.name)
    return names


def test_every_admin_url_is_in_the_walk(world):
    covered = {name for name, *_ in _admin_cases(world["ids"])}
    covered |= {n.rsplit("_", 1)[0] + "_simple_history" for n in covered if n.endswith("_change")}
    missing = {n for n in _walk(admin.site.urls[0]) if n not in covered and n not in NOT_PAGES}
    assert not missing, f"admin URLs with no line in the authorization walk: {sorted(missing)}"


def _verdict(response: Any) -> str:
    if response.status_code >= 500:
        return f"error {response.status_code}"
    if response.status_code == 302 and "/admin/login/" in response.get("Location", ""):
        return "refused"
    if response.status_code in (403, 405):
        return "refused"
    return str(response.status_code)


@pytest.mark.parametrize("role", CAST)
def test_every_admin_url_answers_each_role_as_the_table_says(world, role):
    person = world["people"][role]
    client = Client()
    if person is not None:
        client.force_login(person)
    wrong = []
    for name, method, url, needs, through in _admin_cases(world["ids"]):
        if needs == "signed-in":
            expected = person is not None and (role != "outsider" and role != "API reader")
        elif name in ("login", "logout"):
            expected = True
        else:
            expected = _allows(person, [DESK]) and _allows(person, needs)
        response = client.get(url) if method == "GET" else client.post(url, {})
        verdict = _verdict(response)
        got = verdict != "refused" and int(verdict) in through if verdict.isdigit() else False
        if verdict.startswith("error") or got != expected:
            want = "let through" if expected else "refused"
            wrong.append(f"{method} {url} ({name}): {verdict}, expected {want}")
        if name == "logout" and method == "POST" and person is not None:
            client.force_login(person)
    assert not wrong, "\n".join(wrong)


# --- the API -------------------------------------------------------------------------------

READ = "claims.view_claim"
# (route name, path, {method: permission needed}); any other method answers 405.
API = [
    ("root", "/api/v1/", {"GET": READ}),
    ("claim-list", "/api/v1/claims/", {"GET": READ}),
    ("claim-changes", "/api/v1/claims/changes/", {"GET": READ}),
    (
        "claim-detail",
        "/api/v1/claims/{claim}/",
        {"GET": READ, "PATCH": ["claims.review_claim", "claims.change_claim"]},
    ),
    ("claim-history", "/api/v1/claims/{claim}/history/", {"GET": DESK}),
    ("claim-evidence", "/api/v1/claims/{claim}/evidence/", {"GET": READ}),
    ("claim-provenance", "/api/v1/claims/{claim}/provenance/", {"GET": DESK}),
    ("claim-claimreview", "/api/v1/claims/{claim}/claimreview/", {"GET": READ}),
    ("claim-lineage", "/api/v1/claims/{claim}/lineage/", {"GET": READ}),
    # A claim's signed bundle holds its PROV document: who may read provenance.
    ("claim-bundle", "/api/v1/claims/{claim}/bundle/", {"GET": DESK}),
    ("source-list", "/api/v1/sources/", {"GET": "sources.view_source"}),
    ("source-detail", "/api/v1/sources/{source}/", {"GET": "sources.view_source"}),
    (
        "document-list",
        "/api/v1/documents/",
        {"GET": "sources.view_document", "POST": "sources.add_snapshot"},
    ),
    ("document-detail", "/api/v1/documents/{document}/", {"GET": "sources.view_document"}),
    # Its captures with their HTTP headers: snapshot metadata, the desk's.
    ("document-wacz", "/api/v1/documents/{document}/wacz/", {"GET": "sources.view_snapshot"}),
    ("job-detail", "/api/v1/jobs/{job}/", {"GET": "claims.view_job"}),
    ("alert-list", "/api/v1/alerts/", {"GET": "claims.view_alert"}),
    # A tool subscribes its own endpoint; whoever reads claims may (events are filtered by
    # what the subscriber's role may see). Ending one is a DELETE, which the walk skips.
    ("webhook-list", "/api/v1/webhooks/", {"GET": READ, "POST": READ}),
    ("webhook-detail", "/api/v1/webhooks/{webhooksubscription}/", {}),
    ("export", "/api/v1/export/?format=csv", {"GET": READ}),
    ("export-bundle", "/api/v1/export/bundle/", {"GET": READ}),
    ("schema", "/api/v1/schema/", {"GET": OPEN}),
    ("docs", "/api/v1/docs/", {"GET": OPEN}),
]
BODIES = {
    "PATCH": {"subject": "evacuated people", "rationale": "clearer subject"},
    "POST": {"text": "On Monday 12 shelters opened.", "source": "Matrix", "title": "Matrix"},
}
# Routes whose POST takes another body than a document's.
ROUTE_BODIES = {
    "webhook-list": {"url": "https://example.org/matrix-hook", "events": ["claim.verified"]},
}


def test_every_api_route_is_in_the_walk():
    from claims.api import urls

    routes = {p.name for p in urls.urlpatterns}
    assert routes == {name for name, _, _ in API}


def _api_client(world: dict[str, Any], role: str) -> APIClient:
    client = APIClient()
    person = world["people"][role]
    if role in world["keys"]:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['keys'][role]}")
    elif person is not None:
        client.force_login(person)
    return client


@pytest.mark.parametrize("role", CAST)
def test_every_api_operation_answers_each_role_as_the_table_says(world, role):
    person = world["people"][role]
    if role in world["keys"]:
        person = ApiToken.objects.get(name=f"matrix {role.lower().replace(' ', '-')}").user
    client = _api_client(world, role)
    wrong = []
    for name, path, methods in API:
        url = path.format(**world["ids"])
        for method in ("GET", "POST", "PATCH"):
            headers = {}
            if method == "PATCH":
                etag = _api_client(world, "superuser").get(url).get("ETag", "")
                headers["HTTP_IF_MATCH"] = etag
            body = ROUTE_BODIES.get(name, {}) if method == "POST" else {}
            response = getattr(client, method.lower())(
                url, body or BODIES.get(method), format="json", **headers
            )
            code = response.status_code
            needs = methods.get(method)
            if needs is None:
                open_route = OPEN in methods.values()
                expected = {401} if person is None and not open_route else {405}
            elif _allows(person, needs):
                expected = {200, 201, 202}
            else:
                expected = {401} if person is None else {403}
            if code not in expected:
                wrong.append(f"{method} {url}: {code}, expected {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


def test_api_readers_see_no_unverified_claim_and_no_snapshot_metadata(world):
    reader = _api_client(world, "API reader")
    desk = _api_client(world, "Fact-checker")

    assert reader.get(f"/api/v1/claims/{world['ids']['unreviewed']}/").status_code == 404
    document = f"/api/v1/documents/{world['ids']['document']}/"
    assert "snapshots" not in reader.get(document).json()
    assert desk.get(document).json()["snapshots"][0]["sha256"]
