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
from marsad.resolve.translit import MIN_SKELETON, arabic_skeleton, latin_skeletons
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


#: Place types that a spelling variant may find.
_KNOWN_TYPES = frozenset(["country", "admin1", "city", "town"])


def _hamza_variant(key: str) -> str | None:
    """The key without its final hamza after alef ("مخاء" → "مخا")."""
    if key.endswith("اء") and len(key.rsplit(" ", 1)[-1]) >= 4:
        return key[:-1]
    return None


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


def split_rows(text: str, origin: str) -> list[str]:
    """The data lines of a gazetteer file (header checked and dropped).

    Lines stay unsplit: fields are split when a place is first looked up, so that
    loading stays fast. Raises :class:`DataError` on a bad header or a short line.
    """
    lines = text.split("\n")
    header = lines[0].rstrip("\r").split("\t")
    if header[: len(COLUMNS) - 1] != list(COLUMNS[: len(COLUMNS) - 1]):
        raise DataError(f"{origin}: not a marsad gazetteer file (header {header[:4]}...)")
    rows = [line.rstrip("\r") for line in lines[1:] if line]
    ntab = len(COLUMNS) - 1
    for i, line in enumerate(rows):
        n = line.count("\t")
        if n == ntab - 1:  # no src column
            rows[i] = line + "\t"
        elif n != ntab:
            raise DataError(f"{origin}:{i + 2}: expected {len(COLUMNS)} columns, got {n + 1}")
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


def _merge_rows(old: str, new: str) -> str:
    """A later row for the same id: its fields win, but names and the capital link of
    the earlier row are kept (an imported GeoNames row adds to the packaged names)."""
    o, merged = old.split("\t"), new.split("\t")
    old_keys = o[10].split("|") if o[10] else place_keys(o[3], o[1])
    new_keys = merged[10].split("|") if merged[10] else place_keys(merged[3], merged[1])
    merged[10] = "|".join(dict.fromkeys(new_keys + old_keys))
    if not merged[11]:
        merged[11] = o[11]
    return "\t".join(merged)


def _cand_order(p: Place) -> tuple[int, int, int]:
    """Default order of candidates: with a point first, then feature rank, population."""
    return (0 if p.lat is not None else 1, _TYPE_RANK.get(p.type, 9), -p.population)


