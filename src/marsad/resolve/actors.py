"""The actor registry: canonical ACLED-style actors and their Arabic aliases.

The registry is maintained data (``marsad/data/actors.yaml``, checked against
``actors.schema.json`` on load). Every alias is indexed under :func:`alias_key`, which is
:func:`marsad.text.arabic.name_key` plus a small number/gender fold
(:func:`fold_word`), so that "الحوثي", "الحوثيين", "الحوثيون" and "حوثية" share one key.

Generic sides ("قوات النظام", "مسلحون مجهولون", "مدنيون") are actors with
``generic=True`` whose name is a template; :meth:`ActorRegistry.resolve_generic` turns them
into the country's actor ("Military Forces of Syria", "Unidentified Armed Group (Iraq)").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from marsad.errors import DataError
from marsad.pipeline import Resources
from marsad.text.arabic import name_key, normalize

#: ACLED interaction codes.
INTER_CODES: dict[int, str] = {
    0: "not an actor",
    1: "state forces",
    2: "rebel groups",
    3: "political militias",
    4: "identity militias",
    5: "rioters",
    6: "protesters",
    7: "civilians",
    8: "external/other forces",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor of the registry.

    ``generic`` actors are templates ("Military Forces of {of}") that need the article's
    country; ``rule`` names their generic rule. ``kind`` is one of "state", "rebel",
    "militia", "party", "civilians", "protesters", "rioters", "unknown", "external",
    "source-only" (named sources that are never a side). ``years`` is the period the
    actor was active, ``None`` where open.
    """

    name: str
    inter: int
    country: str
    affiliation: str
    generic: bool
    kind: str
    alt_names: tuple[str, ...] = ()
    years: tuple[int | None, int | None] = (None, None)
    rule: str = ""
    #: Weight of one mention when guessing the article's country; ``None``: by kind.
    #: Lower for groups mostly reported fighting abroad (Hezbollah in Syria).
    country_weight: float | None = None

    def active_in(self, year: int | None) -> bool:
        """Whether the actor existed in ``year`` (always true when ``year`` is unknown)."""
        if year is None:
            return True
        lo, hi = self.years
        return (lo is None or lo <= year) and (hi is None or year <= hi)


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """The country fields generic templates are filled with."""

    code: str
    name: str
    of: str
    nisba: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GenericRule:
    """How one family of generic phrases resolves by country."""

    id: str
    template: str
    by_country: Mapping[str, str] = field(default_factory=dict)
    default_country: str | None = None
    #: Folded keys of words that, just before or after a one-word match, show that the
    #: word is used in another sense ("هجوم مسلح" is an armed attack, not gunmen).
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    #: The same within the three words before ("هجوم سوروتش الانتحاري": an attack).
    not_near_after: frozenset[str] = frozenset()
    #: Countries where the phrase names a side at all ("النظام" is the Syrian regime;
    #: elsewhere it is "the system"); empty: everywhere.
    only_countries: frozenset[str] = frozenset()


# ---------------------------------------------------------------------------- keys

_SPELLING = (("ميليش", "مليش"), ("اميرك", "امريك"), ("يء", "ي"))
_NISBA_PLURAL = ("يين", "يون", "يان")
_NISBA_FEM = ("يه", "يا")
_SOUND_PLURAL = ("ين", "ون", "ات")


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """Fold number/gender endings of a normalised, article-less word.

    Nisba forms go to the masculine singular ("حوثيين", "حوثيون", "حوثيه", "حوثيا" →
    "حوثي"); sound plurals, feminine ة and the accusative alif are removed from words of
    five letters or more ("مسلحين" → "مسلح", "مليشيات" → "مليشي"). The same fold is
    applied to index keys and to article words, so collisions only join words that share
    a stem.
    """
    w = word.lower()
    for a, b in _SPELLING:
        if a in w:
            w = w.replace(a, b)
    if len(w) >= 5:
        for suf in _NISBA_PLURAL:
            if w.endswith(suf):
                return w[:-3] + "ي"
    if len(w) >= 4:
        for suf in _NISBA_FEM:
            if w.endswith(suf):
                return w[:-2] + "ي"
    if len(w) >= 5:
        for suf in _SOUND_PLURAL:
            if w.endswith(suf):
                return w[:-2]
        if w[-1] in "ها":
            return w[:-1]
    return w


