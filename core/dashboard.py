"""Sections of the leaders' dashboard that other apps fill ("Góp ý của người dân" from feedback, …).

core knows no app, and stats (which owns the dashboard) knows none either: each app registers a
section in its AppConfig.ready(); the dashboard asks every section for the period it shows and the one
before it, and renders what they give back: figures with the previous period's value and the change,
and tables. A section costs a fixed number of queries, whatever the data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    previous_start: date
    previous_end: date
    today: date


@dataclass(frozen=True)
class Figure:
    """A number of the period beside the same number of the period before (None: no comparison)."""

    label: str
    value: float | int | None
    previous: float | int | None = None
    unit: str = ""  # shown after the number ("ngày", "giờ")
    alert: bool = False  # something waits that should not (shown in red when not zero)
    lower_is_better: bool = False  # a time to answer: a fall is good news

    @property
    def change(self):
        """The change in per cent (None when there is nothing to compare with)."""
        if self.value is None or not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous)

    @property
    def better(self):
        change = self.change
        if not change:
            return None
        return (change < 0) if self.lower_is_better else (change > 0)


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list
    rows: list  # lists of cells; the first cell is the row's heading
    numeric: tuple = ()  # indexes of numeric columns (aligned right)
    empty: str = ""


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Provider:
    name: str
    build: Callable  # build(period) → Section
    order: int = 100


_providers = {}  # name → Provider; filled at start-up (the apps' ready()), read-only afterwards


def register(name, build, order=100):
    """Add (or replace, by name) a section: `build(period)` returns a Section."""
    _providers[name] = Provider(name, build, order)


def sections(period):
    return [provider.build(period) for provider in sorted(_providers.values(), key=lambda p: (p.order, p.name))]
