"""``actors/v1``: actor mentions found by token n-gram lookup in the actor registry.

Each token gives its lookup keys (:func:`marsad.text.arabic.clitic_variants` with the
article stripped, the same keys as :func:`~marsad.text.arabic.match_keys`); n-grams are
grown word by word while the registry says the words so far begin a longer alias
(:meth:`ActorRegistry.is_prefix`), and the longest alias found wins. Matches stay inside
one sentence; quotation marks inside a name ("تنظيم «داعش»") are skipped over.

Every match becomes ``Span(start, end, "ACTOR", attrs)`` with

- ``name``: canonical name; generic sides are resolved by the article's country
  (:func:`article_country`) and year, and keep ``generic=True`` and their ``rule`` so a
  later stage can resolve them again with a better country
  (:meth:`ActorRegistry.resolve_mention`); ``resolved`` says whether that worked;
- ``inter``, ``kind``, ``country``, ``affiliation``, ``alt_names`` of the resolved actor;
- ``text``: the words as written, without a leading و/ف/ب/ل/ك (the article stays).

Registry entries of kind ``source-only`` (monitoring groups, "ناشطون") are not sides and
give no ACTOR span.

After alias matching (:func:`find_actor_matches`) three passes use the registry's
``context`` cues: :func:`nationality_people` adds people named by a number and a
nationality noun ("ألف سوري"), :func:`back_references` adds bare head nouns that refer
back to a group ("مواقع الحزب" → PKK), and :func:`apply_context` drops speakers'
organisations ("المتحدث باسم الجيش", "مصدر في المقاومة") and parents named after
التابع/الموالي, and reads people near protest words as protesters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from marsad.doc import Doc, Span, Token
from marsad.pipeline import Resources, register
from marsad.resolve.actors import Actor, ActorRegistry, fold_key, fold_word
from marsad.text.arabic import clitic_variants, normalize, strip_article

#: Punctuation a name may contain or be wrapped in: «ولاية سيناء», "داعش".
_QUOTES = frozenset("«»\"“”„'‘’")

#: Weight of one mention when guessing the article's country, by actor kind.
_COUNTRY_WEIGHT = {
    "rebel": 1.0,
    "militia": 1.0,
    "party": 0.5,
    "state": 0.75,
    "external": 0.25,
}
_DEFAULT_COUNTRY_WEIGHT = 0.5
#: Weight of one nationality adjective in the text ("التونسية", "اليمني").
_NISBA_WEIGHT = 0.25


@dataclass(frozen=True, slots=True)
class _Match:
    first: int  # index of the first token
    last: int  # index of the last token
    prefix: str  # normalised proclitics stripped from the first word
    key: str
    actors: tuple[Actor, ...]


def token_keys(tok: Token) -> list[tuple[str, str]]:
    """(lookup key, stripped proclitics) pairs of one token, most stripped first."""
    return list(_word_keys(tok.norm))


@lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for pre, rest in clitic_variants(word):
        key = strip_article(rest)
        if key and key not in seen:
            seen.add(key)
            if key != rest:
                pre += rest[: len(rest) - len(key)]
            out.append((key, pre))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Key:
    key: str  # lookup key (proclitics and article stripped)
    pre: str  # the stripped proclitics
    multi: str  # ``fold_word(key)``: the form of a word inside a multi-word key
    single: str  # ``fold_key(key)``: the form of a one-word key


@lru_cache(maxsize=1 << 16)
def _word_info(word: str) -> tuple[_Key, ...]:
    return tuple(_Key(k, pre, fold_word(k), fold_key(k)) for k, pre in _word_keys(word))


#: Entries of a registry's word caches before they are emptied.
_CACHE_MAX = 1 << 17


class _LazyInfo:
    """:func:`_word_info` of each token, computed on first use (punctuation: none)."""

    __slots__ = ("_infos", "_tokens")

    def __init__(self, tokens: Sequence[Token]) -> None:
        self._tokens = tokens
        self._infos: list[tuple[_Key, ...] | None] = [None] * len(tokens)

    def __getitem__(self, i: int) -> tuple[_Key, ...]:
        info = self._infos[i]
        if info is None:
            tok = self._tokens[i]
            info = self._infos[i] = () if tok.is_punct else _word_info(tok.norm)
        return info


def find_actor_matches(
    tokens: Sequence[Token], registry: ActorRegistry
) -> list[tuple[int, int, str, str, list[Actor]]]:
    """Greedy longest matches of registry aliases over ``tokens``.

    Returns (first token, last token, stripped proclitics, key, candidate actors).
    """
    infos = _LazyInfo(tokens)
    starts = registry.word_starts
    if len(starts) > _CACHE_MAX:
        starts.clear()
    out: list[tuple[int, int, str, str, list[Actor]]] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.is_punct:
            i += 1
            continue
        can_start = starts.get(tok.norm)
        if can_start is None:
            can_start = starts[tok.norm] = any(
                registry.lookup_folded(k.single) or registry.is_prefix_folded(k.multi)
                for k in infos[i]
            )
        if not can_start:
            i += 1
            continue
        best = _longest_at(i, tokens, infos, registry)
        if best is None:
            i += 1
            continue
        out.append((best.first, best.last, best.prefix, best.key, list(best.actors)))
        i = best.last + 1
    return out


def _next_word(tokens: Sequence[Token], j: int) -> int | None:
    """Index of the word after token ``j`` in the same sentence, skipping quote marks."""
    sent = tokens[j].sent
    k = j + 1
    while k < len(tokens) and tokens[k].sent == sent:
        tok = tokens[k]
        if not tok.is_punct:
            return k
        if tok.norm not in _QUOTES:
            return None
        k += 1
    return None


def _prev_word(tokens: Sequence[Token], j: int) -> int | None:
    """Index of the word before token ``j`` in the same sentence, skipping quote marks."""
    sent = tokens[j].sent
    k = j - 1
    while k >= 0 and tokens[k].sent == sent:
        tok = tokens[k]
        if not tok.is_punct:
            return k
        if tok.norm not in _QUOTES:
            return None
        k -= 1
    return None


def _words_before(tokens: Sequence[Token], j: int, n: int) -> list[int]:
    """Indices of up to ``n`` words before token ``j`` in its sentence, nearest first."""
    sent = tokens[j].sent
    out: list[int] = []
    k = j - 1
    while k >= 0 and len(out) < n and tokens[k].sent == sent:
        if not tokens[k].is_punct:
            out.append(k)
        k -= 1
    return out


def _words_after(tokens: Sequence[Token], j: int, n: int) -> list[int]:
    """Indices of up to ``n`` words after token ``j`` in its sentence, nearest first."""
    sent = tokens[j].sent
    out: list[int] = []
    k = j + 1
    while k < len(tokens) and len(out) < n and tokens[k].sent == sent:
        if not tokens[k].is_punct:
            out.append(k)
        k += 1
    return out


def _cues(tok: Token) -> set[str]:
    """The token's keys in the form of context cues (:func:`cue_key`)."""
    return {k.multi for k in _word_info(tok.norm)}


