"""Webhook subscriptions over the API: a tool subscribes its endpoint to events and gets the
Standard Webhooks secret once (claims.custody.webhooks)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.base import ApiView
from claims.api.problems import Unprocessable
from claims.custody.models import WebhookEvent, WebhookSubscription
from claims.custody.webhooks import (
    SubscriptionForbidden,
    SubscriptionRefused,
    webhook_subscribe,
)
from claims.models import ApiToken

PERMS = ["claims.view_claim"]


class SubscriptionIn(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.values), min_length=1, max_length=4
    )


class SubscriptionOut(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "active", "created_at"]


class SubscriptionCreated(SubscriptionOut):
    class Meta(SubscriptionOut.Meta):
        fields = [*SubscriptionOut.Meta.fields, "secret"]


def _own(request: Request) -> object:
    return WebhookSubscription.objects.filter(owner=request.user)


class WebhookListView(ApiView):
    required_perms = {"GET": PERMS, "POST": PERMS}

    @extend_schema(operation_id="webhooks_list", responses={200: SubscriptionOut(many=True)})
    def get(self, request: Request) -> Response:
        return Response(SubscriptionOut(_own(request).order_by("id"), many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        request=SubscriptionIn,
        responses={
            201: OpenApiResponse(SubscriptionCreated, "The subscription, with its secret (once)."),
            403: OpenApiResponse(description="An event the token's role may not see."),
            422: OpenApiResponse(description="A target no capture may reach."),
        },
    )
    def post(self, request: Request) -> Response:
        given = SubscriptionIn(data=request.data)
        given.is_valid(raise_exception=True)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        try:
            subscription = webhook_subscribe(
                owner=request.user, token=token, **given.validated_data
            )
        except SubscriptionForbidden as refused:
            raise PermissionDenied(str(refused)) from None
        except SubscriptionRefused as refused:
            raise Unprocessable(str(refused)) from None
        return Response(SubscriptionCreated(subscription).data, status=201)


class WebhookDetailView(ApiView):
    required_perms = {"DELETE": PERMS}

    @extend_schema(operation_id="webhooks_destroy", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        found = _own(request).filter(pk=pk).first()
        if found is None:
            raise Http404(f"You have no webhook subscription {pk}.")
        found.delete()
        return Response(status=204)
