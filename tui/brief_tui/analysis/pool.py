"""Many briefings analysed on every core: a pool of analysis processes of our own.

Each process loads the model once, then takes one briefing at a time (id, title, text) and
answers with the analysis in the compact form of the analysis cache
(``Analysis.to_cache(with_text=False)``: the caller has the text). The processes are started
from a clean interpreter (``forkserver``, else ``spawn``: never a fork of a process that may
run threads), run at a lower priority (``os.nice``) so that a reader open meanwhile keeps its
keys, ignore Ctrl-C (the caller decides what stops) and end with their parent.

One briefing at a time per process, and the next one is sent as soon as a result comes
back: a process never waits long for work, and the parent never holds more texts than there
are processes (two sends in flight could also block each other on full pipes).

No store here (the analysis layer never imports the library): the caller stores the results.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkServerContext, SpawnContext
    from multiprocessing.process import BaseProcess

#: how much lower than the caller the analysis processes run (see ``os.nice``)
NICE = 10


@dataclass(frozen=True, slots=True)
class Job:
    """One briefing to analyse."""

    briefing_id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Loaded:
    """The model the processes loaded (reported once, by the first process to load it)."""

    model: str
    version: str
    #: the model's files differ from the tested ones ("" when they do not)
    warning: str


@dataclass(frozen=True, slots=True)
class Done:
    """A briefing analysed: ``cache`` is ``Analysis.to_cache(with_text=False)``."""

    job: Job
    cache: dict[str, Any]
    seconds: float


@dataclass(frozen=True, slots=True)
class Failed:
    """A briefing whose analysis failed (the process may have died on it)."""

    job: Job
    message: str


class PoolModelError(Exception):
    """The model could not be loaded; the message says how to install one."""


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def _context() -> ForkServerContext | SpawnContext:
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


# ---------------------------------------------------------------------------- the processes
def _worker(conn: Connection, model: str | None, nice: int) -> None:
    """An analysis process: load the model, then answer jobs until told to end."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from .lifeline import die_with_parent

    die_with_parent()
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    from .nlp import ModelUnavailable, load_model
    from .pipeline import analyze

    try:
        loaded = load_model(model)
    except ModelUnavailable as e:
        conn.send(("model", str(e)))
        return
    conn.send(("loaded", loaded.name, loaded.version, loaded.warning))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        briefing_id, title, text = job
        began = time.perf_counter()
        try:
            result = analyze(text, title=title, briefing_id=briefing_id, model=loaded)
            answer: tuple[Any, ...] = (
                "done",
                briefing_id,
                result.to_cache(with_text=False),
                time.perf_counter() - began,
            )
        except Exception as e:  # noqa: BLE001 - reported for this briefing; the next goes on
            answer = ("failed", briefing_id, f"{type(e).__name__}: {e}")
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    job: Job | None = None
    ready: bool = False


def analyse_many(
    jobs: Iterable[Job],
    *,
    processes: int | None = None,
    model: str | None = None,
    nice: int = NICE,
    on_loaded: Callable[[Loaded], None] | None = None,
) -> Generator[Done | Failed, None, None]:
    """Analyse ``jobs`` in ``processes`` processes (default: one per core), yielding each
    result as it comes (not in the order given). ``jobs`` is read lazily, one job per free
    process. Raises :class:`PoolModelError` when no process can load the model. Closing
    the iterator (or an exception in the caller, Ctrl-C included) ends the processes at
    once; the jobs still running are dropped."""
    n = max(1, processes or cpu_count())
    ctx = _context()
    pending = iter(jobs)
    slots: list[_Slot] = []
    announced = False
    exhausted = False

    def start() -> _Slot:
        parent_end, child_end = ctx.Pipe()
        proc = ctx.Process(
            target=_worker, args=(child_end, model, nice), name="brief-tui-analysis", daemon=True
        )
        proc.start()
        child_end.close()
        return _Slot(proc, parent_end)

    def feed(slot: _Slot) -> None:
        nonlocal exhausted
        slot.job = None
        if exhausted:
            return
        job = next(pending, None)
        if job is None:
            exhausted = True
            return
        slot.job = job
        slot.conn.send((job.briefing_id, job.title, job.text))

    try:
        from multiprocessing.connection import wait

        slots = [start() for _ in range(n)]
        while slots:
            busy = [s for s in slots if s.job is not None or not s.ready]
            if not busy:
                break
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy])
            for slot in list(busy):
                if slot.conn in ready:
                    try:
                        msg = slot.conn.recv()
                    except (EOFError, OSError):
                        msg = None  # the process ended: handled below
                    if msg is not None and msg[0] == "model":
                        raise PoolModelError(msg[1])
                    if msg is not None and msg[0] == "loaded":
                        slot.ready = True
                        if not announced:
                            announced = True
                            if on_loaded is not None:
                                on_loaded(Loaded(msg[1], msg[2], msg[3]))
                        feed(slot)
                        continue
                    if msg is not None:
                        job = slot.job
                        assert job is not None
                        feed(slot)  # the next one first: the process works while we store
                        yield Done(job, msg[2], msg[3]) if msg[0] == "done" else Failed(job, msg[2])
                        continue
                elif slot.process.sentinel not in ready:
                    continue
                # the process ended (crashed, or killed: out of memory on one briefing)
                slot.process.join(5)
                if slot.process.is_alive():
                    slot.process.kill()
                    slot.process.join()
                code = slot.process.exitcode
                slots.remove(slot)
                slot.conn.close()
                if slot.job is not None:
                    yield Failed(slot.job, f"the analysis process ended on it (exit status {code})")
                if not slot.ready and not slots:
                    raise PoolModelError(
                        f"the analysis process ended before loading the model (exit status {code})"
                    )
                if slot.ready and not exhausted:  # one briefing lost: the rest go on
                    slots.append(start())
        for slot in slots:
            _end(slot, graceful=True)
        slots = []
    finally:
        for slot in slots:
            _end(slot, graceful=False)


def _end(slot: _Slot, *, graceful: bool) -> None:
    if graceful:
        with contextlib.suppress(OSError):
            slot.conn.send(None)
        slot.process.join(5)
    if slot.process.is_alive():
        slot.process.kill()
        slot.process.join()
    slot.conn.close()
