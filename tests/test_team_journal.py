"""The team library's local journal (the SQLite file of writes waiting for the server).

Several readers are started at once against one data directory; each creates or opens the
journal. The first switches the new file to WAL and creates its tables while the others must
wait for it, never fail with "database is locked" (a CI run once failed that way).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from brief_tui.library.store.postgres.journal import Journal

OPEN_AND_WRITE = """
import sys
from pathlib import Path
from brief_tui.library.store.postgres.journal import Journal
start = Path(sys.argv[2])
while not start.exists():
    pass
j = Journal(Path(sys.argv[1]), "postgresql://team@db/lib")
for i in range(20):
    j.add("ann", sys.argv[3], "add", "b1", f"{sys.argv[3]}-{i}", {"n": i})
print("ok")
"""


def test_many_processes_open_a_new_journal_at_once(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    start = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_WRITE, str(path), str(start), f"s{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    start.write_text("")
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "ok"
    j = Journal(path, "postgresql://team@db/lib")
    rows = j.conn.execute("SELECT count(*) FROM pending").fetchone()[0]
    assert rows == 8 * 20
