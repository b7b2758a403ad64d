"""The embedded broker (config/broker.py): a consumer sees whole messages or none."""

from __future__ import annotations

import kombu

from config import broker


def test_a_message_being_written_is_invisible_and_a_written_one_arrives_whole(tmp_path):
    broker.register()
    (tmp_path / "q").mkdir()
    options = {"data_folder_in": str(tmp_path / "q"), "data_folder_out": str(tmp_path / "q")}
    # What a consumer found half-written before: an empty file. Ours carry a name no
    # consumer takes until the rename.
    (tmp_path / "q" / ".writing-half-done").write_bytes(b"")
    with kombu.Connection("embeddedfs://localhost/", transport_options=options) as connection:
        queue = kombu.Queue("jobs", routing_key="jobs")
        connection.Producer().publish({"job_id": 7}, routing_key="jobs", declare=[queue])
        assert not [p for p in (tmp_path / "q").iterdir() if p.name.startswith(".writing-")][1:]
        with connection.SimpleQueue(queue) as simple:
            message = simple.get(timeout=2)
            assert message.payload == {"job_id": 7}
            message.ack()
