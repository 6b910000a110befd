"""Tracking codes such as GY-7K3P9QXM: short enough to read over the phone, too many to guess.

32 symbols without look-alikes (no 0/O, 1/I) give 5 bits each: 8 symbols are 2^40 codes, so even a
million stored items leave one chance in a million per guess, and lookups are rate limited."""

import re
import secrets

PREFIX = "GY-"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8
PATTERN = re.compile(rf"^{PREFIX}[{ALPHABET}]{{{LENGTH}}}$")


def new_code():
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(value):
    """The canonical form of a code as typed by a reader (any case, spaces or dashes anywhere,
    with or without the prefix), or "" when it cannot be one."""
    compact = re.sub(r"[\s\-–_.]", "", (value or "").upper())
    if compact.startswith("GY") and len(compact) == LENGTH + 2:
        compact = compact[2:]
    code = PREFIX + compact
    return code if PATTERN.match(code) else ""
