"""Send at each contact's best time: hour-of-week engagement profiles and the choice of a send instant.

A profile counts a contact's engagements (message opens, a click counting as its open; app sessions) by local hour
of the week (Monday 00:00 = 0 ... Sunday 23:00 = 167). A contact with little history borrows from the workspace: the
chance of engaging in hour h is the posterior mean of a Dirichlet prior centred on the workspace's shares with
strength ``PRIOR_STRENGTH``, ``(count[h] + k * workspace_share[h]) / (n + k)``, so five opens say a little and fifty
say a lot. Before that, the counts of each hour of the day are shared across the week's days (``DAY_POOL``), so a
contact seen at 19:00 on Tuesdays is also likelier at 19:00 on Mondays. A contact with no history at all gets the
fallback local time (10:00 unless the message says otherwise).

The choice looks at each local hour start in the next N hours (and now): a message waits on the lock screen, so
an hour's score also counts the next two hours, less and less (``LOOKAHEAD``). Instants inside quiet hours are left
out when another instant remains; the send path applies quiet hours and caps again at the chosen instant anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from journeys.fields import check_time_of_day
from journeys.localtime import next_time_of_day

HOURS = 168
PRIOR_STRENGTH = 10.0
DAY_POOL = 1.0
ENOUGH = 5  # engagements from which a contact's own profile is said to have enough data
LOOKAHEAD = (1.0, 0.5, 0.25)
DEFAULT_FALLBACK = "10:00"
DEFAULT_WITHIN_HOURS = 24
MAX_WITHIN_HOURS = 168
# Events that count as an app session in a profile (Segment's spec name, and the demo's own name).
SESSION_EVENTS = ("Application Opened", "app_opened")
# Step-log reasons of a deferred send: the contact's profile, the fallback time, or the workspace's hours.
BASIS_REASONS = {"profile": "best_time", "fallback": "best_time_fallback", "workspace": "best_time_workspace"}


@dataclass(frozen=True)
class Profile:
    """Engagement counts by local hour of the week."""

    counts: tuple[int, ...] = (0,) * HOURS

    @property
    def total(self) -> int:
        return sum(self.counts)

    def add(self, hours: Iterable[int]) -> Profile:
        counts = list(self.counts)
        for hour in hours:
            counts[hour] += 1
        return Profile(tuple(counts))

    def plus(self, other: Profile) -> Profile:
        return Profile(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))

    def sparse(self) -> dict[str, int]:
        """The stored form: only the hours with engagements, ``{"hour": count}``."""
        return {str(hour): count for hour, count in enumerate(self.counts) if count}

    @classmethod
    def from_sparse(cls, stored: dict[str, int] | None) -> Profile:
        counts = [0] * HOURS
        for hour, count in (stored or {}).items():
            if str(hour).isdigit() and int(hour) < HOURS and isinstance(count, int):
                counts[int(hour)] = max(0, count)
        return cls(tuple(counts))


EMPTY = Profile()


@dataclass(frozen=True)
class Choice:
    at: int  # epoch seconds
    basis: str  # profile | workspace | fallback

    @property
    def reason(self) -> str:
        return BASIS_REASONS[self.basis]


@lru_cache(maxsize=65_536)
def hour_of_week(at: int, tz: ZoneInfo) -> int:
    local = datetime.fromtimestamp(at, UTC).astimezone(tz)
    return local.weekday() * 24 + local.hour


def workspace_shares(workspace: Profile | None) -> list[float]:
    """The workspace's share of engagements per hour, lightly smoothed; uniform when it has none."""
    counts = (workspace or EMPTY).counts
    total = sum(counts) + HOURS  # one pseudo-engagement per hour keeps every hour possible
    return [(c + 1) / total for c in counts]


def pooled(counts: Sequence[int], weight: float = DAY_POOL) -> list[float]:
    """Counts with each hour of the day shared across the week: an engagement on Tuesday at 19:00 also counts,
    ``weight / 7`` of it, for 19:00 on every day (people keep their daily habits; a few weeks rarely show each
    weekday's hours). The total grows by ``weight`` times."""
    by_hour = [sum(counts[day * 24 + hour] for day in range(7)) / 7 for hour in range(24)]
    return [c + weight * by_hour[h % 24] for h, c in enumerate(counts)]


