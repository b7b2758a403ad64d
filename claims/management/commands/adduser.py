"""python manage.py adduser USERNAME --role ROLE : a staff account in one of the roles."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from claims.roles import ROLE_NAMES


class Command(BaseCommand):
    help = "Create a staff user in a role: editor, fact-checker or api-reader."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
        parser.add_argument("--password", help="prompted for when not given")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already; choose another name.")
        group = Group.objects.filter(name=ROLE_NAMES[options["role"]]).first()
        if group is None:
            raise CommandError("The roles are missing: run `python manage.py migrate` first.")
        password = options["password"] or self._prompt()
        candidate = User(username=username, email=options["email"])
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, email=options["email"], password=password, is_staff=True
            )
            user.groups.add(group)
        self.stdout.write(f"Created {username} ({group.name}).")

    def _prompt(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        return password