def _has_lam(prefix: str) -> bool:
    """The stripped proclitics attach ل ("للحكومة", "ولنظام")."""
    return prefix.lstrip("وف").startswith("ل")


Match = tuple[int, int, str, str, list[Actor]]


@dataclass(frozen=True, slots=True)
class _Roles:
    """What one word may be, for the passes after alias matching (cached per registry)."""

    nationality: tuple[str, str, str] | None  # (country, proclitics, key): "سوري", "تونسيا"
    head: tuple[str, str, str] | None  # (folded head, proclitics, key): "الحزب", "التنظيم"
    number: bool  # "50", "ألف", "عشرات"
    definite: bool  # carries the article


def _roles(word: str, registry: ActorRegistry) -> _Roles:
    cache = registry.word_roles
    found: _Roles | None = cache.get(word)
    if found is not None:
        return found
    if len(cache) > _CACHE_MAX:
        cache.clear()
    info = _word_info(word)
    nationality = head = None
    for k in info:
        code = registry.nisba_index.get(k.multi)
        if code is not None and not k.pre.endswith("ال"):
            nationality = (code, k.pre, k.key)
            break
    for k in info:
        # the one-word fold keeps the plural apart: "التنظيمات" is not "التنظيم"
        if k.pre.endswith("ال") and k.single in registry.back_reference_heads:
            head = (k.multi, k.pre, k.key)
            break
    number = any(ch.isdigit() for ch in word) or any(k.multi in registry.number_words for k in info)
    found = cache[word] = _Roles(nationality, head, number, any(k.pre.endswith("ال") for k in info))
    return found


