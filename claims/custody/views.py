"""The public half of the export signing key, at a well-known URL anyone may read."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from claims.custody import signing

SIGNING_KEY_PATH = ".well-known/claim-verifier/signing-key.json"


def signing_key_document(request: HttpRequest) -> JsonResponse:
    try:
        document = signing.public_key_document()
    except (signing.SigningKeyMissing, signing.SigningKeyInvalid) as error:
        return JsonResponse({"detail": str(error)}, status=503)
    response = JsonResponse(document)
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
