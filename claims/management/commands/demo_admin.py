"""python manage.py demo_admin : the local demo's admin account and an API key for the tour.

The password and key are made once, kept in VAR_DIR/demo-admin.json (outside git, readable by
the owner only) and printed on every run, so `make run` can be repeated without creating a
second account or losing them. Keys are stored hashed in the database: this file is the only
place the demo key can be read again.
"""

from __future__ import annotations

import json
import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from claims.models import ApiToken
from claims.tokens import hash_key, issue_token

DEMO_TOOL = "demo-tool"


class Command(BaseCommand):
    help = "Create (once) the demo superuser and a demo API key, and print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        secret_file = settings.VAR_DIR / "demo-admin.json"
        saved = json.loads(secret_file.read_text()) if secret_file.exists() else {}
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = saved.get("password") if user is not None else None
        if not password:
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser(username=username, password=password)
            else:  # the account exists but its password was lost with var/: set a new one
                user.set_password(password)
                user.save()
        key = saved.get("api_key")
        if not key or not ApiToken.objects.filter(key_hash=hash_key(key)).exists():
            # The key was lost with var/: replace the demo tool (its user owns its token).
            for token in ApiToken.objects.filter(name=DEMO_TOOL).select_related("user"):
                token.user.delete()
            _, key = issue_token(DEMO_TOOL, "fact-checker")
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(json.dumps({"password": password, "api_key": key}))
        secret_file.chmod(0o600)
        site = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        self.stdout.write(
            "Demo accounts (local use only):\n"
            f"  admin:   {username} / {password}   {site}/admin/\n"
            f"  API key: {key}   (tool '{DEMO_TOOL}', fact-checker)\n"
            f"  try:     curl -H 'Authorization: Bearer {key}' {site}/api/v1/claims/\n"
        )