def nationality_people(
    tokens: Sequence[Token], matches: Sequence[Match], registry: ActorRegistry
) -> list[Match]:
    """``matches`` with people named by a number and a nationality noun added ("ألف سوري",
    "50 تونسيا", "ثلاثة أمريكيين" → Civilians of that country)."""
    civilians = registry.by_name("generic:civilians")
    if civilians is None:
        return list(matches)
    taken = {i for first, last, *_ in matches for i in range(first, last + 1)}
    extra: list[Match] = []
    for i, tok in enumerate(tokens):
        if tok.is_punct or i in taken:
            continue
        nat = _roles(tok.norm, registry).nationality
        if nat is None:
            continue
        prev = _prev_word(tokens, i)
        if prev is not None and _roles(tokens[prev].norm, registry).number:
            code, pre, key = nat
            extra.append((i, i, pre, key, [registry.resolve_generic(civilians, code)]))
    if not extra:
        return list(matches)
    return sorted([*matches, *extra], key=lambda m: m[0])


def back_references(
    tokens: Sequence[Token], matches: Sequence[Match], registry: ActorRegistry
) -> list[Match]:
    """``matches`` with back references added: a bare definite head noun ("الحزب",
    "التنظيم", "الحركة") names the latest group before it whose name opens with that
    noun ("حزب العمال الكردستاني", "تنظيم داعش", "حركة طالبان")."""
    if not registry.back_reference_heads or not matches:
        return list(matches)
    taken = {i for first, last, *_ in matches for i in range(first, last + 1)}
    by_start = sorted(matches, key=lambda m: m[0])
    extra: list[Match] = []
    latest: dict[str, list[Actor]] = {}
    pos = 0
    for i, tok in enumerate(tokens):
        if tok.is_punct or i in taken:
            continue
        head = _roles(tok.norm, registry).head
        if head is None:
            continue
        while pos < len(by_start) and by_start[pos][0] < i:
            _, _, _, key, cands = by_start[pos]
            words = key.split()
            if len(words) > 1 and not any(a.generic for a in cands):
                latest[fold_word(words[0])] = cands
            pos += 1
        folded, pre, key = head
        if folded not in latest:
            continue
        nxt = _next_word(tokens, i)
        if nxt is not None and _roles(tokens[nxt].norm, registry).definite:
            continue  # "الحزب الحاكم": another group
        extra.append((i, i, pre, key, list(latest[folded])))
    if not extra:
        return list(matches)
    return sorted([*matches, *extra], key=lambda m: m[0])


def apply_context(
    tokens: Sequence[Token], matches: Sequence[Match], registry: ActorRegistry
) -> list[Match]:
    """Drop or re-read matches by the words around them.

    - after a speaker cue ("المتحدث باسم الجيش") or an office and في ("وزارة الصحة في
      حكومة الوفاق", "مصدر في المقاومة") the mention is the speaker's organisation, not a
      side: dropped;
    - "A التابع لـB" / "A الموالية لـB": one side; B is dropped, unless A is only an
      unidentified group ("مسلحون موالون لداعش"), which B then names: A is dropped;
    - generic people (civilians) with a protest word near them ("تظاهر نحو ألف شخص",
      "احتجاجات أهالي المدينة") are protesters.
    """
    drop: set[int] = set()
    protesters = registry.by_name("generic:protesters")
    out: list[tuple[int, Match]] = []
    for n, (first, last, prefix, key, cands) in enumerate(matches):
        prev = _prev_word(tokens, first)
        if prev is not None:
            cues = _cues(tokens[prev])
            if cues & registry.speaker_before or (
                cues & registry.office_links
                and any(
                    _cues(tokens[j]) & registry.office_words for j in _words_before(tokens, prev, 2)
                )
            ):
                drop.add(n)
                continue
            if n > 0 and _has_lam(prefix) and cues & registry.affiliation_before:
                _, p_last, _, _, p_cands = matches[n - 1]
                if _prev_word(tokens, prev) == p_last and n - 1 not in drop:
                    if all(a.generic and a.kind == "unknown" for a in p_cands):
                        drop.add(n - 1)
                    else:
                        drop.add(n)
                        continue
        if protesters is not None and all(a.kind == "civilians" for a in cands):
            near = _words_before(tokens, first, 4) + _words_after(tokens, last, 10)
            if any(_cues(tokens[j]) & registry.protest_words for j in near):
                cands = [
                    protesters if a.generic else registry.resolve_generic(protesters, a.country)
                    for a in cands
                ]
        out.append((n, (first, last, prefix, key, cands)))
    return [m for n, m in out if n not in drop]


