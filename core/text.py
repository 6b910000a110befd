"""Plain text from readers: normalised once, on the way in; escaped by whoever shows it."""

import re
import unicodedata

# Bidirectional overrides and isolates can make text display in another order than it was typed
# (e.g. to disguise a link in the admin); they have no use in a question to the Department.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
SPACES = re.compile(r"\s+")


def _keep(char):
    if char in "\n\t":
        return True
    category = unicodedata.category(char)
    # Cc: C0/C1 controls (NUL, ESC, BEL…); Cs: lone surrogates; Cn: unassigned code points.
    return category not in ("Cc", "Cs", "Cn")


def clean_text(value, *, multiline=True):
    """NFC-normalised text without control characters; newlines and tabs kept when multiline.

    Decomposed Vietnamese ("e" + U+0302 + U+0301) becomes the precomposed "ế", so lengths,
    search and comparisons see what the reader sees."""
    if value is None:
        return ""
    value = LINE_BREAKS.sub("\n", str(value))
    value = "".join(char for char in value if _keep(char)).translate(BIDI_CONTROLS)
    value = unicodedata.normalize("NFC", value)
    if not multiline:
        value = SPACES.sub(" ", value)
    return value.strip()


def text_length(value):
    """Length as the reader counts it: characters after NFC (an emoji with a skin tone is 2, not 4 bytes)."""
    return len(unicodedata.normalize("NFC", value))
