"""The embedded broker: kombu's filesystem transport with messages that appear whole.

kombu's filesystem transport writes a message file in place, and a consumer polling the
folder can move it away before its bytes are written: it then reads an empty message and the
worker stops on a JSON error (seen under load with a job worker and the periodic worker on one
folder). Here a message is written under a name no consumer looks for and renamed into place;
a rename within one folder is atomic, so a consumer sees a complete message or none.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

ALIAS = "embeddedfs"


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Consumers take only "<stamp>_<uuid>.<queue>.msg"; ".writing-..." is never theirs.
        partial = os.path.join(self.data_folder_out, f".writing-{uuid.uuid4()}")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def register() -> None:
    """Make ``embeddedfs://`` name this transport (in every process that loads the app)."""
    TRANSPORT_ALIASES.setdefault(ALIAS, "config.broker:Transport")
