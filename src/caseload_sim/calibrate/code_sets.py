"""The coded answers of Ofsted's Annex A lists, and the spellings councils' exports give them.

Councils export Annex A with Ofsted's coded answers, a letter before each: "a) Yes", "b) No",
"c) Unknown"; a contact's or referral's source as "q) 6: Police", after the DfE children in need
census source codes (1A to 10, 5D from 2023); and some give a child's disability as the census
disability codes ("NONE", "MOB", "AUT"...) instead of yes or no. Exports also carry the bare
answer ("Yes", "N"), the bare census code ("6"), or its name ("Police"). Each reader here takes
all of these, in any case, and gives ``None`` for what it cannot read (a rejected cell).

Sources: the code sets of the DfE children in need census (``referralsourcetype``,
``disabilitytype``), as Social Finance's liia-tools (MIT licence) encodes them for Annex A
(``liiatools/spec/annex_a/data-map.yml``; ``annex_a_pipeline/spec/Annex_A_schema.yml`` adds 5D).
"""

from __future__ import annotations

import re
from typing import Any

#: "a) ", "p1) ", "Q) ": the letter of an Ofsted coded answer, before the answer itself.
_LETTER = re.compile(r"^\s*[a-z]\d?\)\s*", re.IGNORECASE)

YES_WORDS = frozenset({"yes", "y", "true", "1", "1.0"})
NO_WORDS = frozenset({"no", "n", "false", "0", "0.0"})
#: Answers that say the answer is not known: a valid cell with no answer, not a rejected one.
UNKNOWN_WORDS = frozenset({"unknown", "not known", "nk", "unk", "not recorded", "not stated", "u"})

#: The census disability codes; "NONE" is "no disability".
DISABILITY_CODES = frozenset(
    {"MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"}
)
NO_DISABILITY = "NONE"

#: The census source codes with the words their names start with (lower case), in order; an
#: Ofsted coded source is the code after its letter ("q) 6: Police").
SOURCES: dict[str, tuple[str, ...]] = {
    "1A": ("individual - family member", "family member"),
    "1B": ("individual - acquaintance", "acquaintance"),
    "1C": ("individual - self", "self"),
    "1D": ("individual - other", "individual"),
    "2A": ("schools", "school"),
    "2B": ("education services", "education"),
    "3A": ("health services - general practitioner", "health services - gp", "gp"),
    "3B": ("health services - health visitor", "health visitor"),
    "3C": ("health services - school nurse", "school nurse"),
    "3D": ("health services - other primary health services", "other primary health"),
    "3E": ("health services - a&e", "a&e", "accident and emergency"),
    "3F": ("health services - other", "health services", "health"),
    "4": ("housing",),
    "5A": ("la services - social care", "social care"),
    "5B": ("la services - other internal", "other internal"),
    "5C": ("la services - external", "external"),
    "5D": ("la services - early help", "early help"),
    "6": ("police",),
    "7": ("other legal agency", "legal agency"),
    "8": ("other",),
    "9": ("anonymous",),
    "10": ("unknown",),
}
_CODE = re.compile(r"^(10|[1-9][a-f]?)\s*(?::|$|\s)", re.IGNORECASE)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def without_letter(text: str) -> str:
    """An answer without its Ofsted letter: 'q) 6: Police' -> '6: Police'."""
    return _LETTER.sub("", text, count=1).strip()


def is_unknown(value: Any) -> bool:
    """Whether a yes/no cell says the answer is not known ('c) Unknown', 'Not known')."""
    if not isinstance(value, str):
        return False
    text = value.strip().lower()
    return text in UNKNOWN_WORDS or without_letter(text) in UNKNOWN_WORDS


def yes_no(value: Any) -> bool | None:
    """A yes/no answer: Ofsted's coded 'a) Yes' / 'b) No', Yes/No, Y/N, True/False or 1/0 in any
    case, or a spreadsheet TRUE/FALSE; ``None`` if the cell is none of these."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = without_letter(value.strip().lower())
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
    return None


def disability(value: Any) -> bool | None:
    """Whether the child has a disability: a yes/no answer, or census disability codes ('NONE'
    for none; one or more of 'MOB', 'AUT'... for a disability)."""
    answer = yes_no(value)
    if answer is not None:
        return answer
    codes = [part for part in re.split(r"[\s,;/]+", _text(value).upper()) if part]
    if codes == [NO_DISABILITY]:
        return False
    if codes and all(code in DISABILITY_CODES for code in codes):
        return True
    return None


def source(value: Any) -> str | None:
    """A contact's or referral's source as its census code ('6' for 'q) 6: Police', '6: Police',
    '6', 'Police' or 'POLICE'); ``None`` if it is none of them."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))
    text = without_letter(_text(value))
    if not text:
        return None
    found = _CODE.match(text)
    if found and found.group(1).upper() in SOURCES:
        return found.group(1).upper()
    words = " ".join(text.lower().replace("\u2013", "-").replace("\u2014", "-").split())
    for code, names in SOURCES.items():
        if any(words == name or words.startswith(name) for name in names):
            return code
    return None


def source_words(code: str) -> str:
    """A census source code with its name: '6: Police', '3C: Health services - school nurse'."""
    names = SOURCES.get(code)
    return f"{code}: {names[0][:1].upper()}{names[0][1:]}" if names else code


#: The Ofsted coded answer of each census source code (its letter, code and short name).
OFSTED_SOURCES: dict[str, str] = {
    "1A": "a) 1A: Individual",
    "1B": "b) 1B: Individual",
    "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools",
    "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services",
    "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services",
    "5B": "o) 5B: LA services",
    "5C": "p) 5C: LA services",
    "5D": "p1) 5D: LA services",
    "6": "q) 6: Police",
    "7": "r) 7: Other legal agency",
    "8": "s) 8: Other",
    "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}
#: Ofsted's coded yes and no.
OFSTED_YES, OFSTED_NO = "a) Yes", "b) No"
