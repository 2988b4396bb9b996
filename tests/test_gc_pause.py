"""The collector pause around batches: nested and concurrent holders, and the collector's state restored."""

from __future__ import annotations

import gc
import threading

import pytest

from app.core.gc_pause import paused_gc


@pytest.fixture(autouse=True)
def _restore_gc():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_pauses_and_restores() -> None:
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_holders_keep_it_paused_until_the_last_one_ends() -> None:
    gc.enable()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_exception() -> None:
    gc.enable()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("batch failed")
    assert gc.isenabled()


def test_does_not_enable_a_collector_that_was_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_overlapping_threads_leave_it_enabled() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with paused_gc():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(5)
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's batch is still running
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_sustained_overlap_still_collects_young_garbage(monkeypatch) -> None:
    """Holders that keep overlapping never switch the collector back on, so one of them collects."""
    import app.core.gc_pause as module

    gc.enable()
    monkeypatch.setattr(module, "MAX_PAUSE_S", 0.0)
    started: list[int] = []

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(on_gc)
    try:
        with paused_gc():
            with paused_gc():
                pass  # ends while the outer holder still runs: past MAX_PAUSE_S, it collects
            assert started == [1]
            assert not gc.isenabled()
    finally:
        gc.callbacks.remove(on_gc)
    assert gc.isenabled()
