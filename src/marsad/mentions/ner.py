"""Arabic named-entity recognition: a BiLSTM-CRF run by a numpy forward pass.

The model is trained by ``scripts/train_ner.py`` (torch, CPU) on ANERcorp and shipped
as plain arrays in ``marsad/data/ner/`` (``model.npz``, ``gazetteer.tsv``,
``model.json``). At run time only numpy is needed.

Tokens are words split on whitespace and punctuation, as in ANERcorp, where clitics
stay attached to their word ("وبغداد" is one token). Each token is represented by

* a word vector (skip-gram, pretrained on unlabelled news) looked up by its normalised
  form, falling back to its clitic-stripped forms;
* a character CNN over its normalised letters;
* a few binary features: shape, proclitics, and membership of gazetteer names.

Tags are BIO over PERS, LOC, ORG and MISC; decoding is Viterbi over the CRF scores, with
an optional per-type bias in favour of entity tags (``decoding`` in ``model.json``, or
``o_bias=``/``type_bias=``; the shipped model has none: docs/ner.md says why), and each
entity gets the mean CRF marginal probability of its tags as its score.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from marsad.doc import Doc, Span, Token
from marsad.errors import DataError
from marsad.mentions.ner_eval import chunks
from marsad.pipeline import Resources, register
from marsad.text.arabic import clitic_variants, normalize

log = logging.getLogger(__name__)

#: Entity types predicted by the model.
ENTITY_TYPES: tuple[str, ...] = ("PERS", "LOC", "ORG", "MISC")

# A word: letters/digits with their diacritics and tatweel; numbers keep their inner
# separators and a trailing percent sign ("1.3", "30%"); anything else is one token.
_TOKEN_RE = re.compile(
    r"\d+(?:[.,٫٬]\d+)*%?"
    r"|[\w\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed]+"
    r"|[^\s\w]",
)
_DIGIT_RE = re.compile(r"\d")
_LATIN_RE = re.compile(r"[A-Za-z]")
_ALNUM_RE = re.compile(r"\w")
#: Tokens that end a sentence when tagging plain text.
_SENT_END = frozenset({".", "!", "?", "؟", "…"})
#: Longest gazetteer name, in tokens.
MAX_GAZ_LEN = 4
#: Sentences either side that count as the same document when propagating names
#: (chosen on held-out ANERcorp training sentences).
DOC_WINDOW = 20
#: Least entity score for a name to be propagated.
PROPAGATE_MIN_SCORE = 0.7
#: Characters of a word seen by the character CNN.
MAX_CHARS = 20
PAD, UNK = 0, 1

#: Names of the binary features, in column order.
FLAG_NAMES: tuple[str, ...] = (
    "punct",
    "digit",
    "latin",
    "conj_wa_fa",
    "article",
    "prep_b_l_k",
    "in_vocab",
    "via_stem",
    "short",
    "nisba",
    *(f"gaz_{bi}_{t}" for t in ("LOC", "PERS", "ORG") for bi in ("B", "I")),
)
_GAZ_TYPES: tuple[str, ...] = ("LOC", "PERS", "ORG")
_N_TOKEN_FLAGS = FLAG_NAMES.index("gaz_B_LOC")
_GAZ_COL = {t: FLAG_NAMES.index(f"gaz_B_{t}") for t in _GAZ_TYPES}


def tokenize(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of the tokens of ``text`` (ANERcorp style)."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def sentences_of(text: str) -> list[list[tuple[int, int]]]:
    """Tokens of plain ``text`` grouped into sentences (end punctuation or a newline)."""
    out: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    last_end = 0
    for start, end in tokenize(text):
        if cur and "\n" in text[last_end:start]:
            out.append(cur)
            cur = []
        cur.append((start, end))
        last_end = end
        if text[start:end] in _SENT_END:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


@lru_cache(maxsize=200_000)
def word_key(token: str) -> str:
    """The lookup key of a token: normalised, lower-cased, every digit folded to 0."""
    return _DIGIT_RE.sub("0", normalize(token).lower())


@lru_cache(maxsize=200_000)
def lookup_keys(key: str) -> tuple[str, ...]:
    """Keys to try for a word, most specific first: the word, then clitic-stripped forms."""
    keys = [key]
    for _pre, rest in reversed(clitic_variants(key)):
        if rest not in keys:
            keys.append(rest)
    return tuple(keys)


def name_keys(name: str) -> tuple[str, ...]:
    """The token keys of a gazetteer name."""
    return tuple(word_key(name[s:e]) for s, e in tokenize(name))


class Gazetteer:
    """Names of places, people and organisations, matched over token sequences."""

    def __init__(self, names: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        """``names``: (type, token keys as made by :func:`name_keys`) pairs."""
        self.index: dict[tuple[str, ...], int] = {}
        #: Longest name starting with each first key (most tokens start none).
        self.longest: dict[str, int] = {}
        for typ, toks in names:
            if typ in _GAZ_TYPES and 0 < len(toks) <= MAX_GAZ_LEN:
                self.index[toks] = self.index.get(toks, 0) | (1 << _GAZ_TYPES.index(typ))
                self.longest[toks[0]] = max(self.longest.get(toks[0], 0), len(toks))

    @classmethod
    def from_tsv(cls, path: Path | Any) -> Gazetteer:
        """Read ``TYPE<TAB>key key ...`` lines (names already turned into token keys)."""
        text = path.read_text(encoding="utf-8")
        pairs = (ln.split("\t", 1) for ln in text.splitlines() if "\t" in ln)
        return cls((t, tuple(n.split(" "))) for t, n in pairs)

    def mark(self, keys: Sequence[str], flags: np.ndarray) -> None:
        """Set the gazetteer B/I columns of ``flags`` for every name found in ``keys``."""
        n = len(keys)
        longest = self.longest
        for i in range(n):
            firsts = [k for k in lookup_keys(keys[i]) if k in longest]
            if not firsts:
                continue
            top = max(longest[k] for k in firsts)
            for ln in range(min(top, n - i), 0, -1):
                rest = tuple(keys[i + 1 : i + ln])
                mask = 0
                for first in firsts:
                    mask |= self.index.get((first, *rest), 0)
                if not mask:
                    continue
                for ti, typ in enumerate(_GAZ_TYPES):
                    if mask >> ti & 1:
                        col = _GAZ_COL[typ]
                        flags[i, col] = 1.0
                        flags[i + 1 : i + ln, col + 1] = 1.0
                break


@dataclass
class Encoded:
    """A sentence turned into model inputs."""

    words: np.ndarray  # (n,) int word ids
    chars: list[str]  # normalised character strings fed to the char CNN
    flags: np.ndarray  # (n, len(FLAG_NAMES)) float32


class Featurizer:
    """Turns token strings into word ids, character strings and binary features."""

    def __init__(self, vocab: Sequence[str], chars: Sequence[str], gazetteer: Gazetteer) -> None:
        self.vocab = {w: i for i, w in enumerate(vocab)}
        self.char_index = {c: i for i, c in enumerate(chars)}
        self.gazetteer = gazetteer
        self._cache: dict[str, tuple[str, int, tuple[float, ...]]] = {}

    def same_tables(self, vocab: Sequence[str], chars: Sequence[str]) -> bool:
        """Whether this featurizer was built from exactly these words and characters."""
        return list(self.vocab) == list(vocab) and list(self.char_index) == list(chars)

    def word_id(self, key: str) -> tuple[int, int]:
        """(id, how): how is 0 for an exact hit, 1 via a clitic-stripped form, 2 unknown."""
        wid = self.vocab.get(key)
        if wid is not None:
            return wid, 0
        for k in lookup_keys(key)[1:]:
            wid = self.vocab.get(k)
            if wid is not None:
                return wid, 1
        return UNK, 2

    def token_features(self, tok: str) -> tuple[str, int, tuple[float, ...]]:
        """(key, word id, the non-gazetteer flags) of one token string (memoised)."""
        hit = self._cache.get(tok)
        if hit is not None:
            return hit
        key = word_key(tok)
        wid, how = self.word_id(key)
        flags = (
            not _ALNUM_RE.search(tok),
            "0" in key,
            bool(_LATIN_RE.search(tok)),
            len(key) > 3 and key[0] in "وف",
            "ال" in key[:4] and len(key) > 4,
            len(key) > 3 and (key[0] in "بلك" or (key[0] in "وف" and key[1] in "بلك")),
            how == 0,
            how == 1,
            len(key) <= 2,
            len(key) > 3 and (key.endswith("ي") or key.endswith("يه")),
        )
        out = (key, wid, tuple(float(f) for f in flags))
        if len(self._cache) < 500_000:
            self._cache[tok] = out
        return out

    def encode(self, tokens: Sequence[str]) -> Encoded:
        """Encode one sentence of token strings."""
        feats = [self.token_features(t) for t in tokens]
        keys = [f[0] for f in feats]
        ids = np.array([f[1] for f in feats], dtype=np.int64)
        flags = np.zeros((len(tokens), len(FLAG_NAMES)), dtype=np.float32)
        flags[:, :_N_TOKEN_FLAGS] = [f[2] for f in feats]
        self.gazetteer.mark(keys, flags)
        return Encoded(ids, keys, flags)

    def char_ids(self, words: Sequence[str]) -> np.ndarray:
        """(len(words), MAX_CHARS) character ids, 0-padded."""
        out = np.zeros((len(words), MAX_CHARS), dtype=np.int64)
        get = self.char_index.get
        for i, w in enumerate(words):
            for j, ch in enumerate(w[:MAX_CHARS]):
                out[i, j] = get(ch, UNK)
        return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (np.tanh(0.5 * x) + 1.0))


@dataclass
class Tagged:
    """Predicted tags of one sentence and the marginal probability of each."""

    tags: list[str]
    probs: list[float]


class _Member:
    """One trained BiLSTM-CRF: its featurizer and arrays (torch gate order re-packed)."""

    def __init__(
        self,
        weights: dict[str, np.ndarray],
        kernel: int,
        gaz: Gazetteer,
        shared: Featurizer | None = None,
    ) -> None:
        vocab = bytes(weights["vocab"]).decode("utf-8").split("\n")
        chars = bytes(weights["chars"]).decode("utf-8").split("\n")
        if shared is not None and shared.same_tables(vocab, chars):
            self.featurizer = shared  # members trained on the same data share one
        else:
            self.featurizer = Featurizer(vocab, chars, gaz)
        f32 = np.float32
        if "word_emb_q" in weights:  # int8 rows with one scale each
            scale = weights["word_emb_scale"].astype(f32)
            self.word_emb = weights["word_emb_q"].astype(f32) * scale[:, None]
        else:
            self.word_emb = weights["word_emb"].astype(f32)
        self.char_emb = weights["char_emb"].astype(f32)
        self.conv_w = weights["conv_w"].astype(f32)  # (k * char_dim, filters)
        self.conv_b = weights["conv_b"].astype(f32)
        self.kernel = kernel
        self._char_cache: dict[str, np.ndarray] = {}
        hdim = weights["lstm_f_whh"].shape[1]
        # torch orders the gates i, f, g, o; reorder to i, f, o, g so that one sigmoid
        # covers the first three.
        perm = np.r_[0 : 2 * hdim, 3 * hdim : 4 * hdim, 2 * hdim : 3 * hdim]
        self.wih = {d: weights[f"lstm_{d}_wih"].astype(f32)[perm].T.copy() for d in "fb"}
        self.whh = {d: weights[f"lstm_{d}_whh"].astype(f32)[perm].T.copy() for d in "fb"}
        self.bias = {d: weights[f"lstm_{d}_b"].astype(f32)[perm] for d in "fb"}
        self.hidden = hdim
        self.out_w = weights["out_w"].astype(f32).T.copy()
        self.out_b = weights["out_b"].astype(f32)
        self.trans = weights["crf_trans"].astype(np.float64)
        self.start = weights["crf_start"].astype(np.float64)
        self.end = weights["crf_end"].astype(np.float64)

    def _char_features(self, words: Sequence[str]) -> np.ndarray:
        """Character CNN vectors of ``words`` (memoised per word)."""
        cache = self._char_cache
        missing = [w for w in words if w not in cache]
        if missing:
            vecs = self._char_cnn(missing)
            if len(cache) > 200_000:
                cache.clear()
            cache.update(zip(missing, vecs, strict=True))
        return np.stack([cache[w] for w in words])

    def _char_cnn(self, words: Sequence[str]) -> np.ndarray:
        """Max-pooled character CNN output of each word: (len(words), filters)."""
        ids = self.featurizer.char_ids(words)
        emb = self.char_emb[ids]  # (n, L, d)
        n, length, d = emb.shape
        pad = self.kernel // 2
        padded = np.zeros((n, length + 2 * pad, d), dtype=np.float32)
        padded[:, pad : pad + length] = emb
        windows = np.concatenate([padded[:, k : k + length] for k in range(self.kernel)], axis=2)
        conv = windows.reshape(n * length, -1) @ self.conv_w + self.conv_b
        conv = np.maximum(conv, 0.0).reshape(n, length, -1)
        lengths = np.minimum(np.array([max(len(w), 1) for w in words]), length)
        mask = np.arange(length)[None, :] < lengths[:, None]
        conv = np.where(mask[:, :, None], conv, -np.inf)
        return np.asarray(conv.max(axis=1))

    def gate_inputs(self, enc: list[Encoded], out: dict[str, np.ndarray]) -> None:
        """Write the input-to-gate pre-activations of both LSTM directions into ``out``
        (``"f"`` and ``"b"``, each (B, T, 4H) for the encoded sentences ``enc``).

        The word-vector and character parts depend on the word only, so they are
        projected once per distinct word of the batch.
        """
        uniq: dict[str, int] = {}
        word_ids: list[int] = []
        for e in enc:
            for w, wid in zip(e.chars, e.words.tolist(), strict=True):
                if w not in uniq:
                    uniq[w] = len(uniq)
                    word_ids.append(wid)
        words = np.concatenate([self.word_emb[word_ids], self._char_features(list(uniq))], axis=1)
        dims = words.shape[1]
        bsz, steps = out["f"].shape[:2]
        index = np.zeros((bsz, steps), dtype=np.int64)
        flags = np.zeros((bsz, steps, len(FLAG_NAMES)), dtype=np.float32)
        for bi, e in enumerate(enc):
            n = len(e.words)
            index[bi, :n] = [uniq[w] for w in e.chars]
            flags[bi, :n] = e.flags
        for d in "fb":
            target = out[d]
            np.take(words @ self.wih[d][:dims], index, axis=0, out=target)
            target += flags @ self.wih[d][dims:]
            target += self.bias[d]


class NerModel:
    """A trained BiLSTM-CRF tagger (or an average of several) evaluated with numpy.

    With several members, their LSTMs run side by side (one batched matrix product per
    step) and their tag scores and CRF parameters are averaged.
    """

    def __init__(self, weights: dict[str, np.ndarray], meta: dict[str, Any], gaz: Gazetteer):
        self.meta = meta
        self.tags: list[str] = list(meta["tags"])
        kernel = int(meta["char_kernel"])
        n = int(meta.get("members", 1))
        if n == 1 and "vocab" in weights:
            groups = [weights]
        else:
            groups = [
                {k.split(".", 1)[1]: v for k, v in weights.items() if k.startswith(f"m{i}.")}
                for i in range(n)
            ]
        self.members: list[_Member] = []
        for g in groups:
            prev = self.members[-1].featurizer if self.members else None
            self.members.append(_Member(g, kernel, gaz, prev))
        self.featurizer = self.members[0].featurizer
        self.hidden = self.members[0].hidden
        if any(m.hidden != self.hidden for m in self.members):
            raise DataError("NER ensemble members must have the same LSTM size")
        self.whh = {d: np.stack([m.whh[d] for m in self.members]) for d in "fb"}
        self.out_w = np.stack([m.out_w for m in self.members])  # (M, 2H, K)
        self.out_b = np.mean([m.out_b for m in self.members], axis=0)
        self.trans = np.mean([m.trans for m in self.members], axis=0)
        self.start = np.mean([m.start for m in self.members], axis=0)
        self.end = np.mean([m.end for m in self.members], axis=0)
        decoding = meta.get("decoding") or {}
        #: Decoding bias against ``O`` (see :func:`tag_bias`); 0 for models without one.
        self.o_bias = float(decoding.get("o_bias", 0.0))
        #: Extra bias per entity type, added to :attr:`o_bias` for that type's tags.
        self.type_bias: dict[str, float] = {
            str(t): float(v) for t, v in (decoding.get("type_bias") or {}).items()
        }

    @classmethod
    def load(cls, folder: Path | Any | None = None) -> NerModel:
        """Load the model from ``folder`` (default: the packaged ``marsad/data/ner``)."""
        base = folder if folder is not None else resources.files("marsad") / "data" / "ner"
        try:
            meta = json.loads((base / "model.json").read_text(encoding="utf-8"))
            with (base / "model.npz").open("rb") as fh, np.load(fh) as npz:
                weights = {k: npz[k] for k in npz.files}
            gaz = Gazetteer.from_tsv(base / "gazetteer.tsv")
        except (OSError, KeyError, ValueError) as exc:
            raise DataError(f"cannot load the NER model from {base}: {exc}") from exc
        return cls(weights, meta, gaz)

    # -- forward pass -------------------------------------------------------------

    def _lstm(self, gates_x: np.ndarray, lengths: np.ndarray, direction: str) -> np.ndarray:
        """One LSTM direction of every member: (M, B, T, 4H) pre-activations → (M, B, T, H)."""
        whh = self.whh[direction]
        n_members, bsz, steps, _ = gates_x.shape
        hdim = self.hidden
        h = np.zeros((n_members, bsz, hdim), dtype=np.float32)
        c = np.zeros((n_members, bsz, hdim), dtype=np.float32)
        out = np.zeros((n_members, bsz, steps, hdim), dtype=np.float32)
        order = range(steps) if direction == "f" else range(steps - 1, -1, -1)
        for t in order:
            g = gates_x[:, :, t] + np.matmul(h, whh)
            sig = _sigmoid(g[..., : 3 * hdim])
            c_new = sig[..., hdim : 2 * hdim] * c + sig[..., :hdim] * np.tanh(g[..., 3 * hdim :])
            h_new = sig[..., 2 * hdim :] * np.tanh(c_new)
            if direction == "b":
                # Padded steps (t >= length) must not feed the backward state.
                live = (t < lengths)[None, :, None]
                c_new = np.where(live, c_new, 0.0)
                h_new = np.where(live, h_new, 0.0)
            c, h = c_new, h_new
            out[:, :, t] = h
        return out

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Per-tag scores (B, T, n_tags) of a batch of sentences, and their lengths."""
        lengths = np.array([len(s) for s in sentences])
        steps = int(lengths.max())
        encoded: dict[int, list[Encoded]] = {}
        shape = (len(self.members), len(sentences), steps, 4 * self.hidden)
        gates = {d: np.empty(shape, dtype=np.float32) for d in "fb"}
        for mi, m in enumerate(self.members):
            key = id(m.featurizer)
            if key not in encoded:
                encoded[key] = [m.featurizer.encode(s) for s in sentences]
            m.gate_inputs(encoded[key], {d: gates[d][mi] for d in "fb"})
        hf = self._lstm(gates["f"], lengths, "f")
        hb = self._lstm(gates["b"], lengths, "b")
        h = np.concatenate([hf, hb], axis=3)  # (M, B, T, 2H)
        n_members, bsz = h.shape[:2]
        scores = np.matmul(h.reshape(n_members, bsz * steps, -1), self.out_w).mean(axis=0)
        scores = scores + self.out_b
        return scores.reshape(bsz, steps, -1).astype(np.float64), lengths

    def _decode(
        self, em: np.ndarray, lengths: np.ndarray, bias: np.ndarray | None = None
    ) -> list[Tagged]:
        """Viterbi paths and forward-backward marginals of a padded batch.

        ``bias`` (n_tags,) is added to every token's tag scores, for the path and for the
        marginals alike: a score is then the probability of a tag under the CRF that
        chose it. (Under the unbiased CRF, many entities the bias adds would score below
        0.5 though about half of those are right on dev; see docs/ner.md.)"""
        bsz, steps, k = em.shape
        if bias is not None:
            em = em + bias
        trans = self.trans[None]
        live = np.arange(steps)[None, :] < lengths[:, None]  # (B, T)
        back = np.zeros((bsz, steps, k), dtype=np.int64)
        alpha = np.zeros((bsz, steps, k))
        vit = self.start + em[:, 0]
        alpha[:, 0] = vit
        for t in range(1, steps):
            cand = vit[:, :, None] + trans
            back[:, t] = cand.argmax(axis=1)
            step_live = live[:, t, None]
            vit = np.where(step_live, cand.max(axis=1) + em[:, t], vit)
            alpha[:, t] = np.where(
                step_live, _logsumexp(alpha[:, t - 1, :, None] + trans, 1) + em[:, t], 0.0
            )
        beta = np.zeros((bsz, steps, k))
        last = lengths - 1
        for t in range(steps - 1, -1, -1):
            nxt = beta[:, t + 1] if t + 1 < steps else np.zeros((bsz, k))
            inner = (
                _logsumexp(trans + (em[:, t + 1] + nxt)[:, None, :], 2) if t + 1 < steps else nxt
            )
            beta[:, t] = np.where(np.equal(last, t)[:, None], self.end, inner)
        out = []
        for b in range(bsz):
            n = int(lengths[b])
            final = vit[b] + self.end
            path = [int(final.argmax())]
            for t in range(n - 1, 0, -1):
                path.append(int(back[b, t, path[-1]]))
            path.reverse()
            log_z = _logsumexp(alpha[b, n - 1] + self.end, 0)
            marg = np.exp(alpha[b, np.arange(n), path] + beta[b, np.arange(n), path] - log_z)
            out.append(Tagged([self.tags[p] for p in path], marg.tolist()))
        return out

    def bias(
        self, o_bias: float | None = None, type_bias: Mapping[str, float] | None = None
    ) -> np.ndarray:
        """The decoding bias of each tag (see :func:`tag_bias`); by default the model's."""
        return tag_bias(
            self.tags,
            self.o_bias if o_bias is None else o_bias,
            self.type_bias if type_bias is None else type_bias,
        )

    def tag(
        self,
        sentences: Sequence[Sequence[str]],
        batch_size: int = 128,
        o_bias: float | None = None,
        type_bias: Mapping[str, float] | None = None,
    ) -> list[Tagged]:
        """BIO tags (and their marginal probabilities) of each sentence of token strings.

        Sentences are batched by length so padding stays small; the output keeps the
        input order. Empty sentences get empty tag lists. ``o_bias`` and ``type_bias``
        override the model's decoding bias (:attr:`o_bias`, :attr:`type_bias`).
        """
        bias = self.bias(o_bias, type_bias)
        out: list[Tagged | None] = [None] * len(sentences)
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            em, lengths = self.emissions([sentences[i] for i in idx])
            for i, tagged in zip(idx, self._decode(em, lengths, bias), strict=True):
                out[i] = tagged
        return [t if t is not None else Tagged([], []) for t in out]

    def tag_document(
        self,
        sentences: Sequence[Sequence[str]],
        window: int | None = DOC_WINDOW,
        o_bias: float | None = None,
        type_bias: Mapping[str, float] | None = None,
    ) -> list[Tagged]:
        """Tag consecutive sentences of a document: :meth:`tag`, split coordinated
        names (:func:`split_coordinated`), then :func:`propagate` names."""
        tagged = [
            split_coordinated(toks, tg)
            for toks, tg in zip(
                sentences, self.tag(sentences, o_bias=o_bias, type_bias=type_bias), strict=True
            )
        ]
        return propagate(sentences, tagged, window=window)


