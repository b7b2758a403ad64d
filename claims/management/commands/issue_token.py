"""python manage.py issue_token NAME --role api-reader|fact-checker : a tool's API key."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.roles import ROLE_NAMES
from claims.tokens import TOKEN_ROLES, TokenError, issue_token


class Command(BaseCommand):
    help = "Issue an API key for a tool, in a role. The key is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the tool the key is for, e.g. 'newsroom-dashboard'")
        parser.add_argument("--role", required=True, choices=TOKEN_ROLES)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Group.objects.filter(name=ROLE_NAMES[options["role"]]).exists():
            raise CommandError("The roles are missing: run `python manage.py migrate` first.")
        try:
            token, key = issue_token(options["name"], options["role"])
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"API token {token.name!r} ({ROLE_NAMES[options['role']]}, user {token.user}).\n"
            "Copy the key now: it is stored hashed and cannot be shown again.\n"
            f"  {key}\n"
            f"Use it as:  Authorization: Bearer {key}\n"
        )
