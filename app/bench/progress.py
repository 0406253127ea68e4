"""A progress bar for long loads: redrawn in place on a terminal, plain lines in a log."""

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

BAR_WIDTH = 24
PLAIN_LINE_SECONDS = 10.0
"""Without a terminal, a line every so often: a log of a long load, not a line per batch."""


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """How far a load of `total` units (statements) has come, its rate in rows/s, and an ETA."""

    def __init__(self, total: int, *, unit: str = "statements", stream: TextIO | None = None) -> None:
        self.total = total
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = self.stream.isatty()
        self.done = 0
        self.rows = 0
        self.started = time.perf_counter()
        self._last_line = -PLAIN_LINE_SECONDS
        self._bar_drawn = False

    def start(self) -> None:
        """Start the clock: the rate and the ETA count from here (not from what came before)."""
        self.started = time.perf_counter()

    def advance(self, units: int, rows: int) -> None:
        """`units` more of the total are done, and `rows` more rows (of any table) written."""
        self.done += units
        self.rows += rows
        now = time.perf_counter()
        if self.interactive:
            self.stream.write("\r" + self._line(now))
            self.stream.flush()
            self._bar_drawn = True
        elif now - self._last_line >= PLAIN_LINE_SECONDS or self.done >= self.total:
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()
            self._last_line = now

    def _line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        share = self.done / self.total if self.total else 1.0
        filled = round(BAR_WIDTH * share)
        rate = self.rows / elapsed
        eta = elapsed * (self.total - self.done) / self.done if self.done else 0.0
        return (
            f"{self.unit} {self.done:>{len(f'{self.total:,}')},}/{self.total:,} {share:4.0%} "
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {rate:,.0f} rows/s  ETA {_duration(eta)}"
        )

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """A step without a count of its own (building indexes): its label, then how long it took."""
        if self._bar_drawn:
            self.stream.write("\n")  # the bar keeps its last state on its own line
            self._bar_drawn = False
        self.stream.write(f"{label}…")
        self.stream.flush()
        started = time.perf_counter()
        yield
        self.stream.write(f" {time.perf_counter() - started:.1f} s\n")
        self.stream.flush()
