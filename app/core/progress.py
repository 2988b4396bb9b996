"""A plain-text progress bar for long commands, on stderr: redrawn in place on a terminal, a line now and then
(and at the end of each item) when the output goes to a file or a pipe."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 24


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.clock = clock
        self.live = self.stream.isatty()
        self._item = ""
        self._started = 0.0
        self._shown = 0.0

    def __call__(self, item: str, done: int, total: int) -> None:
        now = self.clock()
        if item != self._item:
            # A terminal shows each item at once; a log gets a line only for items that take a while.
            self._item, self._started, self._shown = item, now, (0.0 if self.live else now)
        finished = done >= total
        if not finished and now - self._shown < (0.2 if self.live else 2.0):
            return
        self._shown = now
        line = self.line(item, done, total, now - self._started)
        if self.live:
            self.stream.write("\r" + line + ("\n" if finished else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    @staticmethod
    def line(item: str, done: int, total: int, seconds: float) -> str:
        filled = WIDTH if total <= 0 else min(WIDTH, WIDTH * done // total)
        rate = done / seconds if seconds > 0 else 0.0
        bar = "#" * filled + "." * (WIDTH - filled)
        return f"{item:<24} [{bar}] {done:>11,} / {total:,} rows  {rate:,.0f} rows/s"
