"""Small pure helpers for Arabic text: normalisation and clitic stripping.

Every function here is used both when building indexes (gazetteer, actor registry,
lexicons) and when reading articles, so the two always agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Diacritics (harakat, tanwin, shadda, sukun, dagger alef, Quranic marks) and tatweel:
# removed by normalisation.
_DROP = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6)]
    + ["\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff"]
)

# One-to-one character folds.
_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",  # Farsi yeh
    "ئ": "ي",
    "ؤ": "و",
    "ة": "ه",
    "ک": "ك",  # Keheh
    "ڪ": "ك",
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "،": ",",
    "؛": ";",
    "؟": "?",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "–": "-",
    "—": "-",
    "ـ": "",
}
for _i, _d in enumerate("٠١٢٣٤٥٦٧٨٩"):
    _FOLD[_d] = str(_i)
for _i, _d in enumerate("۰۱۲۳۴۵۶۷۸۹"):
    _FOLD[_d] = str(_i)

_TRANS = str.maketrans({**{c: None for c in _DROP}, **_FOLD})


def normalize(text: str) -> str:
    """Fold an Arabic string for matching.

    Removes diacritics and tatweel; folds alef variants to ا, ى/ئ to ي, ؤ to و,
    ة to ه, Arabic-Indic digits to ASCII and Arabic punctuation to ASCII.
    Presentation forms (U+FB50–U+FEFF) are first decomposed with NFKC.
    """
    if any("\ufb50" <= ch <= "\ufefc" for ch in text):
        import unicodedata

        text = unicodedata.normalize("NFKC", text)
    return text.translate(_TRANS)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` and return, for every output character, its input index.

    The map has one extra trailing entry equal to ``len(text)``, so that an end
    offset can be mapped too. Characters that normalisation drops have no entry.
    """
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        if "\ufb50" <= ch <= "\ufefc":
            import unicodedata

            rep = unicodedata.normalize("NFKC", ch).translate(_TRANS)
        else:
            rep = ch.translate(_TRANS)
        for r in rep:
            out.append(r)
            idx.append(i)
    idx.append(len(text))
    return "".join(out), idx


# Proclitic conjunctions/prepositions and the article. Order matters: the longest
# plausible split is tried first by ``strip_proclitics``.
_PROCLITIC_RE = re.compile(r"^(?P<conj>[وف]?)(?P<prep>[بلك]?)(?P<art>ال|لل)?(?P<stem>.+)$")

#: Minimum length of a stem left after stripping, so that short words are not eaten.
MIN_STEM = 2


def strip_proclitics(word: str) -> tuple[str, str]:
    """Split a normalised word into (proclitics, stem), e.g. "وبالمدينه" → ("وبال", "مدينه").

    Conservative: a split is only made when the stem left has at least ``MIN_STEM``
    letters. Because some names begin with these letters (بغداد, فلوجه, لبنان), callers
    that match names should try both the whole word and the stem
    (see :func:`clitic_variants`).
    """
    m = _PROCLITIC_RE.match(word)
    if not m:
        return "", word
    conj, prep, art, stem = m.group("conj"), m.group("prep"), m.group("art") or "", m.group("stem")
    if art == "لل":  # ل + ال with the alef elided: "للمدينه"
        if prep:
            return "", word
        prep, art = "ل", "ال"
    prefix = conj + prep + art
    if len(stem) < MIN_STEM:
        return "", word
    return prefix, stem


def clitic_variants(word: str) -> list[tuple[str, str]]:
    """All plausible (proclitics, rest) splits of a normalised word, longest first.

    Cached: the same words recur across articles and every matcher asks for them.
    """
    return list(_clitic_variants(word))


@lru_cache(maxsize=262_144)
def _clitic_variants(word: str) -> tuple[tuple[str, str], ...]:
    """All plausible (proclitics, rest) splits of a normalised word, longest first.

    The rest keeps ال when the split is only of و/ف/ب/ل/ك, so that names written with
    the article ("الرقه") can be matched as they are indexed. The unsplit word is always
    the last candidate.
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    conj_opts = [word[0]] if word[:1] in ("و", "ف") else []
    rests: list[tuple[str, str]] = [("", word)]
    for c in conj_opts:
        if len(word) - 1 >= MIN_STEM:
            rests.append((c, word[1:]))
    for pre, rest in list(rests):
        if rest[:1] in ("ب", "ل", "ك") and len(rest) - 1 >= MIN_STEM:
            r2 = rest[1:]
            if rest[:1] == "ل" and r2.startswith("ل") and len(r2) > 2:  # لل = ل + ال
                rests.append((pre + "ل", "ا" + r2))
            rests.append((pre + rest[0], r2))
    for pre, rest in rests:
        if rest.startswith("ال") and len(rest) - 2 >= MIN_STEM:
            out.append((pre + "ال", rest[2:]))
    out.extend(rests[1:][::-1])
    out.append(("", word))
    res: list[tuple[str, str]] = []
    for pre, rest in out:
        if rest not in seen:
            seen.add(rest)
            res.append((pre, rest))
    return tuple(res)


_AL_RE = re.compile(r"^ال(?=..)")


def strip_article(word: str) -> str:
    """Remove a leading ال from a normalised word of at least 4 letters."""
    return _AL_RE.sub("", word)


def name_key(name: str) -> str:
    """The index key of a name (place, actor, lexicon entry).

    Normalised, each word without its article, single spaces, hyphens as spaces.
    "الرقة" → "رقه"; "كفر نبودة" → "كفر نبوده"; "عين العرب" → "عين عرب".
    """
    words = _WORD_SPLIT_RE.split(normalize(name).strip())
    return " ".join(strip_article(w) for w in words if w)


_WORD_SPLIT_RE = re.compile(r"[\s\-_/]+")

_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a]")
#: Each opening quotation mark of Arabic news and the mark that closes it.
QUOTE_PAIRS = {"«": "»", '"': '"', "“": "”"}
OPENING_QUOTES = frozenset(QUOTE_PAIRS)
CLOSING_QUOTES = frozenset(QUOTE_PAIRS.values())
#: "إن"/"أن" (with و/ف/ب) opening a reported clause ("قال إن ...", "أفاد بأن ...").
COMPLEMENTISER_RE = re.compile(r"(?:^|\s)[وف]?(?:إن|أن|ان|بأن|بان)(?:\s|$)")


def arabic_ratio(text: str) -> float:
    """Share of letters in ``text`` that are Arabic (0.0 when there are no letters)."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return 0.0
    return len(_ARABIC_LETTER_RE.findall(text)) / letters


def match_keys(word: str) -> list[str]:
    """Index keys under which a normalised token may be looked up, most stripped first.

    "والرقه" → ["رقه", "والرقه"]; "بغداد" → ["غداد", "بغداد"]. Index keys are built
    with :func:`name_key` (no article), so these line up with them.
    """
    return list(_match_keys(word))


@lru_cache(maxsize=262_144)
def _match_keys(word: str) -> tuple[str, ...]:
    keys: list[str] = []
    for _pre, rest in _clitic_variants(word):
        k = strip_article(rest)
        if k not in keys:
            keys.append(k)
    return tuple(keys)