def tag_bias(
    tags: Sequence[str], o_bias: float, type_bias: Mapping[str, float] | None = None
) -> np.ndarray:
    """Per-tag decoding bias: ``o_bias`` (plus ``type_bias[T]``) on every B-T and I-T tag.

    Adding ``b`` to the score of every entity tag of a token is the same, for the Viterbi
    path, as subtracting ``b`` from the score of ``O`` (a constant added to all tags of a
    token cancels), so ``o_bias > 0`` makes the decoder name more entities: it trades
    precision for recall.
    """
    type_bias = type_bias or {}
    return np.array(
        [0.0 if t == "O" else o_bias + type_bias.get(t[2:], 0.0) for t in tags], dtype=np.float64
    )


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis)
    return np.asarray(m + np.log(np.exp(x - np.expand_dims(m, axis)).sum(axis=axis)))


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity found in tokens ``[start, end)`` of a sentence."""

    start: int
    end: int
    type: str
    score: float


def entities_of(tagged: Tagged) -> list[Entity]:
    """Entity chunks of a tagged sentence (CoNLL convention: a stray I- starts a chunk)."""
    out = []
    for start, end, typ in chunks(tagged.tags):
        probs = tagged.probs[start:end]
        out.append(Entity(start, end, typ, float(sum(probs) / len(probs))))
    return out


#: Words after which a و-word still belongs to the same name ("سعد بن أبي وقاص").
_NAME_LINKS = frozenset(word_key(w) for w in ["بن", "ابن", "أبو", "أبي", "ولد", "بنت", "عبد", "آل"])


def split_coordinated(tokens: Sequence[str], tagged: Tagged) -> Tagged:
    """Start a new entity at a word with the conjunction و inside a predicted one.

    "راديك وفريدل" is two people, as ANERcorp annotates coordinated names; the model
    sometimes joins them. A و-word after a name link (بن, أبو, ...) is left alone.
    """
    tags = list(tagged.tags)
    for start, end, typ in chunks(tags):
        for j in range(start + 1, end):
            key = word_key(tokens[j])
            if key.startswith("و") and len(key) >= 4 and word_key(tokens[j - 1]) not in _NAME_LINKS:
                tags[j] = f"B-{typ}"
    return Tagged(tags, list(tagged.probs))


#: Words that end person names ("عبدالله الثاني") but alone are not names.
_NOT_SURNAMES = frozenset(
    word_key(w)
    for w in [
        "الأول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
        "الأب",
        "الابن",
        "الأكبر",
        "الأصغر",
        "جونيور",
        "الكبير",
        "الصغير",
        "باشا",
        "بك",
        "بيك",
        "أفندي",
    ]
)


def _memory(
    sentences: Sequence[Sequence[str]], tagged: Sequence[Tagged], min_score: float
) -> dict[tuple[str, ...], tuple[str, float]]:
    """Names confidently found in a document: token keys → type.

    Besides each whole entity, the last word of a person's full name is kept alone, since
    news refers to a person by surname after the first mention.
    """
    mem: dict[tuple[str, ...], tuple[str, float]] = {}
    for toks, tg in zip(sentences, tagged, strict=True):
        for ent in entities_of(tg):
            if ent.score < min_score:
                continue
            keys = [word_key(t) for t in toks[ent.start : ent.end]]
            first = lookup_keys(keys[0])[-1] if len(keys[0]) > 4 else keys[0]
            for k in {keys[0], first}:
                mem.setdefault((k, *keys[1:]), (ent.type, ent.score))
            last = keys[-1]
            if ent.type == "PERS" and len(keys) > 1 and len(last) > 2 and last not in _NOT_SURNAMES:
                mem.setdefault((last,), ("PERS", ent.score))
    return mem


def propagate(
    sentences: Sequence[Sequence[str]],
    tagged: Sequence[Tagged],
    window: int | None = DOC_WINDOW,
    min_score: float = PROPAGATE_MIN_SCORE,
) -> list[Tagged]:
    """Tag later and earlier mentions of names confidently found elsewhere in a document.

    The model often finds "بهاء الاعرجي" but misses a later lone "الاعرجي"; one sense per
    discourse fixes that. Only runs of ``O`` tokens are changed. ``window`` limits the
    document to that many sentences either side (for text without article boundaries).
    """
    out = [Tagged(list(t.tags), list(t.probs)) for t in tagged]
    per_sent = [
        _memory([toks], [tg], min_score) if any(t != "O" for t in tg.tags) else {}
        for toks, tg in zip(sentences, tagged, strict=True)
    ]
    whole: dict[tuple[str, ...], tuple[str, float]] = {}
    if window is None:
        for m in per_sent:
            for k, v in m.items():
                whole.setdefault(k, v)
    for si, toks in enumerate(sentences):
        if window is None:
            mem = whole
        else:
            mem = {}
            for m in per_sent[max(0, si - window) : si + window + 1]:
                for k, v in m.items():
                    mem.setdefault(k, v)
        if not mem:
            continue
        tags = out[si].tags
        keys = [word_key(t) for t in toks]
        i = 0
        while i < len(toks):
            hit = 0
            if tags[i] == "O":
                for ln in range(min(MAX_GAZ_LEN, len(toks) - i), 0, -1):
                    if any(t != "O" for t in tags[i : i + ln]):
                        continue
                    rest = tuple(keys[i + 1 : i + ln])
                    found = next(
                        (mem[(f, *rest)] for f in lookup_keys(keys[i]) if (f, *rest) in mem), None
                    )
                    if found is not None:
                        typ, score = found
                        nxt = tags[i + ln] if i + ln < len(tags) else "O"
                        if not nxt.startswith("I-"):
                            tags[i : i + ln] = [f"B-{typ}"] + [f"I-{typ}"] * (ln - 1)
                            # A propagated name is as sure as the mention it copies.
                            out[si].probs[i : i + ln] = [score] * ln
                            hit = ln
                        break
            i += max(hit, 1)
    return out


def _sentence_groups(tokens: Sequence[Token]) -> list[list[int]]:
    """Indexes of ``tokens`` grouped by sentence, a sentence also ending at . ! ?"""
    groups: list[list[int]] = []
    cur: list[int] = []
    prev_sent: int | None = None
    for i, tok in enumerate(tokens):
        if cur and tok.sent != prev_sent:
            groups.append(cur)
            cur = []
        cur.append(i)
        prev_sent = tok.sent
    if cur:
        groups.append(cur)
    return groups


@Resources.provide("ner_model")
def _load_ner_model() -> NerModel:
    return NerModel.load()


@register("ner/v1")
class NerMentions:
    """Pipeline stage: named entities over ``doc.tokens`` as ``ENT`` spans.

    Each span has attributes ``type`` (PERS, LOC, ORG or MISC), ``text`` (the original
    words) and ``score`` (mean marginal probability of its tags).
    """

    name: ClassVar[str]
    reads: ClassVar[tuple[str, ...]] = ("tokens",)
    writes: ClassVar[tuple[str, ...]] = ("entities",)

    def __init__(self, res: Resources) -> None:
        self.res = res

    def __call__(self, doc: Doc) -> Doc:
        if not doc.tokens:
            return doc
        model: NerModel = self.res.get("ner_model")
        groups = _sentence_groups(doc.tokens)
        sents = [[doc.text[doc.tokens[i].start : doc.tokens[i].end] for i in g] for g in groups]
        for g, tagged in zip(groups, model.tag_document(sents), strict=True):
            for ent in entities_of(tagged):
                start = doc.tokens[g[ent.start]].start
                end = doc.tokens[g[ent.end - 1]].end
                attrs = {"type": ent.type, "text": doc.text[start:end], "score": ent.score}
                doc.add(Span(start, end, "ENT", attrs))
        return doc


def tag_text(model: NerModel, text: str) -> list[dict[str, Any]]:
    """Entities of plain ``text`` with character offsets, in text order."""
    sents = sentences_of(text)
    tagged = model.tag_document([[text[s:e] for s, e in sent] for sent in sents])
    out: list[dict[str, Any]] = []
    for sent, tg in zip(sents, tagged, strict=True):
        for ent in entities_of(tg):
            start, end = sent[ent.start][0], sent[ent.end - 1][1]
            out.append(
                {
                    "start": start,
                    "end": end,
                    "type": ent.type,
                    "text": text[start:end],
                    "score": round(ent.score, 4),
                }
            )
    return out
