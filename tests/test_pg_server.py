"""The test server itself: started by the suite, listening on 127.0.0.1 only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_server_answers_on_loopback_with_a_database_per_test(pg_url: str, pg_server) -> None:
    import psycopg

    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT current_database(), inet_server_addr()::text, "
            "current_setting('server_version_num')::int"
        ).fetchone()
    assert row is not None
    assert row[0].startswith("t_")
    assert row[1] in ("127.0.0.1/32", "127.0.0.1")
    assert row[2] >= 150000
    assert pg_url != pg_server.create_database()