def posterior(contact: Profile | None, shares: Sequence[float], strength: float = PRIOR_STRENGTH) -> list[float]:
    """The contact's engagement shares shrunk towards ``shares``: ``(count + k * share) / (n + k)``, on the counts
    pooled across days (:func:`pooled`)."""
    counts = pooled((contact or EMPTY).counts)
    n = sum(counts)
    return [(c + strength * s) / (n + strength) for c, s in zip(counts, shares, strict=True)]


def candidates(now: int, within_hours: int, tz: ZoneInfo) -> list[int]:
    """Now, then each local hour start before ``now + within_hours`` hours."""
    local = datetime.fromtimestamp(now, UTC).astimezone(tz)
    hour_start = int(local.replace(minute=0, second=0, microsecond=0).timestamp())
    end = now + within_hours * 3600
    return [now] + [t for t in range(hour_start + 3600, end, 3600)]


def score(shares: Sequence[float], hour: int) -> float:
    return sum(w * shares[(hour + i) % HOURS] for i, w in enumerate(LOOKAHEAD))


def _best(instants: list[int], shares: Sequence[float], tz: ZoneInfo) -> int:
    # max() keeps the first of equal scores: the earliest instant wins a tie.
    return max(instants, key=lambda t: score(shares, hour_of_week(t, tz)))


def choose(
    now: int,
    *,
    within_hours: int,
    tz: ZoneInfo,
    contact: Profile | None,
    workspace: Profile | None,
    fallback: str = DEFAULT_FALLBACK,
    blocked: Callable[[int], bool] | None = None,
) -> Choice:
    """The instant to send within the next ``within_hours`` hours, and what it was based on.

    ``blocked(t)`` says an instant is inside quiet hours; those are avoided while any other instant remains.
    """
    instants = candidates(now, within_hours, tz)
    allowed = [t for t in instants if not (blocked and blocked(t))] or instants
    if contact is None or contact.total == 0:
        at = next_time_of_day(now - 60, fallback, tz)  # a fallback time of this very minute is now
        if at < now + within_hours * 3600 and not (blocked and blocked(at)):
            return Choice(max(at, now), "fallback")
        return Choice(_best(allowed, workspace_shares(workspace), tz), "workspace")
    return Choice(_best(allowed, posterior(contact, workspace_shares(workspace)), tz), "profile")


@dataclass(frozen=True)
class Preview:
    """When a workspace's contacts would get a message sent at their best time, and on what data."""

    starts: list[int]  # the UTC hour starts of the chart, from the current hour
    per_hour: list[int]  # contacts whose chosen instant falls in each of those hours
    enough: int  # contacts with at least ENOUGH engagements of their own
    little: int  # contacts with some history, shrunk towards the workspace's hours
    none: int  # contacts with no history: the fallback time (or the workspace's hours)


def preview(
    now: int,
    *,
    within_hours: int,
    fallback: str,
    audience: Iterable[tuple[ZoneInfo, Profile]],
    workspace: Profile | None,
) -> Preview:
    """The chosen instant of every contact of ``audience``, counted by UTC hour from the current one."""
    first = now - now % 3600
    per_hour = [0] * (within_hours + 1)
    enough = little = none = 0
    for tz, profile in audience:
        n = profile.total
        enough, little, none = enough + (n >= ENOUGH), little + (0 < n < ENOUGH), none + (n == 0)
        chosen = choose(now, within_hours=within_hours, tz=tz, contact=profile, workspace=workspace, fallback=fallback)
        per_hour[min((chosen.at - first) // 3600, within_hours)] += 1
    if not per_hour[-1]:  # an hour that only starts after the window when now is not an hour start
        per_hour.pop()
    return Preview([first + h * 3600 for h in range(len(per_hour))], per_hour, enough, little, none)


def settings_of(config: dict[str, Any]) -> tuple[int, str] | None:
    """(window in hours, fallback HH:MM) of a node config being edited that sends at the best time (a message's
    ``best_time`` option or a ``wait.until`` in mode ``best_time``), else None; None too while a value is invalid."""
    if config.get("best_time"):
        hours, fallback = config.get("best_time_hours", DEFAULT_WITHIN_HOURS), config.get("best_time_fallback")
    elif config.get("mode") == "best_time":
        hours, fallback = config.get("within_hours", DEFAULT_WITHIN_HOURS), config.get("time", "09:00")
    else:
        return None
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= MAX_WITHIN_HOURS:
        return None
    try:
        return hours, check_time_of_day(str(fallback or DEFAULT_FALLBACK))
    except ValueError:
        return None
