"""The place gazetteer: every known place, indexed by the name keys of its Arabic names.

The packaged data (``marsad/data/gazetteer/places.tsv.gz``) is built by
``scripts/build_gazetteer.py`` from the sources listed in ``ATTRIBUTION.txt`` beside it.
A user overlay in the same format (written by ``marsad gazetteer import``) is merged on
load: its rows add places or replace packaged ones with the same id.

Index keys are made with :func:`marsad.text.arabic.name_key`, plus the variants of
:func:`place_keys` (compound names written joined or apart, frame words such as
"محافظة" dropped), so an article token's :func:`~marsad.text.arabic.match_keys`
line up with them.
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources as ilr
from pathlib import Path

from marsad.errors import DataError
from marsad.pipeline import Resources
from marsad.text.arabic import name_key, normalize, strip_article

#: Columns of a gazetteer file, in order (tab-separated, one header line).
COLUMNS: tuple[str, ...] = (
    "id",
    "type",
    "name_en",
    "name_ar",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
    "keys",
    "capital",
    "src",
)

#: Feature types, most general first.
TYPES: tuple[str, ...] = (
    "country",
    "admin1",
    "admin2",
    "admin3",
    "city",
    "town",
    "village",
    "neighbourhood",
    "landmark",
)

#: Environment variable naming extra gazetteer files (``os.pathsep``-separated).
EXTRA_ENV = "MARSAD_GAZETTEER_EXTRA"

#: Where ``marsad gazetteer import`` writes by default.
DEFAULT_USER_FILE = Path.home() / ".local" / "share" / "marsad" / "gazetteer-user.tsv.gz"

#: Words that open an administrative name; a name is also indexed without them.
ADMIN_FRAMES: tuple[str, ...] = (
    "محافظه",
    "ولايه",
    "ناحيه",
    "مديريه",
    "قضاء",
    "منطقه",
    "مدينه",
    "بلده",
    "قريه",
    "لواء",
    "اقليم",
)

#: First words of compound names written both joined and apart (كفر نبودة / كفرنبودة).
COMPOUND_HEADS: tuple[str, ...] = (
    "كفر",
    "دير",
    "عين",
    "تل",
    "بيت",
    "ابو",
    "ام",
    "خربه",
    "راس",
    "بير",
    "جسر",
    "جب",
    "سيدي",
    "بني",
    "عرب",
    "مزرعه",
    "حزه",
)

# Letters of Persian/Kurdish spellings that Arabic text writes otherwise.
_EXTRA_FOLD = str.maketrans(
    {"ە": "ه", "ھ": "ه", "ۀ": "ه", "ڤ": "ف", "گ": "ك", "چ": "ج", "پ": "ب", "ژ": "ز"}
)
_BRACKETS_RE = re.compile(r"\(.*?\)")
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Place:
    """One place of the gazetteer.

    ``type`` is one of :data:`TYPES`; ``country`` is ISO 3166-1 alpha-2; ``admin1`` is
    the first-level unit in ACLED spelling; ``lat``/``lon`` are ``None`` when no source
    gives coordinates (names from the Yemen village list, for instance).
    """

    id: str
    name_en: str
    name_ar: str
    type: str
    country: str
    admin1: str
    admin2: str
    lat: float | None
    lon: float | None
    population: int

    @property
    def has_point(self) -> bool:
        """Whether the place has coordinates."""
        return self.lat is not None and self.lon is not None


def clean_name(name: str) -> str:
    """A source name without bracketed notes, tatweel or Persian letters."""
    name = _BRACKETS_RE.sub(" ", name).translate(_EXTRA_FOLD)
    return _SPACES_RE.sub(" ", name.replace("ـ", "")).strip(" -,.")


def place_keys(name: str, ptype: str = "village") -> list[str]:
    """Index keys of one Arabic place name, the plain :func:`name_key` first.

    Adds the name without a leading administrative frame word ("محافظة حماة" → "حماه")
    and compound variants ("كفر نبوده" ↔ "كفرنبوده").
    """
    base = name_key(clean_name(name))
    if not base:
        return []
    out = [base]
    words = base.split(" ")
    if ptype not in ("landmark", "neighbourhood"):
        for fr in ADMIN_FRAMES:
            if len(words) > 1 and words[0] == fr:
                out.append(" ".join(words[1:]))
    for k in list(out):
        ws = k.split(" ")
        if len(ws) >= 2 and ws[0] in COMPOUND_HEADS and len(ws[1]) >= 2:
            out.append(" ".join([ws[0] + ws[1], *ws[2:]]))
        if len(ws) == 1 and ptype not in ("country", "admin1"):
            for head in COMPOUND_HEADS:
                rest = ws[0][len(head) :]
                if ws[0].startswith(head) and len(rest) >= 3:
                    out.append(head + " " + strip_article(rest))
                    break
    res: list[str] = []
    for k in out:
        if k not in res and len(k.replace(" ", "")) >= 2:
            res.append(k)
    return res


def _float(text: str) -> float | None:
    return float(text) if text else None


def format_row(place: Place, keys: Sequence[str], capital: str = "", src: str = "") -> str:
    """One gazetteer file line (without the newline) for ``place``."""
    fields = [
        place.id,
        place.type,
        place.name_en,
        place.name_ar,
        place.country,
        place.admin1,
        place.admin2,
        "" if place.lat is None else f"{place.lat:.5f}",
        "" if place.lon is None else f"{place.lon:.5f}",
        str(place.population or ""),
        "|".join(keys),
        capital,
        src,
    ]
    return "\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields)


def _parse(f: list[str], origin: str) -> Place:
    try:
        return Place(
            f[0],
            f[2],
            f[3],
            f[1],
            f[4],
            f[5],
            f[6],
            float(f[7]) if f[7] else None,
            float(f[8]) if f[8] else None,
            int(f[9]) if f[9] else 0,
        )
    except (ValueError, IndexError) as exc:
        raise DataError(f"{origin}: bad gazetteer row {f[:2]}: {exc}") from exc


def split_rows(text: str, origin: str) -> list[list[str]]:
    """Split the text of a gazetteer file into rows of fields (header checked, dropped)."""
    lines = text.split("\n")
    header = lines[0].rstrip("\r").split("\t")
    if header[: len(COLUMNS) - 1] != list(COLUMNS[: len(COLUMNS) - 1]):
        raise DataError(f"{origin}: not a marsad gazetteer file (header {header[:4]}...)")
    rows = [line.split("\t") for line in lines[1:] if line]
    for i, f in enumerate(rows):
        if len(f) < 12:
            raise DataError(f"{origin}:{i + 2}: expected {len(COLUMNS)} columns, got {len(f)}")
    return rows


def read_text(path: Path) -> str:
    """The text of a gazetteer file, gzip or plain."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