class Gazetteer:
    """Places indexed by name key; built from rows of gazetteer files.

    Rows are parsed into :class:`Place` objects lazily, on first look-up, so that
    loading stays well under a second.
    """

    def __init__(self, row_sets: Iterable[tuple[list[str], str]]) -> None:
        rows: list[str] = []
        origin: list[str] = []
        by_id: dict[str, int] = {}
        for set_rows, name in row_sets:
            for line in set_rows:
                pid = line[: line.find("\t")]
                i = by_id.get(pid)
                if i is None:  # later files (the user overlay) replace earlier rows
                    by_id[pid] = len(rows)
                    rows.append(line)
                    origin.append(name)
                else:
                    rows[i] = _merge_rows(rows[i], line)
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
        self._region: frozenset[str] | None = None
        #: consonant skeleton → rows of places known only by a Latin name (lazy)
        self._skeletons: dict[str, list[int]] | None = None
        index = self._index
        for i, line in enumerate(rows):
            head, keys_col, _cap, _src = line.rsplit("\t", 3)
            if keys_col:
                keys = keys_col.split("|")
            else:
                f = line.split("\t")
                keys = place_keys(f[3], f[1])
            for k in keys:
                lst = index.get(k)
                if lst is None:
                    index[k] = [i]
                elif lst[-1] != i:
                    lst.append(i)
            t0 = head.find("\t") + 1
            ptype = head[t0 : head.find("\t", t0)]
            if ptype == "admin1" or ptype == "country":
                f = line.split("\t")
                if ptype == "admin1":
                    self._admin1.setdefault((f[4], f[5]), i)
                else:
                    self._countries.setdefault(f[4], i)
        for k in index:
            if " " in k:
                ws = k.split(" ")
                if len(ws) > self.max_words:
                    self.max_words = len(ws)
                for j in range(1, len(ws)):
                    self._prefixes.add(" ".join(ws[:j]))

    def _place(self, i: int) -> Place:
        p = self._places[i]
        if p is None:
            p = _parse(self._rows[i].split("\t"), self._origin[i])
            self._places[i] = p
        return p

    # -- construction ------------------------------------------------------------
    @classmethod
    def from_files(cls, paths: Sequence[Path], packaged: bool = True) -> Gazetteer:
        """Load the packaged data (unless ``packaged`` is false) and then ``paths``."""

        def row_sets() -> Iterator[tuple[list[str], str]]:
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
        rows = [format_row(p, place_keys(p.name_ar, p.type)) for p in places]
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
        """Places indexed under ``key`` (a :func:`name_key`), best-known first; [] if none.

        A final hamza after alef is often left out of the sources' spellings ("المخا" for
        "المخاء"): a name written with it also finds the towns written without.
        """
        got = self._sorted.get(key)
        if got is None:
            ids = list(self._index.get(key) or ())
            alt = _hamza_variant(key)
            if alt is not None:
                # only well-known places: "أجزاء" (parts) is not the village "أجزا"
                ids += [
                    i
                    for i in self._index.get(alt) or ()
                    if i not in ids and self._place(i).type in _KNOWN_TYPES
                ]
            if not ids:
                return []
            got = sorted((self._place(i) for i in ids), key=_cand_order)
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
        f = self._rows[i].split("\t")
        return f[10].split("|") if f[10] else place_keys(f[3], f[1])

    def admin1(self, country: str, admin1: str) -> Place | None:
        """The first-level unit ``admin1`` (ACLED spelling) of ``country``."""
        i = self._admin1.get((country, admin1))
        return None if i is None else self._place(i)

    def admin1_capital(self, country: str, admin1: str) -> Place | None:
        """The seat of a first-level unit, or ``None`` when unknown."""
        i = self._admin1.get((country, admin1))
        return None if i is None else self._capital(i)

    def in_region(self, cc: str) -> bool:
        """Whether ``cc`` is one of the region's countries (those whose first-level units
        the gazetteer knows); the world cities outside it carry no admin1."""
        region = self._region
        if region is None:
            region = self._region = frozenset(c for c, _a in self._admin1)
        return cc in region

    def country(self, cc: str) -> Place | None:
        """The country record of ISO code ``cc`` (its point is the capital's)."""
        i = self._countries.get(cc)
        return None if i is None else self._place(i)

    def capital_of(self, place_id: str) -> Place | None:
        """The capital/seat recorded for a country or admin1 place id."""
        i = self._by_id.get(place_id)
        return None if i is None else self._capital(i)

    def _capital(self, i: int) -> Place | None:
        cap = self._rows[i].split("\t")[11]
        return self.get(cap) if cap else None

    def by_skeleton(self, name_ar: str) -> list[Place]:
        """Places known only by a Latin name whose consonant skeleton is that of the
        Arabic ``name_ar`` ("سوروتش" → Suruç), most populous first; [] when the skeleton
        is too short to tell (:data:`translit.MIN_SKELETON`)."""
        skel = arabic_skeleton(name_ar)
        if len(skel) < MIN_SKELETON:
            return []
        index = self._skeletons
        if index is None:
            index = self._skeletons = {}
            for i, line in enumerate(self._rows):
                f = line.split("\t", 11)
                if f[3] or f[10]:
                    continue  # an Arabic name: matched by its keys
                for k in latin_skeletons(f[2], f[4]):
                    index.setdefault(k, []).append(i)
        return sorted((self._place(i) for i in index.get(skel, ())), key=lambda p: -p.population)

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


