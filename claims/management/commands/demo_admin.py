"""python manage.py demo_admin : the local demo's admin account and API token.

The password is made once, kept in VAR_DIR/demo-admin.txt (outside git) and printed on every
run, so `make run` can be repeated without creating a second account or losing the password.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Create (once) the demo superuser and its API token, and print the credentials."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        secret_file = settings.VAR_DIR / "demo-admin.txt"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None and secret_file.exists():
            password = secret_file.read_text(encoding="utf-8").strip()
        else:
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser(username=username, password=password)
            else:  # the account exists but its password was lost with var/: set a new one
                user.set_password(password)
                user.save()
            secret_file.parent.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(password + "\n", encoding="utf-8")
            secret_file.chmod(0o600)
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(
            "Demo admin account (local use only):\n"
            f"  username: {username}\n"
            f"  password: {password}\n"
            f"  API token: {token.key}\n"
        )