def _longest_at(
    i: int,
    tokens: Sequence[Token],
    infos: _LazyInfo,
    registry: ActorRegistry,
) -> _Match | None:
    """The longest alias starting at token ``i`` (with context guards for one word)."""
    best: _Match | None = None
    for k in infos[i]:
        cands = registry.lookup_folded(k.single, definite=k.pre.endswith("ال"))
        if cands:
            best = _Match(i, i, k.pre, k.key, tuple(cands))
            break
    # (raw key, folded key, proclitics) of the word sequences that begin a longer alias
    paths = [(k.key, k.multi, k.pre) for k in infos[i] if registry.is_prefix_folded(k.multi)]
    j = i
    depth = 1
    while paths and depth < registry.max_words:
        nxt = _next_word(tokens, j)
        if nxt is None:
            break
        grown = [
            (raw + " " + k.key, folded + " " + k.multi, pre)
            for raw, folded, pre in paths
            for k in infos[nxt]
        ]
        j = nxt
        depth += 1
        for raw, folded, pre in grown:
            cands = registry.lookup_folded(folded)
            if cands:
                best = _Match(i, j, pre, raw, tuple(cands))
                break
        paths = [p for p in grown if registry.is_prefix_folded(p[1])]
    if best is None:
        return None
    if best.first == best.last and any(a.generic for a in best.actors):
        before = infos[i - 1] if i > 0 else ()
        nxt = _next_word(tokens, i)
        after = infos[nxt] if nxt is not None else ()
        near = [k.key for j in _words_before(tokens, i, 3) for k in infos[j]]
        kept = tuple(
            a
            for a in best.actors
            if not registry.blocked(a, [k.key for k in before], [k.key for k in after], near)
        )
        if not kept:
            return None
        best = _Match(best.first, best.last, best.prefix, best.key, kept)
    return best


def _clitic_length(prefix: str) -> int:
    """Normalised letters of a stripped prefix to leave out of the mention text.

    The conjunction/preposition goes, the article stays ("والحوثيين" → "الحوثيين"); after
    ل + ال written "لل" the word is kept whole ("للجيش"), as the article cannot be cut out.
    """
    if prefix.endswith("لال"):
        return 0
    if prefix.endswith("ال"):
        return len(prefix) - 2
    return len(prefix)


def _skip_letters(text: str, start: int, end: int, count: int) -> int:
    """Offset in ``text`` after ``count`` letters that survive normalisation from ``start``."""
    pos = start
    seen = 0
    while pos < end and seen < count:
        if normalize(text[pos]):
            seen += 1
        pos += 1
    while pos < end and not normalize(text[pos]):  # diacritics of the skipped letter
        pos += 1
    return pos


def _span_end(text: str, tokens: Sequence[Token], first: int, last: int) -> int:
    """End offset of a match, closing a quotation mark that the match opened."""
    end = tokens[last].end
    while end < len(text) and not text[end].isspace() and not normalize(text[end]):
        end += 1  # diacritics after the last letter ("حوثيًا")
    opened = sum(1 for t in tokens[first : last + 1] if t.norm in _QUOTES)
    if opened % 2 == 1 and last + 1 < len(tokens) and tokens[last + 1].norm in _QUOTES:
        end = tokens[last + 1].end
    return end


def _country_votes(actors: Iterable[Actor], registry: ActorRegistry) -> dict[str, float]:
    votes: dict[str, float] = {}
    for a in actors:
        if a.generic:
            rule = registry.rules.get(a.rule)
            if rule is not None and rule.default_country:
                c = rule.default_country
                votes[c] = votes.get(c, 0.0) + _DEFAULT_COUNTRY_WEIGHT
        elif a.country and a.kind in ("civilians", "protesters"):
            # people of a nationality ("مواطن تونسي", "ألف سوري"): as much as the adjective
            votes[a.country] = votes.get(a.country, 0.0) + _NISBA_WEIGHT
        elif a.country and a.country_weight is not None:
            votes[a.country] = votes.get(a.country, 0.0) + a.country_weight
        elif a.country and a.kind in _COUNTRY_WEIGHT:
            votes[a.country] = votes.get(a.country, 0.0) + _COUNTRY_WEIGHT[a.kind]
    return votes