_TYPE_RANK = {
    t: i
    for i, t in enumerate(
        (
            "city",
            "town",
            "admin1",
            "country",
            "village",
            "admin2",
            "neighbourhood",
            "admin3",
            "landmark",
        )
    )
}


def _cand_order(p: Place) -> tuple[int, int, int]:
    """Default order of candidates: with a point first, then feature rank, population."""
    return (0 if p.lat is not None else 1, _TYPE_RANK.get(p.type, 9), -p.population)


class Gazetteer:
    """Places indexed by name key; built from rows of gazetteer files.

    Rows are parsed into :class:`Place` objects lazily, on first look-up, so that
    loading stays well under a second.
    """

    def __init__(self, row_sets: Iterable[tuple[list[list[str]], str]]) -> None:
        rows: list[list[str]] = []
        origin: list[str] = []
        by_id: dict[str, int] = {}
        for set_rows, name in row_sets:
            for f in set_rows:
                i = by_id.get(f[0])
                if i is None:  # later files (the user overlay) replace earlier rows
                    by_id[f[0]] = len(rows)
                    rows.append(f)
                    origin.append(name)
                else:
                    rows[i] = f
                    origin[i] = name
        self._rows = rows
        self._origin = origin
        self._by_id = by_id
        self._places: list[Place | None] = [None] * len(rows)
        self._index: dict[str, list[int]] = {}
        self._sorted: dict[str, list[Place]] = {}
        self._prefixes: set[str] = set()
        self.max_words = 1
        self._admin1: dict[tuple[str, str], int] = {}
        self._countries: dict[str, int] = {}
        index = self._index
        multi: set[str] = set()
        for i, f in enumerate(rows):
            keys = f[10].split("|") if f[10] else place_keys(f[3], f[1])
            for k in dict.fromkeys(keys):
                lst = index.get(k)
                if lst is None:
                    index[k] = [i]
                else:
                    lst.append(i)
                if " " in k:
                    multi.add(k)
            t = f[1]
            if t == "admin1":
                self._admin1.setdefault((f[4], f[5]), i)
            elif t == "country":
                self._countries.setdefault(f[4], i)
        for k in multi:
            ws = k.split(" ")
            self.max_words = max(self.max_words, len(ws))
            for j in range(1, len(ws)):
                self._prefixes.add(" ".join(ws[:j]))

    def _place(self, i: int) -> Place:
        p = self._places[i]
        if p is None:
            p = _parse(self._rows[i], self._origin[i])
            self._places[i] = p
        return p

    # -- construction ------------------------------------------------------------
    @classmethod
    def from_files(cls, paths: Sequence[Path], packaged: bool = True) -> Gazetteer:
        """Load the packaged data (unless ``packaged`` is false) and then ``paths``."""

        def row_sets() -> Iterator[tuple[list[list[str]], str]]:
            if packaged:
                ref = ilr.files("marsad.data").joinpath("gazetteer/places.tsv.gz")
                try:
                    raw = ref.read_bytes()
                except FileNotFoundError as exc:
                    raise DataError(
                        "packaged gazetteer missing: run scripts/build_gazetteer.py"
                    ) from exc
                name = "marsad/data/gazetteer/places.tsv.gz"
                yield split_rows(gzip.decompress(raw).decode("utf-8"), name), name
            for p in paths:
                if not p.is_file():
                    raise DataError(f"gazetteer file {p} not found (check ${EXTRA_ENV})")
                yield split_rows(read_text(p), str(p)), str(p)

        return cls(row_sets())

    @classmethod
    def from_places(cls, places: Iterable[Place]) -> Gazetteer:
        """A gazetteer of the given places, indexed under :func:`place_keys` of their names."""
        rows = [format_row(p, place_keys(p.name_ar, p.type)).split("\t") for p in places]
        return cls([(rows, "<places>")])

    @classmethod
    def load_default(cls) -> Gazetteer:
        """The packaged gazetteer plus the user overlay; cached per process.

        The overlay is every file named in ``$MARSAD_GAZETTEER_EXTRA``
        (``os.pathsep``-separated), or else ``~/.local/share/marsad/gazetteer-user.tsv.gz``
        when it exists.
        """
        extra = user_files()
        key = tuple(str(p) for p in extra)
        cached = _CACHE.get(key)
        if cached is None:
            cached = cls.from_files(extra)
            _CACHE[key] = cached
        return cached

    # -- look-ups ---------------------------------------------------------------
    def candidates(self, key: str) -> list[Place]:
        """Places indexed under ``key`` (a :func:`name_key`), best-known first; [] if none."""
        got = self._sorted.get(key)
        if got is None:
            idx = self._index.get(key)
            if idx is None:
                return []
            got = sorted((self._place(i) for i in idx), key=_cand_order)
            self._sorted[key] = got
        return got

    def is_prefix(self, key: str) -> bool:
        """Whether some longer name starts with the words of ``key``."""
        return key in self._prefixes

    def get(self, place_id: str) -> Place | None:
        """The place with id ``place_id``."""
        i = self._by_id.get(place_id)
        return None if i is None else self._place(i)

    def keys_of(self, place_id: str) -> list[str]:
        """Index keys of a place (empty for an unknown id)."""
        i = self._by_id.get(place_id)
        if i is None:
            return []
        f = self._rows[i]
        return f[10].split("|") if f[10] else place_keys(f[3], f[1])

    def admin1(self, country: str, admin1: str) -> Place | None:
        """The first-level unit ``admin1`` (ACLED spelling) of ``country``."""
        i = self._admin1.get((country, admin1))
        return None if i is None else self._place(i)

    def admin1_capital(self, country: str, admin1: str) -> Place | None:
        """The seat of a first-level unit, or ``None`` when unknown."""
        i = self._admin1.get((country, admin1))
        return None if i is None else self._capital(i)

    def country(self, cc: str) -> Place | None:
        """The country record of ISO code ``cc`` (its point is the capital's)."""
        i = self._countries.get(cc)
        return None if i is None else self._place(i)

    def capital_of(self, place_id: str) -> Place | None:
        """The capital/seat recorded for a country or admin1 place id."""
        i = self._by_id.get(place_id)
        return None if i is None else self._capital(i)

    def _capital(self, i: int) -> Place | None:
        cap = self._rows[i][11]
        return self.get(cap) if cap else None

    def lookup(self, name: str) -> list[Place]:
        """Candidates of a name as written (convenience for tools and tests)."""
        return self.candidates(name_key(clean_name(normalize(name))))

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Place]:
        return (self._place(i) for i in range(len(self._rows)))


_CACHE: dict[tuple[str, ...], Gazetteer] = {}


def user_files() -> list[Path]:
    """The overlay files the default gazetteer merges (see :meth:`Gazetteer.load_default`)."""
    env = os.environ.get(EXTRA_ENV, "").strip()
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    return [DEFAULT_USER_FILE] if DEFAULT_USER_FILE.is_file() else []


@Resources.provide("gazetteer")
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.load_default()