@lru_cache(maxsize=1 << 16)
def fold_word_light(word: str) -> str:
    """The fold used for one-word aliases: case endings only, gender and number kept.

    "مسلحون"/"مسلحين" and "حوثيا"/"حوثي" meet, but "الإرهابية" (an adjective: "العملية
    الإرهابية") does not meet "الإرهابيين" (terrorists), nor "المدنية" "المدنيين".
    """
    w = word.lower()
    for a, b in _SPELLING:
        if a in w:
            w = w.replace(a, b)
    if len(w) >= 5 and w.endswith("ون"):
        return w[:-2] + "ين"
    if len(w) >= 4 and w.endswith("يا"):
        return w[:-1]
    if len(w) >= 5 and w.endswith("ا") and not w.endswith(("ات", "اا")):
        return w[:-1]
    return w


def fold_key(key: str) -> str:
    """The index form of a :func:`name_key` key.

    Words of multi-word keys go through :func:`fold_word`; a one-word key, which has no
    other words to confirm it, only through :func:`fold_word_light`.
    """
    words = key.split()
    if len(words) == 1:
        return fold_word_light(words[0])
    return " ".join(fold_word(w) for w in words)


def alias_key(alias: str) -> str:
    """The index key of an alias: ``fold_key(name_key(alias))``."""
    return fold_key(name_key(alias))


def cue_key(key: str) -> str:
    """The form context cue words are compared in: a lookup key with number/gender folded
    ("التابعة" → "تابع", "احتجاجات" → "احتجاج")."""
    return fold_word(key)


def _cue_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(cue_key(name_key(w)) for w in words)


def _has_article(alias: str) -> bool:
    return normalize(alias).strip().startswith("ال")


# ---------------------------------------------------------------------------- schema

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def validate(instance: Any, schema: Mapping[str, Any]) -> list[str]:
    """Check ``instance`` against a JSON-Schema subset; return the errors (empty if valid).

    Supported keywords: type, enum, required, properties, additionalProperties,
    propertyNames, items, pattern, minimum, maximum, minLength, minItems, maxItems,
    uniqueItems and local ``$ref`` ("#/$defs/...").
    """
    errors: list[str] = []
    _validate(instance, schema, schema, "$", errors)
    return errors