# ---------------------------------------------------------------------------
# Importers: GeoNames country dumps and CSV tables into a user overlay file
# ---------------------------------------------------------------------------

_ARABIC_RE = re.compile(r"[\u0621-\u064a]")

#: GeoNames feature codes → marsad feature types (others are skipped).
GEONAMES_TYPES: dict[str, str] = {
    "ADM1": "admin1",
    "ADM2": "admin2",
    "ADM3": "admin3",
    "PPLX": "neighbourhood",
    "AIRP": "landmark",
    "AIRB": "landmark",
    "AIRF": "landmark",
    "DAM": "landmark",
    "MILB": "landmark",
    "INSM": "landmark",
    "CMP": "landmark",
    "CMPQ": "landmark",
    "RDJCT": "landmark",
    "BDG": "landmark",
    "PSTB": "landmark",
    "MT": "landmark",
    "HLL": "landmark",
}


@dataclass(frozen=True, slots=True)
class Admin1Unit:
    """One row of the packaged first-level unit table (``admin1.tsv``)."""

    country: str
    code: str
    geonameid: str
    name: str  # ACLED spelling
    names_ar: tuple[str, ...]


def admin1_table() -> list[Admin1Unit]:
    """The packaged table of first-level units (GeoNames codes, ACLED spellings)."""
    text = ilr.files("marsad.data").joinpath("gazetteer/admin1.tsv").read_text("utf-8")
    out: list[Admin1Unit] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("cc\t"):
            continue
        f = [*line.split("\t"), "", "", ""]
        out.append(Admin1Unit(f[0], f[1], f[2], f[3], tuple(a for a in f[4].split("|") if a)))
    return out


def _pop_type(pop: int) -> str:
    if pop >= 100_000:
        return "city"
    if pop >= 10_000:
        return "town"
    return "village"


def geonames_dump_rows(lines: Iterable[str]) -> Iterator[tuple[Place, list[str]]]:
    """Places of a GeoNames country dump (``SY.txt``: 19 tab-separated columns).

    Keeps populated places, first- to third-level units and landmarks (airports, dams,
    bases, camps, bridges, checkpoints, mountains) that have an Arabic name among their
    alternate names. ``admin1`` is given in ACLED spelling from the packaged table.
    Raises :class:`DataError` on a line that is not in the dump format.
    """
    units = {(u.country, u.code): u.name for u in admin1_table()}
    for lineno, line in enumerate(lines, start=1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) < 15:
            raise DataError(f"line {lineno}: not a GeoNames dump line ({len(f)} columns)")
        fclass, fcode = f[6], f[7]
        ptype = GEONAMES_TYPES.get(fcode, "")
        try:
            pop = int(f[14] or 0)
            lat, lon = float(f[4]), float(f[5])
        except ValueError as exc:
            raise DataError(f"line {lineno}: {exc}") from exc
        if fclass == "P" and not ptype:
            ptype = _pop_type(pop)
        if not ptype:
            continue
        names_ar = [n for n in f[3].split(",") if _ARABIC_RE.search(n)]
        if not names_ar:
            continue
        cc = f[8]
        place = Place(
            f"gn:{f[0]}",
            f[2] or f[1],
            names_ar[0],
            ptype,
            cc,
            units.get((cc, f[10]), ""),
            "",
            lat,
            lon,
            pop,
        )
        keys: list[str] = []
        for n in names_ar:
            for k in place_keys(n, ptype):
                if k not in keys:
                    keys.append(k)
        yield place, keys


#: Fields a CSV column (or a constant) can be mapped to.
CSV_FIELDS = (
    "id",
    "name_ar",
    "alt_ar",
    "name_en",
    "type",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
)


