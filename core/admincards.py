"""Admin home cards: what is waiting for whom ("3 bài chờ duyệt", "5 góp ý mới, 1 quá hạn").

core knows no app: each app registers its cards in its AppConfig.ready(); the admin index (portal's
admin site) asks `visible(request)` for the cards the user may see and renders them. A card is a title
and one or more figures, each a count (one query) and the link to the filtered changelist that lists
exactly what was counted, so the admin home costs one query per figure shown, whatever the data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One number of a card: `count(request)` → int, `url(request)` → the changelist that lists them."""

    label: str
    count: Callable
    url: Callable
    alert: bool = False  # shown in red when not zero (overdue, failed)


@dataclass(frozen=True)
class Card:
    name: str
    title: str
    figures: tuple
    permission: str | Callable  # "app_label.codename", or a callable(user) → bool
    order: int = 100

    def allowed(self, user):
        if callable(self.permission):
            return bool(self.permission(user))
        return user.has_perm(self.permission)


@dataclass(frozen=True)
class Shown:
    """A figure as the template renders it."""

    label: str
    count: int
    url: str
    alert: bool


@dataclass(frozen=True)
class ShownCard:
    name: str
    title: str
    figures: list = field(default_factory=list)


_cards = {}  # name → Card; filled at start-up (the apps' ready()), read-only afterwards


def register(name, title, figures, permission, order=100):
    """Add (or replace, by name) a card. `figures` is a Figure or a list of them."""
    if isinstance(figures, Figure):
        figures = [figures]
    _cards[name] = Card(name, title, tuple(figures), permission, order)


def unregister(name):
    _cards.pop(name, None)


def registered():
    return sorted(_cards.values(), key=lambda card: (card.order, card.name))


def visible(request):
    """The cards `request.user` may see, in order, with their counts and links."""
    user = request.user
    shown = []
    for card in registered():
        if not card.allowed(user):
            continue
        figures = [
            Shown(str(figure.label), figure.count(request), figure.url(request), figure.alert)
            for figure in card.figures
        ]
        shown.append(ShownCard(card.name, str(card.title), figures))
    return shown
