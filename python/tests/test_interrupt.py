"""Ctrl-C while training: `fit` and `run_study` stop at the next epoch with KeyboardInterrupt,
leaving nothing half-done — the network at a whole epoch, the results folder as it was — and
the next call runs normally."""

from __future__ import annotations

import _thread
import signal
import threading
from pathlib import Path

import pytest

import saorsa_nn as sn


@pytest.fixture(autouse=True)
def python_handles_sigint():
    """Python's own SIGINT handler, as in a terminal or a notebook: a shell that starts a job in the
    background (`cmd &`, as CI runners may) starts it with SIGINT ignored, and then neither Ctrl-C
    nor `_thread.interrupt_main` reaches Python."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def interrupt_after(seconds: float) -> threading.Timer:
    """Raises KeyboardInterrupt in the main thread after `seconds`, as Ctrl-C does (SIGINT)."""
    timer = threading.Timer(seconds, _thread.interrupt_main)
    timer.start()
    return timer


def test_fit_stops_at_an_epoch_with_keyboard_interrupt() -> None:
    X, y, X_val, y_val = sn.datasets.paper_split()
    net = sn.MLP("2-64-64-64-2", init="he", seed=2)
    timer = interrupt_after(0.5)
    with pytest.raises(KeyboardInterrupt):
        net.fit(X, y, epochs=1_000_000, validation_data=(X_val, y_val))
    timer.join()
    done = len(net.history["loss"])
    assert 0 < done < 1_000_000
    assert net.steps == done
    assert len(net.history["val_loss"]) == done == len(net.history["update_size_4"])
    # The network is the one of `done` whole epochs, bit for bit.
    again = sn.MLP("2-64-64-64-2", init="he", seed=2)
    again.fit(X, y, epochs=done)
    assert again.to_bytes() == net.to_bytes()
    # And training goes on normally afterwards.
    net.fit(X, y, epochs=2)
    assert net.steps == done + 2


def test_run_study_stops_and_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "study"
    timer = interrupt_after(1.0)
    with pytest.raises(KeyboardInterrupt, match="was left as it was; the runs that finished are kept in"):
        sn.run_study(out, seeds=4, epochs=100_000, threads=2)
    timer.join()
    # The study never finished: the folder was not made (old-or-new), nothing half-written in it.
    assert not (out / "manifest.json").exists()
    assert not out.exists() or not any(out.iterdir())
    # The stop is withdrawn: the next study runs to the end.
    res = sn.run_study(tmp_path / "next", seeds=1, epochs=3, inits="he")
    assert (tmp_path / "next" / "manifest.json").exists()
    assert len(res.metrics["epoch"]) == 3