def parse_csv_map(spec: str) -> dict[str, tuple[str, ...] | str]:
    """Parse ``--map``: ``field=COLUMN`` (``alt_ar=COL1|COL2``) or ``field:=CONSTANT``.

    Raises :class:`DataError` for an unknown field or a missing ``name_ar``.
    """
    out: dict[str, tuple[str, ...] | str] = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if ":=" in part:
            fld, val = part.split(":=", 1)
            out[fld.strip()] = val.strip()
        elif "=" in part:
            fld, col = part.split("=", 1)
            out[fld.strip()] = tuple(c.strip() for c in col.split("|") if c.strip())
        else:
            raise DataError(f"--map entry {part!r}: expected field=COLUMN or field:=VALUE")
        if fld.strip() not in CSV_FIELDS:
            raise DataError(
                f"--map: unknown field {fld.strip()!r} (fields: {', '.join(CSV_FIELDS)})"
            )
    if "name_ar" not in out:
        raise DataError("--map must give name_ar (the column with the Arabic name)")
    return out


def csv_rows(
    rows: Iterable[dict[str, str]],
    mapping: dict[str, tuple[str, ...] | str],
    id_prefix: str = "user",
    gazetteer: Gazetteer | None = None,
) -> Iterator[tuple[Place, list[str]]]:
    """Places of a CSV table (e.g. an OCHA COD gazetteer) read with ``csv.DictReader``.

    ``admin1`` written in Arabic or in another English spelling is turned into the
    ACLED spelling when it names a unit of the packaged table.
    """
    units = admin1_table()
    by_key: dict[tuple[str, str], str] = {}
    for u in units:
        by_key[(u.country, u.name.lower())] = u.name
        for n in u.names_ar:
            by_key[(u.country, name_key(n))] = u.name

    def get(row: dict[str, str], fld: str) -> str:
        m = mapping.get(fld)
        if m is None:
            return ""
        if isinstance(m, str):
            return m
        for col in m:
            if col not in row:
                raise DataError(f"CSV has no column {col!r} (columns: {', '.join(row)})")
            if row[col].strip():
                return row[col].strip()
        return ""

    for rowno, row in enumerate(rows, start=1):
        name_ar = get(row, "name_ar")
        if not name_ar:
            continue
        alts = [name_ar]
        alt_map = mapping.get("alt_ar")
        if isinstance(alt_map, tuple):
            alts += [row[c].strip() for c in alt_map if row.get(c, "").strip()]
        cc = get(row, "country").upper()
        adm = get(row, "admin1")
        if adm:
            adm = by_key.get((cc, adm.lower())) or by_key.get((cc, name_key(adm))) or adm
        ptype = get(row, "type") or "village"
        if ptype not in TYPES:
            raise DataError(f"row {rowno}: type {ptype!r} is not one of {', '.join(TYPES)}")
        try:
            lat = float(get(row, "lat")) if get(row, "lat") else None
            lon = float(get(row, "lon")) if get(row, "lon") else None
            pop = int(float(get(row, "population") or 0))
        except ValueError as exc:
            raise DataError(f"row {rowno}: {exc}") from exc
        rid = get(row, "id") or str(rowno)
        place = Place(
            f"{id_prefix}:{rid}",
            get(row, "name_en"),
            name_ar,
            ptype,
            cc,
            adm,
            get(row, "admin2"),
            lat,
            lon,
            pop,
        )
        keys: list[str] = []
        for a in alts:
            for k in place_keys(a, ptype):
                if k not in keys:
                    keys.append(k)
        yield place, keys


def write_overlay(path: Path, rows: Iterable[tuple[Place, list[str]]], src: str) -> int:
    """Add ``rows`` to the overlay file ``path`` (created if missing; rows with the same
    id replace older ones). Returns the number of rows written for this import."""
    existing: dict[str, str] = {}
    if path.is_file():
        for line in split_rows(read_text(path), str(path)):
            existing[line[: line.find("\t")]] = line
    count = 0
    for place, keys in rows:
        existing[place.id] = format_row(place, keys, src=src)
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\t".join(COLUMNS) + "\n" + "".join(line + "\n" for line in existing.values())
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return count
