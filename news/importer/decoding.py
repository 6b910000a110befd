"""Old pages' bytes to text: whatever the encoding, and whatever it claims to be, NFC at the end.

Old Vietnamese portals served UTF-8, Windows-1258 (tone marks as separate combining characters), and
sometimes declared one charset while sending another (a template saying `iso-8859-1` around UTF-8 or
Windows-1258 text). So the declared charset is one candidate, not the answer: UTF-8 is tried strictly
first (text in another encoding almost never decodes as valid UTF-8), then the declared charset,
Windows-1258 and what `charset-normalizer` detects, and the candidate that reads most like Vietnamese
wins. The result is normalised to NFC (composed), so "ề" typed as e + ̂ + ̀ and "ề" are one letter
before anything compares, searches or slugifies it.
"""

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)

# Vietnamese letters that Latin-1 does not have (ă ơ ư đ ĩ ũ and the whole U+1EA0–U+1EF9 block): a wrong
# decoding (Latin-1 or Windows-1252 read over Windows-1258 or UTF-8 bytes) never produces them.
_VIETNAMESE = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
# Signs of a wrong decoding: replacement characters, C1 controls, Latin-1 letters Vietnamese does not
# use (the "Ã¡", "Æ°" of UTF-8 read as Latin-1), combining marks left over after NFC.
_SUSPICIOUS = re.compile(
    "[\ufffd\x80-\x9f\u00c4-\u00c7\u00cb\u00ce\u00cf\u00d0\u00d1\u00d6-\u00d8\u00db\u00dc\u00de\u00df"
    "\u00e4-\u00e7\u00eb\u00ee\u00ef\u00f0\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff\u00a2-\u00bf"
    "\u0300-\u036f]"
)


def declared_charset(data, content_type=""):
    """The charset the HTTP header or the page's <meta> names (a codec name Python knows), or None."""
    for found in (_HEADER_CHARSET.search(content_type or ""), _META_CHARSET.search(data[:4096])):
        if found:
            name = found.group(1)
            name = name.decode("ascii", "replace") if isinstance(name, bytes) else name
            try:
                return codecs.lookup(name.strip().lower()).name
            except LookupError:
                continue
    return None


def score(text):
    """How much a decoded text reads like Vietnamese: its Vietnamese letters minus its oddities."""
    return len(_VIETNAMESE.findall(text)) - 4 * len(_SUSPICIOUS.findall(text))


def decode(data, content_type=""):
    """(text in NFC, the codec used) of a page's bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return unicodedata.normalize("NFC", data[3:].decode("utf-8", "replace")), "utf-8"
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [declared_charset(data, content_type), "cp1258"]
    best = from_bytes(data).best()
    if best is not None:
        candidates.append(best.encoding)
    decoded = {}
    for name in dict.fromkeys(c for c in candidates if c):
        try:
            decoded[name] = unicodedata.normalize("NFC", data.decode(name))
        except (UnicodeDecodeError, LookupError):
            continue
    if not decoded:
        return unicodedata.normalize("NFC", data.decode("utf-8", "replace")), "utf-8"
    name = max(decoded, key=lambda n: score(decoded[n]))
    return decoded[name], name
