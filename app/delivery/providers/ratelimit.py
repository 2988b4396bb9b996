"""A token bucket per provider, in real time: it paces real network calls, not simulated journeys."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    def __init__(self, per_second: float) -> None:
        self.rate = max(per_second, 0.001)
        self.tokens = self.rate
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def acquire(self, count: int = 1) -> None:
        """Block until ``count`` sends are allowed (a count above the burst waits proportionally)."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= count
            wait = -self.tokens / self.rate if self.tokens < 0 else 0.0
        if wait > 0:
            time.sleep(wait)
