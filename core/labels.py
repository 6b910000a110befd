"""Names for ids: how an app shows things that a lower app knows only by id.

`stats` counts views per article id and may not import `news`, yet the leaders' dashboard shows the
articles' titles and categories. The app that owns a kind of thing registers a catalogue of it here
(news, in its AppConfig.ready(): `register("article", …)`); stats asks for the names of the ids it
counted. core imports no app: it only keeps the registration. A kind nobody registered has no
names, and its ids are shown as ids.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Item:
    """One thing as people know it."""

    title: str
    url: str = ""  # its public page
    admin_url: str = ""  # where staff change it
    group_id: int | None = None  # the group it is filed under (an article's category)
    group: str = ""  # that group as people read it ("Tin tức › Hoạt động của Sở")
    published: date | None = None


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    parent_id: int | None = None


class Catalogue(Protocol):
    def items(self, ids) -> dict[int, Item]:
        """The items of these ids that exist, by id (one query)."""

    def groups(self) -> list[Group]:
        """Every group, in the order they are listed (one query)."""


_catalogues: dict[str, Catalogue] = {}


def register(kind, catalogue):
    """Make `catalogue` the names of the things of `kind` ("article")."""
    _catalogues[kind] = catalogue


def items(kind, ids):
    """{id: Item} for the ids of `kind` that still exist."""
    catalogue = _catalogues.get(kind)
    ids = list(ids)
    return catalogue.items(ids) if catalogue is not None and ids else {}


def groups(kind):
    """Every group things of `kind` are filed under, in listing order."""
    catalogue = _catalogues.get(kind)
    return catalogue.groups() if catalogue is not None else []