def _best(votes: dict[str, float]) -> str | None:
    if not votes:
        return None
    # max keeps the first of equal counts (dicts keep insertion order): the earliest wins
    return max(votes, key=votes.__getitem__)


def article_country(doc: Doc, registry: ActorRegistry) -> str | None:
    """Best guess of the article's country (ISO alpha-2) from its ACTOR mentions.

    Named groups count most (Houthis → YE, Hayat Tahrir al-Sham → SY), state forces
    less, foreign/external forces least; generic sides count only through a default
    country of their rule ("قوات النظام" → SY), and each nationality adjective of the
    text ("التونسية") a little. ``None`` when nothing points anywhere.
    """
    actors: list[Actor] = []
    for span in doc.spans("ACTOR"):
        a = span.attrs
        if a.get("generic"):
            g = registry.by_name("generic:" + str(a.get("rule", "")))
            if g is not None:
                actors.append(g)
        else:
            named = registry.by_name(str(a.get("name", "")))
            if named is not None:
                actors.append(named)
    votes = _country_votes(actors, registry)
    _add_nisba_votes(votes, doc.tokens, registry, [(s.start, s.end) for s in doc.spans("ACTOR")])
    return _best(votes)


def _add_nisba_votes(
    votes: dict[str, float],
    tokens: Sequence[Token],
    registry: ActorRegistry,
    inside: Sequence[tuple[int, int]],
) -> None:
    """Add a small vote for each nationality adjective of the text outside actor names
    (``inside``: offset ranges of the actor mentions, already counted)."""
    table = registry.nisba_index
    cache = registry.word_nisba
    if len(cache) > _CACHE_MAX:
        cache.clear()
    covered = {i for s, e in inside for i in range(s, e)}
    for tok in tokens:
        if tok.is_punct:
            continue
        if tok.norm in cache:
            code = cache[tok.norm]
        else:
            code = cache[tok.norm] = next(
                (c for k in _word_info(tok.norm) if (c := table.get(k.multi)) is not None), None
            )
        if code is not None and tok.start not in covered and tok.end - 1 not in covered:
            votes[code] = votes.get(code, 0.0) + _NISBA_WEIGHT


def _choose(cands: Sequence[Actor], country: str | None, year: int | None) -> Actor:
    """Among actors sharing an alias, prefer the article's country, then the era."""

    def score(a: Actor) -> tuple[int, int, int]:
        return (int(bool(country) and a.country == country), int(a.active_in(year)), -a.generic)

    return max(cands, key=score)


@register("actors/v1")
class ActorMentions:
    """Find actor mentions and resolve generic sides by the article's country."""

    reads: ClassVar[tuple[str, ...]] = ("tokens",)
    writes: ClassVar[tuple[str, ...]] = ("actors",)

    def __init__(self, resources: Resources) -> None:
        self.registry: ActorRegistry = resources.get("actors")

    def __call__(self, doc: Doc) -> Doc:
        reg = self.registry
        year = doc.meta.published.year if doc.meta.published else None
        found = nationality_people(doc.tokens, find_actor_matches(doc.tokens, reg), reg)
        found = back_references(doc.tokens, found, reg)
        matches = apply_context(doc.tokens, found, reg)
        # First pass: the country the unambiguous named actors point to.
        votes = _country_votes(
            (_choose(cands, None, year) for *_, cands in matches if len(cands) == 1), reg
        )
        spans = [(doc.tokens[m[0]].start, doc.tokens[m[1]].end) for m in matches]
        _add_nisba_votes(votes, doc.tokens, reg, spans)
        country = _best(votes)
        for first, last, prefix, key, cands in matches:
            actor = _choose(cands, country, year)
            if actor.kind == "source-only":
                continue
            resolved = reg.resolve_generic(actor, country, year)
            tok = doc.tokens[first]
            start = _skip_letters(doc.text, tok.start, tok.end, _clitic_length(prefix))
            end = _span_end(doc.text, doc.tokens, first, last)
            attrs: dict[str, Any] = {
                "name": resolved.name,
                "text": doc.text[start:end],
                "generic": actor.generic,
                "resolved": not resolved.generic,
                "rule": actor.rule,
                "kind": resolved.kind,
                "inter": resolved.inter if resolved.generic else reg.inter_in(resolved, country),
                "country": resolved.country,
                "affiliation": resolved.affiliation,
                "alt_names": list(resolved.alt_names),
                "key": key,
            }
            doc.add(Span(start, end, "ACTOR", attrs))
        return doc
