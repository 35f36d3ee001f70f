"""Re-anchoring annotations when a briefing's text changes (W3C-style selectors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from brief_tui.briefing import briefing_from_text
from brief_tui.library.anchoring import Selector, make_selector
from brief_tui.library.reanchor import reanchor, reanchor_all
from brief_tui.library.store import Store

BASE = (
    "SEOUL, Oct 23 (Reuters) - South Korea's spy agency said on Wednesday that North Korea "
    "has sent about 3,000 troops to Russia this month. Lawmaker Lee Seong-kweun told "
    "reporters after a briefing by the National Intelligence Service that the troops were "
    "being trained to use drones. The Kremlin declined to comment on the report.\n"
    "Ukraine's defence intelligence said the first units reached the Kursk region.\n"
)


def sel_of(text: str, quote: str, nth: int = 0) -> Selector:
    i = -1
    for _ in range(nth + 1):
        i = text.index(quote, i + 1)
    return make_selector(text, i, i + len(quote))


def test_make_selector_context_is_32_chars() -> None:
    s = sel_of(BASE, "about 3,000 troops")
    assert s.exact == "about 3,000 troops"
    assert len(s.prefix) == 32 and BASE[s.start - 32 : s.start] == s.prefix
    assert len(s.suffix) == 32 and BASE[s.end : s.end + 32] == s.suffix
    start = make_selector(BASE, 0, 5)
    assert start.prefix == "" and start.exact == "SEOUL"
    end = make_selector(BASE, len(BASE) - 3, len(BASE))
    assert end.suffix == ""
    with pytest.raises(ValueError):
        make_selector(BASE, 5, len(BASE) + 1)
    with pytest.raises(ValueError):
        make_selector(BASE, 6, 5)


def test_unchanged_text_keeps_position() -> None:
    s = sel_of(BASE, "trained to use drones")
    assert reanchor(BASE, s) == (s.start, s.end)


def test_text_inserted_before_quote() -> None:
    s = sel_of(BASE, "trained to use drones")
    insert = "UPDATE: adds Kremlin reaction in paragraph 3.\n\n"
    new = insert + BASE
    assert reanchor(new, s) == (s.start + len(insert), s.end + len(insert))


def test_text_inserted_inside_context_only() -> None:
    s = sel_of(BASE, "trained to use drones")
    new = BASE.replace("the troops were being", "the soldiers, it said, were being")
    found = reanchor(new, s)
    assert found is not None and new[found[0] : found[1]] == "trained to use drones"


def test_typo_fixed_inside_quote() -> None:
    old = BASE.replace("Intelligence Service", "Inteligence Servcie")
    s = sel_of(old, "National Inteligence Servcie that the troops")
    found = reanchor(BASE, s)
    assert found is not None
    assert BASE[found[0] : found[1]] == "National Intelligence Service that the troops"


def test_typo_fixed_and_text_moved() -> None:
    old = BASE.replace("drones", "droens")
    s = sel_of(old, "being trained to use droens")
    new = "Correction appended below.\n" + BASE
    found = reanchor(new, s)
    assert found is not None
    assert new[found[0] : found[1]] == "being trained to use drones"


def test_quote_deleted_is_orphan() -> None:
    s = sel_of(BASE, "The Kremlin declined to comment on the report.")
    new = BASE.replace(" The Kremlin declined to comment on the report.", "")
    assert reanchor(new, s) is None


def test_short_quote_deleted_is_orphan_not_matched_elsewhere() -> None:
    s = sel_of(BASE, "Kursk")
    new = BASE.replace("reached the Kursk region", "reached the front")
    assert reanchor(new, s) is None


def test_empty_quote_is_orphan() -> None:
    assert reanchor(BASE, make_selector(BASE, 10, 10)) is None


REPEATED = (
    "Officials said the figure was not confirmed. Seoul put the number at 3,000.\n"
    "Kyiv gave its own estimate later in the day, and again officials said the figure was "
    "not confirmed by any other government.\n"
)


def test_quote_twice_picks_the_annotated_one_after_insertion() -> None:
    quote = "said the figure was not confirmed"
    first, second = sel_of(REPEATED, quote, 0), sel_of(REPEATED, quote, 1)
    # insert exactly as much as moves the first occurrence onto the second's old place
    shift = second.start - first.start
    new = ("x" * (shift - 1)) + "\n" + REPEATED
    assert new[second.start : second.end] == quote  # the first occurrence is now there
    assert reanchor(new, second) == (second.start + shift, second.end + shift)
    assert reanchor(new, first) == (first.start + shift, first.end + shift)


def test_quote_twice_with_identical_context_picks_nearest() -> None:
    para = "The ministry said nothing. " * 2
    text = "Intro. " + para + "Middle part of the text here. " + para
    quote = "The ministry said nothing."
    last = sel_of(text, quote, 3)
    new = text.replace("Intro. ", "A longer introduction. ")
    found = reanchor(new, last)
    assert found is not None
    assert found[0] == new.rindex(quote)


def test_quote_twice_one_removed_keeps_the_other() -> None:
    quote = "said the figure was not confirmed"
    second = sel_of(REPEATED, quote, 1)
    new = REPEATED.replace(
        "and again officials said the figure was not confirmed by", "confirmed by"
    )
    found = reanchor(new, second)
    # the remaining occurrence is the only exact match: it is taken
    assert found is not None and new[found[0] : found[1]] == quote


def test_fuzzy_match_bounded_in_errors() -> None:
    s = sel_of(BASE, "the troops were being trained to use drones")
    rewritten = BASE.replace(
        "the troops were being trained to use drones", "soldiers are learning how to fly UAVs"
    )
    assert reanchor(rewritten, s) is None


def test_large_text_far_move(tmp_path: Path) -> None:
    filler = "Unrelated paragraph about the weather and the markets. " * 2000
    old = filler + BASE + filler
    s = sel_of(old, "Lawmaker Lee Seong-kweun told")
    new = BASE.replace("Lee Seong-kweun", "Lee Seong-kwon") + filler + filler
    found = reanchor(new, s)
    assert found is not None
    assert new[found[0] : found[1]] == "Lawmaker Lee Seong-kwon told"


def _store_with(tmp_path: Path, text: str, origin: str) -> tuple[Store, str]:
    store = Store.open(tmp_path / "data")
    b = briefing_from_text(text, origin)
    store.add_briefing(b)
    return store, b.id


def test_reanchor_all_moves_and_flags_orphans(tmp_path: Path) -> None:
    origin = str(tmp_path / "brief.txt")
    store, old_id = _store_with(tmp_path, BASE, origin)
    q1 = sel_of(BASE, "trained to use drones")
    q2 = sel_of(BASE, "The Kremlin declined to comment on the report.")
    a1 = store.add_annotation(old_id, "highlight", start=q1.start, end=q1.end, meaning="key")
    a2 = store.add_annotation(old_id, "note", start=q2.start, end=q2.end, note="check TASS")
    a3 = store.add_annotation(old_id, "grade", target_type="claim", target_id="c1", grade="2")
    store.delete_annotation(a3.id)  # leaves an undo entry for the old briefing

    new_text = "Updated at 10:00.\n" + BASE.replace(
        " The Kremlin declined to comment on the report.", ""
    )
    new_b = briefing_from_text(new_text, origin)
    assert [b.id for b in store.briefings_from_origin(origin)] == [old_id]
    report = reanchor_all(store, old_id, new_b)
    assert (report.moved, report.anchored, report.orphaned) == (2, 1, 1)

    anns = store.annotations(new_b.id)
    assert [a.id for a in anns] == [a1.id, a2.id]  # orphan last
    moved1, orphan = anns
    assert not moved1.orphan and new_text[moved1.start : moved1.end] == "trained to use drones"  # type: ignore[index]
    assert moved1.prefix == new_text[moved1.start - 32 : moved1.start]  # type: ignore[operator]
    assert orphan.orphan and orphan.exact == q2.exact and orphan.note == "check TASS"
    assert store.annotations(old_id) == []
    assert store.get_briefing(old_id) is None
    assert [b.id for b in store.briefings_from_origin(origin)] == [new_b.id]
    # the undo history came along: undoing the delete brings the grade back on the new id
    assert store.undo() is not None
    assert {a.id for a in store.annotations(new_b.id)} == {a1.id, a2.id, a3.id}


def test_reanchor_all_orphan_found_again_later(tmp_path: Path) -> None:
    origin = str(tmp_path / "brief.txt")
    store, id1 = _store_with(tmp_path, BASE, origin)
    q = sel_of(BASE, "The Kremlin declined to comment on the report.")
    a = store.add_annotation(id1, "highlight", start=q.start, end=q.end)
    v2 = briefing_from_text(BASE.replace(q.exact, "[removed]"), origin)
    assert reanchor_all(store, id1, v2).orphaned == 1
    v3 = briefing_from_text("Back again.\n" + BASE, origin)
    report = reanchor_all(store, v2.id, v3, keep_old=True)
    assert report.anchored == 1 and report.orphaned == 0
    (back,) = store.annotations(v3.id)
    assert back.id == a.id and not back.orphan
    assert v3.text[back.start : back.end] == q.exact  # type: ignore[index]
    assert store.get_briefing(v2.id) is not None  # kept on request


def test_reanchor_all_same_id_is_a_no_op(tmp_path: Path) -> None:
    store, bid = _store_with(tmp_path, BASE, "x")
    b = store.get_briefing(bid)
    assert b is not None
    assert reanchor_all(store, bid, b).moved == 0
