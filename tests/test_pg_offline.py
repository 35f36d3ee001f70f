"""The team library with its server stopped and started again (a real PostgreSQL server of
the test's own), and the commands that name a team library: push, pull, listing, export."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brief_tui.briefing import briefing_from_text
from brief_tui.library.store import NotYours, Store
from brief_tui.library.store.factory import open_library
from brief_tui.library.store.postgres import PgStore
from brief_tui.library.store.postgres.offline import TeamLibrary, open_team_library

pytestmark = pytest.mark.slow

TEXT = (
    "North Korea has sent troops to Russia, South Korea's spy agency said. "
    "The Kremlin declined to comment.\n"
)


def _until(check: object, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_server_down_and_back_nothing_lost_nothing_twice(own_server, tmp_path: Path) -> None:
    url = own_server.create_database()  # type: ignore[attr-defined]
    b = briefing_from_text(TEXT, "/briefs/a.txt")
    lib = open_team_library(url, analyst="ann", data_dir=tmp_path / "d", retry_s=0.2)
    assert isinstance(lib, TeamLibrary) and lib.online and lib.warning is None
    lib.add_briefing(b)
    kept = lib.add_annotation(b.id, "note", start=0, end=11, note="before")
    with PgStore.open(url, analyst="bob") as bob:
        bobs = bob.add_annotation(b.id, "grade", target_type="source", target_id="s1", grade="B")
    lib.annotations(b.id)  # (what was last read is shown while offline)

    own_server.stop()  # type: ignore[attr-defined]
    offline = lib.add_annotation(b.id, "highlight", start=12, end=15, meaning="key")
    assert not lib.online
    assert lib.warning is not None and "cannot be reached" in lib.warning
    assert "working offline" in lib.warning
    edited = lib.update_annotation(kept.id, note="edited offline")
    gone = lib.add_annotation(b.id, "note", start=20, end=25, note="deleted offline")
    lib.delete_annotation(gone.id)
    with pytest.raises(NotYours):
        lib.delete_annotation(bobs.id)
    assert [a.id for a in lib.annotations(b.id)] == [kept.id, offline.id, bobs.id]
    assert lib.annotation(kept.id) == edited
    undone = lib.add_annotation(b.id, "note", start=30, end=35, note="undone offline")
    assert lib.undo() == "undid: add (not sent yet)"
    assert undone.id not in [a.id for a in lib.annotations(b.id)]
    # another reader opened while the server is down still opens, and keeps its note too
    second = open_library(url, analyst="ann", data_dir=tmp_path / "d2")
    assert isinstance(second, TeamLibrary) and not second.online
    assert second.warning is not None and "cannot be reached" in second.warning
    second.add_briefing(b)
    from_second = second.add_annotation(b.id, "note", start=40, end=45, note="second reader")
    assert lib.pending_count() == 4  # add, edit, add, delete (the undone one is gone)

    own_server.start()  # type: ignore[attr-defined]
    assert _until(lambda: lib.online and lib.pending_count() == 0)
    second.close()  # (its retry thread had 2 s between tries: closing does not wait)
    second = open_library(url, analyst="ann", data_dir=tmp_path / "d2")
    assert isinstance(second, TeamLibrary) and second.online and second.pending_count() == 0
    with PgStore.open(url, analyst="carol") as check:
        notes = {a.id: a for a in check.annotations(b.id)}
    assert set(notes) == {kept.id, offline.id, bobs.id, from_second.id}
    assert notes[kept.id].note == "edited offline" and notes[offline.id].author == "ann"
    assert lib.warning is None
    lib.flush()  # sent again: nothing changes
    with PgStore.open(url, analyst="carol") as check:
        assert len(check.annotations(b.id)) == 4
    lib.close()
    second.close()


def test_a_write_sent_twice_is_applied_once(pg_url: str) -> None:
    """A write whose confirmation was lost is sent again from the journal: the server
    remembers its id and skips it."""
    with PgStore.open(pg_url, analyst="ann") as s:
        b = briefing_from_text(TEXT, "x")
        s.add_briefing(b)
        a = s.add_annotation(b.id, "note", start=0, end=5, note="one")
        s.apply_update(a.id, {"note": "two"}, write_id="w-1")
        s.update_annotation(a.id, note="three")  # a later edit...
        s.apply_update(a.id, {"note": "two"}, write_id="w-1")  # ...not undone by a replay
        assert s.annotation(a.id).note == "three"  # type: ignore[union-attr]
        s.apply_delete(a.id, write_id="w-2")
        again = s.insert_annotation(a, write_id="w-3")
        assert s.insert_annotation(again, write_id="w-3") == again
        assert [x.id for x in s.annotations(b.id)] == [a.id]


# -- the commands -------------------------------------------------------------------------------
def _cli(
    *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {
        **os.environ,
        "HOME": str(home),
        "BRIEF_TUI_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    base.pop("BRIEF_TUI_LIBRARY", None)
    return subprocess.run(
        [sys.executable, "-m", "brief_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **(env or {})},
        check=False,
    )


def test_push_and_pull_are_idempotent(pg_url: str, tmp_path: Path) -> None:
    b = briefing_from_text(TEXT, "/briefs/a.txt")
    with Store.open(tmp_path / "data") as local:
        local.add_briefing(b)
        n = local.add_annotation(b.id, "note", start=0, end=11, note="mine")
        local.add_annotation(b.id, "grade", target_type="source", target_id="s1", grade="C")
    done = _cli("library", "push", "--to", pg_url, "--analyst", "ann", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 briefings and 2 annotations copied, 0 updated" in done.stderr
    again = _cli("library", "push", "--to", pg_url, "--analyst", "ann", home=tmp_path)
    assert "0 briefings and 0 annotations copied, 0 updated (changed since), 2 already there" in (
        again.stderr
    )
    with PgStore.open(pg_url, analyst="bob") as team:
        notes = team.annotations(b.id)
        assert [a.author for a in notes] == ["ann", "ann"] and notes[0].id == n.id
        bobs = team.add_annotation(b.id, "highlight", start=12, end=15)
    elsewhere = tmp_path / "laptop"
    pulled = _cli("library", "pull", "--from", pg_url, home=elsewhere)
    assert pulled.returncode == 0, pulled.stderr
    assert "1 briefings and 3 annotations copied" in pulled.stderr
    assert (
        "0 briefings and 0 annotations copied, 0 updated (changed since), 3"
        in _cli("library", "pull", "--from", pg_url, home=elsewhere).stderr
    )
    # pull keeps who made each note
    with Store.open(elsewhere / "data") as laptop:
        assert sorted(a.author or "" for a in laptop.annotations(b.id)) == ["ann", "ann", "bob"]
        # offline on the laptop: ann's note edited, bob's highlight touched too
        laptop.update_annotation(n.id, note="mine, edited offline")
        laptop.update_annotation(bobs.id, meaning="doubt")
    pushed = _cli("library", "push", "--to", pg_url, "--analyst", "ann", home=elsewhere)
    assert pushed.returncode == 0, pushed.stderr
    assert "0 annotations copied, 1 updated (changed since), 1 already there, 1 of other" in (
        pushed.stderr
    )
    twice = _cli("library", "push", "--to", pg_url, "--analyst", "ann", home=elsewhere)
    assert "0 annotations copied, 0 updated (changed since), 2 already there, 1 of other" in (
        twice.stderr
    )
    with PgStore.open(pg_url, analyst="bob") as team:
        assert team.annotation(n.id).note == "mine, edited offline"  # type: ignore[union-attr]
        assert team.annotation(n.id).author == "ann"  # type: ignore[union-attr]
        assert team.annotation(bobs.id).meaning is None  # type: ignore[union-attr]
        team.update_annotation(bobs.id, note="bob's word")
    # a pull brings the team's later changes over the laptop's copy, once
    assert (
        "0 annotations copied, 1 updated"
        in _cli("library", "pull", "--from", pg_url, home=elsewhere).stderr
    )
    assert (
        "0 annotations copied, 0 updated"
        in _cli("library", "pull", "--from", pg_url, home=elsewhere).stderr
    )
    with Store.open(elsewhere / "data") as laptop:
        assert laptop.annotation(bobs.id).note == "bob's word"  # type: ignore[union-attr]
        assert laptop.annotation(n.id).note == "mine, edited offline"  # type: ignore[union-attr]

    listed = _cli("library", "--json", "--library", pg_url, home=tmp_path / "x")
    assert listed.returncode == 0, listed.stderr
    assert b.id in listed.stdout and listed.stderr == ""
    by_env = _cli("library", "--json", home=tmp_path / "y", env={"BRIEF_TUI_LIBRARY": pg_url})
    assert b.id in by_env.stdout


def test_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    from tests.pg import free_port

    url = f"postgresql://ann:s3cret@127.0.0.1:{free_port()}/team"
    done = _cli("library", "push", "--to", url, home=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0] and "Traceback" not in done.stderr
    assert "s3cret" not in done.stderr and "ann@127.0.0.1" in lines[0]
    listed = _cli("library", "--library", url, home=tmp_path)  # the listing works offline
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert "working offline" in listed.stderr and "s3cret" not in listed.stderr


def test_notes_followed_live_are_shown_offline(pg_url: str, tmp_path: Path) -> None:
    """The notes a reader followed by their changes (not by reading them all again) are the
    ones it shows when the server goes away (here: the link told so, as a failed call does;
    the tests above stop a real server)."""
    url = pg_url
    b = briefing_from_text(TEXT, "/briefs/a.txt")
    lib = open_team_library(url, analyst="ann", data_dir=tmp_path / "d", retry_s=600)
    assert isinstance(lib, TeamLibrary)
    lib.add_briefing(b)
    first = lib.annotation_changes(b.id)
    with PgStore.open(url, analyst="bob") as bob:
        bobs = bob.add_annotation(b.id, "note", start=0, end=5, note="bob's")
        gone = bob.add_annotation(b.id, "note", start=6, end=9, note="deleted")
        seen = lib.annotation_changes(b.id, first.mark)
        bob.delete_annotation(gone.id)
    assert [a.id for a in seen.notes] == [bobs.id, gone.id] and not seen.complete
    assert lib.annotation_changes(b.id, seen.mark).removed == [gone.id]
    lib.link.went_down("stopped")
    assert [a.id for a in lib.annotations(b.id)] == [bobs.id]
    offline = lib.annotation_changes(b.id, seen.mark)
    assert offline.complete and [a.id for a in offline.notes] == [bobs.id]
    lib.close()
