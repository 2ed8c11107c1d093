"""Consonant skeletons that let an Arabic spelling meet a Latin place name.

GeoNames knows thousands of towns of the region only by their Latin names (Turkish
"Suruç", "Silopi"; French-written Maghrebi "Dehiba", "Tataouine"). Arabic news writes the
same towns by ear ("سوروتش", "سيلوبي", "ذهيبة", "تطاوين"). Both spellings keep the
consonants and lose or blur the vowels, so both are reduced to a *skeleton*: one
symbol per consonant class, vowels and glides dropped, repeats collapsed. "سوروتش" and
"Suruç" both give ``srtS``.

A Latin name is read by the orthography of its country: Turkish (``c`` = ج, ``ç`` = تش,
``ş`` = ش), French for the Maghreb and the Sahel (``ch`` = ش, ``dj`` = ج, ``ou`` a vowel),
else English-style romanisation (``sh``, ``kh``, ``th``). Letters that Arabic writes in
two ways give several skeletons (Turkish ``v`` is و or ف).

The classes are deliberately coarse (ك ق غ خ are one, س ص one, د ض ذ one): the match is
used only for a place mention the gazetteer does not know, among the towns of the
article's countries, where coarse keys find the town and rarely anything else.
"""

from __future__ import annotations

import re
import unicodedata

#: Arabic letter → consonant class ("" drops it: vowels, glides, hamza, ع).
_AR_CLASS = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "t", "ج": "j", "چ": "j",
    "ح": "h", "ه": "h", "خ": "k", "ك": "k", "ق": "k", "غ": "k", "گ": "k",
    "د": "d", "ذ": "d", "ض": "d", "ر": "r", "ز": "z", "ظ": "z", "س": "s", "ص": "s",
    "ش": "S", "ل": "l", "م": "m", "ن": "n", "ف": "f", "ڤ": "f",
    "ا": "", "أ": "", "إ": "", "آ": "", "ء": "", "ئ": "", "ؤ": "", "ع": "",
    "و": "", "ي": "", "ى": "", "ة": "",
}  # fmt: skip

#: The article, and a final ه (a vowel ending, like ة: "أورفه").
_AR_ARTICLE_RE = re.compile(r"(?:^|(?<=\s))ال(?=\S{2})")
_AR_FINAL_HA_RE = re.compile(r"ه(?=\s|$)")
_AR_MARKS_RE = re.compile(r"[\u064b-\u065f\u0670\u0640]")

#: Countries whose Latin place names follow Turkish or French spelling.
TURKISH = frozenset({"TR"})
FRENCH = frozenset({"DZ", "TN", "MA", "MR", "ML", "NE", "TD", "SN", "BF", "LB"})

#: (pattern, replacement) applied in order to a lower-case Latin name; a replacement
#: with "|" gives alternatives (one skeleton each).
_TURKISH_RULES = (
    ("ç", "tS"), ("ş", "S"), ("c", "j"), ("ğ", ""), ("v", "f|"), ("g", "k"), ("q", "k"),
    ("x", "ks"), ("w", ""), ("y", ""), ("p", "b"),
)  # fmt: skip
_FRENCH_RULES = (
    ("tch", "tS"), ("dj", "j"), ("ch", "S"), ("kh", "k"), ("gh", "k"), ("gu", "k"),
    ("qu", "k"), ("th", "t"), ("ph", "f"), ("c(?=[eiy])", "s"), ("c", "k"), ("g(?=[ei])", "j"),
    ("g", "k"), ("q", "k"), ("x", "ks"), ("v", "f"), ("w", ""), ("y", ""), ("p", "b"),
)  # fmt: skip
_ENGLISH_RULES = (
    ("sh", "S"), ("ch", "tS"), ("kh", "k"), ("gh", "k"), ("th", "t"), ("dh", "d"),
    ("ph", "f"), ("q", "k"), ("c", "k"), ("g", "j|k"), ("x", "ks"), ("v", "f"), ("w", ""),
    ("y", ""), ("p", "b"),
)  # fmt: skip
_COMPILED = {
    name: [(re.compile(p), r) for p, r in rules]
    for name, rules in (
        ("tr", _TURKISH_RULES),
        ("fr", _FRENCH_RULES),
        ("en", _ENGLISH_RULES),
    )
}
#: Words of a Latin name that Arabic leaves out or writes as ال.
_LATIN_ARTICLE_RE = re.compile(r"^(?:el|al|ad|ar|as|ash|at|az|an|ed|er|es|et)[-\s]")
_NON_LETTER_RE = re.compile(r"[^a-zS]")
_VOWELS_RE = re.compile(r"[aeiou]")
#: A final h after a vowel is the vowel ending ("Jeddah" جدة).
_FINAL_H_RE = re.compile(r"(?<=[aeiou])h\b")
_REPEAT_RE = re.compile(r"(.)\1+")

#: The shortest skeleton worth matching: two consonants find too much.
MIN_SKELETON = 3


def arabic_skeleton(text: str) -> str:
    """The consonant skeleton of an Arabic place name ("سوروتش" → ``srtS``)."""
    text = _AR_MARKS_RE.sub("", unicodedata.normalize("NFC", text.strip()))
    text = _AR_ARTICLE_RE.sub("", text)
    text = _AR_FINAL_HA_RE.sub("", text)
    out = "".join(_AR_CLASS.get(ch, "") for ch in text)
    return _REPEAT_RE.sub(r"\1", out)


def latin_skeletons(name: str, country: str) -> set[str]:
    """The skeletons of a Latin place name as written in ``country`` ("Suruç", "TR" →
    ``{"srtS"}``)."""
    text = name.strip().casefold()
    text = _LATIN_ARTICLE_RE.sub("", text)
    text = _FINAL_H_RE.sub("", text)
    family = "tr" if country in TURKISH else "fr" if country in FRENCH else "en"
    if family != "tr":
        text = text.replace("ı", "i")
    # one pass per rule; alternatives multiply
    forms = [text]
    for pat, rep in _COMPILED[family]:
        alts = rep.split("|")
        nxt: list[str] = []
        for f in forms:
            if len(alts) == 1 or not pat.search(f):
                nxt.append(pat.sub(alts[0], f))
                continue
            nxt.extend(pat.sub(a, f) for a in alts)
        forms = list(dict.fromkeys(nxt))[:8]
    out: set[str] = set()
    for f in forms:
        # accents off (â, é, ö, ü), then vowels; "S" (sh) is kept by its case
        base = "".join(
            ch for ch in unicodedata.normalize("NFD", f) if not unicodedata.combining(ch)
        )
        base = base.replace("ı", "i")
        consonants = _VOWELS_RE.sub("", _NON_LETTER_RE.sub("", base))
        out.add(_REPEAT_RE.sub(r"\1", consonants))
    return out