def _resolve_ref(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise DataError(f"schema $ref {ref!r} is not local")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    result: Mapping[str, Any] = node
    return result


def _type_ok(value: Any, names: str | list[str]) -> bool:
    for n in [names] if isinstance(names, str) else names:
        if isinstance(value, bool) and n in ("integer", "number"):
            continue
        if isinstance(value, _TYPES[n]):
            return True
    return False


def _validate(
    value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: str, errors: list[str]
) -> None:
    if "$ref" in schema:
        _validate(value, _resolve_ref(root, schema["$ref"]), root, path, errors)
    if "type" in schema and not _type_ok(value, schema["type"]):
        errors.append(f"{path}: expected {schema['type']}, got {type(value).__name__}")
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{path}: {value!r} is shorter than {schema['minLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: {value!r} does not match {schema['pattern']!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} > {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{path}: more than {schema['maxItems']} items")
        if schema.get("uniqueItems"):
            seen: list[Any] = []
            for item in value:
                if item in seen:
                    errors.append(f"{path}: duplicate item {item!r}")
                seen.append(item)
        if "items" in schema:
            for i, item in enumerate(value):
                _validate(item, schema["items"], root, f"{path}[{i}]", errors)
    if isinstance(value, dict):
        for req in schema.get("required", []):
            if req not in value:
                errors.append(f"{path}: missing {req!r}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            if "propertyNames" in schema:
                _validate(k, schema["propertyNames"], root, f"{path}.<{k}>", errors)
            if k in props:
                _validate(v, props[k], root, f"{path}.{k}", errors)
            elif extra is False:
                errors.append(f"{path}: unexpected property {k!r}")
            elif isinstance(extra, dict):
                _validate(v, extra, root, f"{path}.{k}", errors)


# ---------------------------------------------------------------------------- registry


class ActorRegistry:
    """Canonical actors, their alias index and the generic-side rules."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        """Build from already validated registry data (see :meth:`from_yaml`)."""
        self.countries: dict[str, CountryInfo] = {
            code: CountryInfo(code, c["name"], c["of"], tuple(c.get("nisba", ())))
            for code, c in data["countries"].items()
        }
        #: Folded nisba ("يمني", "تونسي") → country code.
        self.nisba_index: dict[str, str] = {
            fold_word(name_key(n)): c.code for c in self.countries.values() for n in c.nisba
        }
        self._eras: dict[str, list[tuple[int, int, str]]] = {}
        for e in data.get("eras", []):
            self._eras.setdefault(e["name"], []).append((e["from"], e["to"], e["use"]))
        self._by_name: dict[str, Actor] = {}
        self._index: dict[str, list[Actor]] = {}
        #: For one-word keys: whether each actor's aliases are written with the article.
        #: "النظام" (the regime) is not "نظام" (a system); "حماس" is not "الحماس".
        self._definite: dict[tuple[str, str], set[bool]] = {}
        self._prefixes: set[str] = set()
        self.rules: dict[str, GenericRule] = {}
        #: Generic actor by template name ("Military Forces of {of}"), first rule first.
        self._by_template: dict[str, Actor] = {}
        self.max_words = 0
        #: Caches of the mention stage, by normalised word: whether an alias may start
        #: at the word, and the country of its nationality adjective (or ``None``).
        self.word_starts: dict[str, bool] = {}
        self.word_nisba: dict[str, str | None] = {}
        #: What a word may be for the mention stage's later passes (its ``_Roles``).
        self.word_roles: dict[str, Any] = {}
        ctx = data.get("context", {})
        #: Words right before a mention that make it a speaker's affiliation, not a side
        #: ("المتحدث باسم الجيش"); keys folded with :func:`cue_key`.
        self.speaker_before: frozenset[str] = _cue_set(ctx.get("speaker_before", ()))
        #: Words that, between two mentions, make the second the first's parent
        #: ("الجيش التابع للحكومة", "مسلحون موالون لداعش").
        self.affiliation_before: frozenset[str] = _cue_set(ctx.get("affiliation_before", ()))
        #: Words of protest near a mention of people ("تظاهر نحو ألف شخص").
        self.protest_words: frozenset[str] = _cue_set(ctx.get("protest_words", ()))
        #: "<office> ... في <mention>": the mention is the office's organisation
        #: ("وزارة الصحة في حكومة الوفاق", "مصدر في المقاومة").
        self.office_words: frozenset[str] = _cue_set(ctx.get("office_words", ()))
        self.office_links: frozenset[str] = _cue_set(ctx.get("office_links", ()))
        #: Head nouns that refer back to the latest group named with them ("الحزب").
        #: Folded with :func:`alias_key` (a one-word key: gender and number kept).
        self.back_reference_heads: frozenset[str] = frozenset(
            alias_key(w) for w in ctx.get("back_reference", ())
        )
        #: Number words before a nationality noun ("ألف سوري", "50 تونسيا").
        self.number_words: frozenset[str] = _cue_set(ctx.get("number_words", ()))

        for a in data["actors"]:
            years = tuple(a.get("years", (None, None)))
            actor = Actor(
                name=a["name"],
                inter=a["inter"],
                country=a["country"],
                affiliation=a.get("affiliation", ""),
                generic=False,
                kind=a["kind"],
                alt_names=tuple(a.get("alt_names", ())),
                years=(years[0], years[1]),
                country_weight=a.get("country_weight"),
            )
            if actor.name in self._by_name:
                raise DataError(f"actor {actor.name!r} is listed twice in the registry")
            self._by_name[actor.name] = actor
            for alias in a["aliases"]:
                self._add(alias, actor)

        for g in data["generic"]:
            rule = GenericRule(
                g["id"],
                g["name"],
                dict(g.get("by_country", {})),
                g.get("default_country"),
                frozenset(alias_key(w) for w in g.get("not_after", ())),
                frozenset(alias_key(w) for w in g.get("not_before", ())),
                frozenset(alias_key(w) for w in g.get("not_near_after", ())),
                frozenset(str(c).upper() for c in g.get("only_countries", ())),
            )
            if rule.id in self.rules:
                raise DataError(f"generic rule {rule.id!r} is listed twice in the registry")
            self.rules[rule.id] = rule
            gactor = Actor(g["name"], g["inter"], "", "", True, g["kind"], rule=rule.id)
            self._by_name["generic:" + rule.id] = gactor
            self._by_template.setdefault(gactor.name, gactor)
            for alias in g["aliases"]:
                self._add(alias, gactor)
            for tmpl in g.get("nisba_aliases", ()):
                for info in self.countries.values():
                    fixed = self._fill(gactor, info)
                    for nisba in info.nisba:
                        self._add(tmpl.replace("{n}", nisba), fixed, expanded=True)

        for target in (t for r in self.rules.values() for t in r.by_country.values()):
            if target not in self._by_name:
                raise DataError(f"generic rule maps to unknown actor {target!r}")
        for name, eras in self._eras.items():
            for _lo, _hi, use in eras:
                if use not in self._by_name:
                    raise DataError(f"era of {name!r} uses unknown actor {use!r}")

    # -- construction -------------------------------------------------------------

    @classmethod
    def from_yaml(cls, text: str, schema: Mapping[str, Any] | None = None) -> ActorRegistry:
        """Parse, validate and index a registry given as YAML text."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise DataError(f"actor registry is not valid YAML: {exc}") from exc
        errors = validate(data, schema if schema is not None else default_schema())
        if errors:
            shown = "; ".join(errors[:10])
            raise DataError(f"actor registry does not match actors.schema.json: {shown}")
        return cls(data)

    @classmethod
    def from_path(cls, path: str | Path) -> ActorRegistry:
        """Load a registry file (a user-maintained replacement of the packaged one)."""
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise DataError(f"cannot read actor registry {path}: {exc}") from exc
        return cls.from_yaml(text)

    @classmethod
    def load_default(cls) -> ActorRegistry:
        """The packaged registry (loaded once per process)."""
        return _default_registry()

    def _add(self, alias: str, actor: Actor, expanded: bool = False) -> None:
        key = alias_key(alias)
        if not key:
            raise DataError(f"alias {alias!r} of {actor.name!r} has an empty key")
        if expanded and key in self._index:
            return  # an alias written out in the registry wins over a template expansion
        bucket = self._index.setdefault(key, [])
        if actor not in bucket:
            bucket.append(actor)
        words = key.split()
        if len(words) == 1:
            self._definite.setdefault((key, actor.name), set()).add(_has_article(alias))
        self.max_words = max(self.max_words, len(words))
        for i in range(1, len(words)):
            self._prefixes.add(" ".join(words[:i]))

    def _fill(self, gactor: Actor, info: CountryInfo) -> Actor:
        """The actor a generic template names in one country."""
        name = gactor.name.format(name=info.name, of=info.of)
        known = self._by_name.get(name)
        if known is not None:
            return known
        actor = Actor(name, gactor.inter, info.code, "", False, gactor.kind)
        self._by_name[name] = actor
        return actor

    # -- lookup ---------------------------------------------------------------------

    def candidates(self, key: str, definite: bool | None = None) -> list[Actor]:
        """Actors one alias key names (``key`` = ``name_key(alias)``; folded here).

        For a one-word key, ``definite`` (whether the word in the text carries the
        article) keeps only actors with an alias written the same way.
        """
        folded = fold_key(key)
        found = self._index.get(folded, ())
        if definite is None or " " in folded:
            return list(found)
        return [a for a in found if definite in self._definite.get((folded, a.name), ())]

    def lookup_folded(self, folded: str, definite: bool | None = None) -> list[Actor]:
        """:meth:`candidates` for a key already folded with :func:`fold_key`."""
        found = self._index.get(folded)
        if not found:
            return []
        if definite is None or " " in folded:
            return list(found)
        return [a for a in found if definite in self._definite.get((folded, a.name), ())]

    def is_prefix_folded(self, folded: str) -> bool:
        """:meth:`is_prefix` for a key whose words are already folded with :func:`fold_word`."""
        return folded in self._prefixes

    def is_prefix(self, key: str) -> bool:
        """Whether ``key`` is the first words of a longer alias key."""
        return " ".join(fold_word(w) for w in key.split()) in self._prefixes

    def blocked(
        self,
        actor: Actor,
        before: Iterable[str],
        after: Iterable[str],
        near_before: Iterable[str] = (),
    ) -> bool:
        """Whether a one-word match of generic ``actor`` is another sense of the word.

        ``before``/``after`` are the lookup keys (``match_keys``) of the neighbouring words,
        ``near_before`` those of the three words before.
        """
        rule = self.rules.get(actor.rule) if actor.generic else None
        if rule is None:
            return False
        return (
            any(fold_key(k) in rule.not_after for k in before)
            or any(fold_key(k) in rule.not_before for k in after)
            or any(fold_key(k) in rule.not_near_after for k in near_before)
        )

    def by_name(self, name: str) -> Actor | None:
        """The actor with this canonical name.

        Generic sides are found as "generic:<rule id>" or by their template name
        ("Civilians ({name})"; where rules share a template, the first one's).
        """
        return self._by_name.get(name) or self._by_template.get(name)

    def ambiguous_keys(self) -> dict[str, list[str]]:
        """Index keys that name more than one actor (the article's country decides)."""
        return {k: [a.name for a in v] for k, v in self._index.items() if len(v) > 1}

    def names(self) -> list[str]:
        """Every canonical name (named actors and country-filled generic ones)."""
        return sorted(n for n in self._by_name if not n.startswith("generic:"))

    def __iter__(self) -> Iterator[Actor]:
        return iter(list(self._by_name.values()))

    def __len__(self) -> int:
        return len(self._by_name)

    def country_info(self, code: str | None) -> CountryInfo | None:
        """Name fields of a country code, or ``None`` when the registry lacks it."""
        return self.countries.get(code.upper()) if code else None

    # -- resolution -----------------------------------------------------------------

    def resolve_generic(self, actor: Actor, country: str | None, year: int | None = None) -> Actor:
        """The actor a generic side means in ``country`` (ISO alpha-2), in ``year``.

        "قوات النظام" in SY → Military Forces of Syria; "مسلحون مجهولون" in IQ →
        Unidentified Armed Group (Iraq); "التحالف" in YE → Saudi-led Coalition. A named
        actor is returned as it is, apart from era renamings (the Yemeni army in 2015–2017
        → Military Forces of Yemen (Hadi faction)). When the country is unknown and the
        rule has no default, the generic actor itself is returned.
        """
        if actor.generic:
            rule = self.rules.get(actor.rule)
            if rule is None:
                return actor
            code = (country or rule.default_country or "").upper()
            if rule.only_countries and code not in rule.only_countries:
                return actor  # "النظام" outside Syria: no side
            if code in rule.by_country:
                actor = self._by_name[rule.by_country[code]]
            elif "{" in rule.template and code in self.countries:
                actor = self._fill(actor, self.countries[code])
            else:
                return actor
        return self._era(actor, year)

    def _era(self, actor: Actor, year: int | None) -> Actor:
        if year is None:
            return actor
        for lo, hi, use in self._eras.get(actor.name, ()):
            if lo <= year <= hi:
                return self._by_name[use]
        return actor

    def resolve_mention(
        self, attrs: Mapping[str, Any], country: str | None, year: int | None = None
    ) -> Actor | None:
        """Resolve the ``attrs`` of an ACTOR span (written by ``actors/v1``) in ``country``."""
        if attrs.get("generic"):
            actor = self.by_name("generic:" + str(attrs.get("rule", "")))
        else:
            actor = self.by_name(str(attrs.get("name", "")))
        if actor is None:
            return None
        return self.resolve_generic(actor, country, year)

    def inter_in(self, actor: Actor, country: str | None) -> int:
        """ACLED inter code of ``actor`` in an event in ``country``.

        State forces acting outside their own country are external forces (8).
        """
        if actor.inter == 1 and actor.country and country and actor.country != country:
            return 8
        return actor.inter


@lru_cache(maxsize=1)
def default_schema() -> dict[str, Any]:
    """The packaged ``actors.schema.json``."""
    text = resources.files("marsad").joinpath("data/actors.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _default_registry() -> ActorRegistry:
    try:
        text = resources.files("marsad").joinpath("data/actors.yaml").read_text("utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise DataError(f"packaged actor registry is missing: {exc}") from exc
    return ActorRegistry.from_yaml(text)


@Resources.provide("actors")
def _provide_actors() -> ActorRegistry:
    """The default ``actors`` service: the packaged registry."""
    return ActorRegistry.load_default()
