"""Personal data left in what goes public: before a question and its answer appear on /hoi-dap/, staff
are warned when the public title, question or answer still holds the citizen's name, e-mail or phone
number (as the form collected them), or anything that looks like an e-mail address or a phone number.

The comparison ignores case, accents and spacing: "Chào ông TRẦN VĂN BÌNH", "tran van binh" and "Trần
 Văn  Bình" all match the name "Trần Văn Bình"; "0912.345.678" matches the phone "0912345678"."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Vietnamese numbers: 0 or +84/84, then 8–10 more digits, in groups split by spaces, dots or dashes.
PHONE = re.compile(r"(?<![\d])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?![\d])")
# Forms of address before a given name ("Chào ông Bình", "gửi chị Lan").
HONORIFICS = ("ông", "bà", "anh", "chị", "cô", "chú", "bác", "em")


@dataclass(frozen=True)
class Finding:
    where: str  # "câu trả lời", ...
    what: str  # "họ tên người gửi", ...
    text: str  # the words found, as written

    def __str__(self):
        return f"{self.what} “{self.text}” ({self.where})"


def fold(text: str) -> str:
    """Lower case, no accents (đ → d), single spaces: how names are compared."""
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _national(digits: str) -> str:
    """0912345678 and 84912345678 are the same number."""
    return "0" + digits[2:] if digits.startswith("84") else digits


def _name_forms(name: str) -> list[str]:
    """The full name, and "<honorific> <given name>" forms ("ông bình", "ông văn bình")."""
    words = fold(name).split()
    if not words:
        return []
    forms = [" ".join(words)] if len(words) > 1 else []
    tails = {words[-1], " ".join(words[-2:])} if len(words) > 1 else {words[-1]}
    forms += [f"{fold(h)} {tail}" for h in HONORIFICS for tail in tails]
    return forms


def _find_folded(haystack: str, needle: str) -> str | None:
    """`needle` (folded) as whole words in `haystack`; the words as written there, or None."""
    folded_words = []
    spans = []
    for match in re.finditer(r"\w+", haystack):
        folded_words.append(fold(match.group()))
        spans.append(match.span())
    wanted = needle.split()
    for i in range(len(folded_words) - len(wanted) + 1):
        if folded_words[i : i + len(wanted)] == wanted:
            return haystack[spans[i][0] : spans[i + len(wanted) - 1][1]]
    return None


def personal_data(texts: dict, *, name: str = "", email: str = "", phone: str = "") -> list[Finding]:
    """What in `texts` ({where: text}) looks like personal data; the citizen's own details first."""
    findings = []
    name_forms = _name_forms(name) if name else []
    own_phone = _national(_digits(phone)) if phone else ""
    for where, text in texts.items():
        if not text:
            continue
        for form in name_forms:
            if found := _find_folded(text, form):
                findings.append(Finding(str(where), str(_("họ tên người gửi")), found))
                break
        if email and email.casefold() in text.casefold():
            findings.append(Finding(str(where), str(_("e-mail người gửi")), email))
        for match in EMAIL.finditer(text):
            if not (email and match.group().casefold() == email.casefold()):
                findings.append(Finding(str(where), str(_("địa chỉ e-mail")), match.group()))
        for match in PHONE.finditer(text):
            digits = _national(_digits(match.group()))
            label = _("số điện thoại người gửi") if own_phone and digits == own_phone else _("số điện thoại")
            findings.append(Finding(str(where), str(label), match.group().strip()))
        written = {_national(_digits(m.group())) for m in PHONE.finditer(text)}
        if own_phone and own_phone not in written and own_phone in _digits(text):
            findings.append(Finding(str(where), str(_("số điện thoại người gửi")), phone))
    return findings
