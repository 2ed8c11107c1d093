"""Train the Arabic NER model shipped in ``src/marsad/data/ner/`` from /work/shared/data.

Steps (each timed; times and settings are written to ``model.json`` next to the model):

1. gazetteer: person/place/organisation names from ANERgazet, GeoNames and
   Who's On First, normalised, written to ``gazetteer.tsv`` (a run-time feature);
2. word vectors: skip-gram (gensim) over the unlabelled news corpora (SaudiNewsNet, ANT)
   and the ANERcorp *training* text, tokenised like ANERcorp;
3. a BiLSTM-CRF (word vectors + character CNN + binary features) trained with torch on
   ANERcorp train (the last sentences held out for choosing the epoch) plus, optionally,
   the Wojood public sample mapped to PERS/LOC/ORG/MISC;
4. export to numpy arrays (float16 word vectors), then score the *numpy* model on
   ANERcorp test. ANERcorp test sentences are never used for training or selection.

The last step of the recipe retrains on *all* of ANERcorp train (dev included) for the
number of epochs that dev early stopping chose: ``--train-on-dev --epochs-fixed N``
(no early stopping; dev is then "seen" and only checks that the exported numpy model
matches torch). ``--no-test`` leaves ANERcorp test unread (members, ``--combine``).

Needs the ``train`` extra (torch, gensim). Usage::

    .venv/bin/python scripts/train_ner.py [--shared /work/shared] [--epochs 40]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import logging
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from marsad.mentions.ner import (
    FLAG_NAMES,
    MAX_CHARS,
    MAX_GAZ_LEN,
    Featurizer,
    Gazetteer,
    NerModel,
    entities_of,
    name_keys,
    sentences_of,
    tokenize,
    word_key,
)
from marsad.mentions.ner_eval import score
from marsad.text.arabic import normalize

log = logging.getLogger("train_ner")
REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "src" / "marsad" / "data" / "ner"
TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
#: Wojood types folded into the four ANERcorp types; the rest become O.
WOJOOD_MAP = {"PERS": "PERS", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG", "EVENT": "MISC"}
GAZ_COLS = slice(FLAG_NAMES.index("gaz_B_LOC"), len(FLAG_NAMES))
#: Who's On First place types kept (finer ones are mostly homonyms of common words).
WOF_TYPES = {"country", "region", "county", "localadmin", "locality", "macroregion", "dependency"}

Sentence = tuple[list[str], list[str]]


# -- data ------------------------------------------------------------------------


def read_conll(path: Path, column: int = -1) -> list[Sentence]:
    """Sentences of a ``token ... TAG`` file; ``column`` picks the tag column."""
    out: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if toks:
                out.append((toks, tags))
                toks, tags = [], []
            continue
        toks.append(parts[0])
        tags.append(parts[column] if len(parts) > 1 else "O")
    if toks:
        out.append((toks, tags))
    return out


def read_wojood(path: Path) -> list[Sentence]:
    """Wojood sample sentences, outermost entity layer mapped to the ANERcorp types."""
    out = []
    for toks, tags in read_conll(path, column=1):
        mapped = []
        for t in tags:
            typ = t[2:] if t != "O" else ""
            m = WOJOOD_MAP.get(typ)
            mapped.append(f"{t[:2]}{m}" if m else "O")
        keep = [(w, t) for w, t in zip(toks, mapped, strict=True) if w != "$#$"]
        if keep:
            out.append(([w for w, _ in keep], [t for _, t in keep]))
    return out


def build_gazetteer(shared: Path) -> list[tuple[str, str]]:
    """(type, normalised name) pairs from the gazetteer folders."""
    gz = shared / "data" / "gazetteer"
    names: set[tuple[str, str]] = set()

    def add(typ: str, name: str) -> None:
        n = " ".join(normalize(name).split())
        if len(n) >= 2 and len(tokenize(n)) <= 4:
            names.add((typ, n))

    for typ, fname in (("LOC", "Loc"), ("ORG", "Org"), ("PERS", "Pers")):
        for line in (
            (gz / "anergazet" / f"Aligned{fname}Gazetteer.txt")
            .read_text(encoding="utf-8")
            .splitlines()
        ):
            if line.strip() and not line.startswith("="):
                add(typ, line.strip())
    with (gz / "geonames" / "cities500_region.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for n in (row.get("arabic_names") or "").split("|"):
                add("LOC", n)
    for cc in ("iq", "sy", "ye"):
        with (gz / f"wof-{cc}" / f"wof_{cc}_places.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("placetype") in WOF_TYPES and not row.get("deprecated"):
                    for n in (row.get("names_ar_all") or row.get("name_ar") or "").split("|"):
                        add("LOC", n)
    return sorted(names)


def write_gazetteer(names: list[tuple[str, str]], path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Write ``TYPE<TAB>key key ...`` lines (names as token keys); return the pairs."""
    pairs = sorted({(t, keys) for t, n in names if (keys := name_keys(n))})
    path.write_text("".join(f"{t}\t{' '.join(k)}\n" for t, k in pairs), encoding="utf-8")
    return pairs


def mine_names(
    model_dir: Path, shared: Path, max_tokens: int, min_count: int = 3, min_ratio: float = 0.6
) -> list[tuple[str, str]]:
    """Names that a previous model confidently and consistently tags in unlabelled news.

    Self-training through the gazetteer: a name is kept when the model tags it (score at
    least 0.8) at least ``min_count`` times and in at least ``min_ratio`` of its
    occurrences, as PERS, LOC or ORG (its most frequent type).
    """
    model = NerModel.load(model_dir)
    sents: list[list[str]] = []
    n_tokens = 0
    rng = random.Random(7)
    for name in ("saudinewsnet.jsonl.gz", "ant.jsonl.gz"):
        with gzip.open(shared / "data" / "corpora" / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                if rng.random() > 0.35 or n_tokens >= max_tokens:
                    continue
                rec = json.loads(line)
                for para in rec.get("text", "").split("\n"):
                    for sent in sentences_of(para):
                        if 3 <= len(sent) <= 120:
                            sents.append([para[s:e] for s, e in sent])
                            n_tokens += len(sent)
    log.info("mining names in %d sentences (%d tokens)", len(sents), n_tokens)
    found: Counter[tuple[tuple[str, ...], str]] = Counter()
    surface: dict[tuple[str, ...], str] = {}
    for lo in range(0, len(sents), 2000):
        chunk = sents[lo : lo + 2000]
        for toks, tg in zip(chunk, model.tag(chunk), strict=True):
            for ent in entities_of(tg):
                if ent.type in ("PERS", "LOC", "ORG") and ent.score >= 0.8:
                    keys = tuple(word_key(t) for t in toks[ent.start : ent.end])
                    found[(keys, ent.type)] += 1
                    surface.setdefault(keys, " ".join(toks[ent.start : ent.end]))
    by_name: dict[tuple[str, ...], Counter[str]] = {}
    for (keys, typ), n in found.items():
        by_name.setdefault(keys, Counter())[typ] += n
    occurrences: Counter[tuple[str, ...]] = Counter()
    for toks in sents:
        keys = [word_key(t) for t in toks]
        for i in range(len(keys)):
            for ln in range(1, MAX_GAZ_LEN + 1):
                k = tuple(keys[i : i + ln])
                if len(k) == ln and k in by_name:
                    occurrences[k] += 1
    out = []
    for keys, types in by_name.items():
        typ, n = types.most_common(1)[0]
        if n >= min_count and n >= min_ratio * occurrences[keys]:
            out.append((typ, surface[keys]))
    log.info("mined %d names from %d candidates", len(out), len(by_name))
    return out


def corpus_sentences(shared: Path, extra: list[Sentence]) -> Iterator[list[str]]:
    """Unlabelled sentences (token keys) for word vectors: news corpora + training text."""
    for name in ("saudinewsnet.jsonl.gz", "ant.jsonl.gz"):
        with gzip.open(shared / "data" / "corpora" / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                text = f"{rec.get('title', '')}\n{rec.get('text', '')}"
                for para in text.split("\n"):
                    toks = [word_key(para[s:e]) for s, e in tokenize(para)]
                    if len(toks) > 2:
                        yield toks
    for toks, _ in extra:
        yield [word_key(t) for t in toks]


class _Corpus:
    """Re-iterable corpus for gensim (it makes several passes)."""

    def __init__(self, sents: list[list[str]]) -> None:
        self.sents = sents

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self.sents)


def train_vectors(
    shared: Path, extra: list[Sentence], dim: int, epochs: int, cache: Path
) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """Skip-gram vectors (cached): (words by frequency, vectors, counts)."""
    if cache.exists():
        with np.load(cache) as z:
            words = bytes(z["words"]).decode("utf-8").split("\n")
            return words, z["vecs"], dict(zip(words, z["counts"].tolist(), strict=True))
    from gensim.models import Word2Vec

    sents = list(corpus_sentences(shared, extra))
    log.info("word vectors: %d sentences, %d tokens", len(sents), sum(map(len, sents)))
    model = Word2Vec(
        _Corpus(sents),
        vector_size=dim,
        window=5,
        min_count=3,
        sg=1,
        negative=5,
        sample=1e-4,
        epochs=epochs,
        workers=2,
        seed=1,
    )
    words = list(model.wv.index_to_key)
    vecs = model.wv.vectors.astype(np.float32)
    counts = np.array([model.wv.get_vecattr(w, "count") for w in words])
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        cache, words=np.frombuffer("\n".join(words).encode(), np.uint8), vecs=vecs, counts=counts
    )
    return words, vecs, dict(zip(words, counts.tolist(), strict=True))


# -- model -------------------------------------------------------------------------


def build_torch_model(n_words: int, n_chars: int, args: argparse.Namespace) -> Any:
    import torch
    from torch import nn

    class BiLstmCrf(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word_emb = nn.Embedding(n_words, args.word_dim, padding_idx=0)
            self.char_emb = nn.Embedding(n_chars, args.char_dim, padding_idx=0)
            self.conv = nn.Conv1d(
                args.char_dim, args.char_filters, args.char_kernel, padding=args.char_kernel // 2
            )
            in_dim = args.word_dim + args.char_filters + len(FLAG_NAMES)
            self.drop = nn.Dropout(args.dropout)
            self.lstm = nn.LSTM(in_dim, args.hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * args.hidden, len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))

        def char_features(self, chars: Any, char_len: Any) -> Any:
            e = self.char_emb(chars).transpose(1, 2)  # (U, d, L)
            c = torch.relu(self.conv(e))  # (U, F, L)
            mask = torch.arange(chars.shape[1])[None, :] < char_len[:, None]
            c = c.masked_fill(~mask[:, None, :], float("-inf"))
            return c.max(dim=2).values

        def emissions(
            self, words: Any, char_ix: Any, chars: Any, char_len: Any, flags: Any, lengths: Any
        ) -> Any:
            cv = self.char_features(chars, char_len)[char_ix]  # (B, T, F)
            x = torch.cat([self.word_emb(words), cv, flags], dim=2)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(
                x, lengths, batch_first=True, enforce_sorted=False
            )
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

        def nll(self, em: Any, tags: Any, mask: Any) -> Any:
            """Mean negative log-likelihood of the gold paths under the CRF."""
            bsz, steps, _ = em.shape
            maskf = mask.float()
            ar = torch.arange(bsz)
            gold = self.start[tags[:, 0]] + em[ar, 0, tags[:, 0]]
            for t in range(1, steps):
                step = self.trans[tags[:, t - 1], tags[:, t]] + em[ar, t, tags[:, t]]
                gold = gold + step * maskf[:, t]
            last = tags[ar, mask.sum(1) - 1]
            gold = gold + self.end[last]
            alpha = self.start[None, :] + em[:, 0]
            for t in range(1, steps):
                nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + em[:, t]
                alpha = torch.where(mask[:, t, None], nxt, alpha)
            log_z = torch.logsumexp(alpha + self.end[None, :], dim=1)
            return (log_z - gold).mean()

    return BiLstmCrf()


def make_batch(
    featurizer: Featurizer,
    batch: list[Sentence],
    train: bool,
    word_dropout: float = 0.05,
    gaz_dropout: float = 0.0,
) -> dict[str, Any]:
    import torch

    encs = [featurizer.encode(toks) for toks, _ in batch]
    lengths = [len(t) for t, _ in batch]
    steps = max(lengths)
    uniq: dict[str, int] = {"": 0}
    words = np.zeros((len(batch), steps), dtype=np.int64)
    char_ix = np.zeros((len(batch), steps), dtype=np.int64)
    flags = np.zeros((len(batch), steps, len(FLAG_NAMES)), dtype=np.float32)
    tags = np.zeros((len(batch), steps), dtype=np.int64)
    for i, (e, (_, tg)) in enumerate(zip(encs, batch, strict=True)):
        n = len(tg)
        wid = e.words.copy()
        if train:
            # Word dropout: teach the model to use characters for unknown words.
            wid[np.random.random(n) < word_dropout] = 1
        words[i, :n] = wid
        for j, w in enumerate(e.chars):
            char_ix[i, j] = uniq.setdefault(w, len(uniq))
        flags[i, :n] = e.flags
        if train and gaz_dropout:
            # Hide gazetteer hits now and then, so that names the lists lack are not
            # taken for common words.
            hide = np.random.random(n) < gaz_dropout
            flags[i, :n, GAZ_COLS] = np.where(hide[:, None], 0.0, flags[i, :n, GAZ_COLS])
        tags[i, :n] = [TAGS.index(t) for t in tg]
    ulist = list(uniq)
    chars = featurizer.char_ids(ulist)
    char_len = np.array([min(max(len(w), 1), MAX_CHARS) for w in ulist])
    mask = np.arange(steps)[None, :] < np.array(lengths)[:, None]
    return {
        "words": torch.from_numpy(words),
        "char_ix": torch.from_numpy(char_ix),
        "chars": torch.from_numpy(chars),
        "char_len": torch.from_numpy(char_len),
        "flags": torch.from_numpy(flags),
        "lengths": torch.tensor(lengths),
        "tags": torch.from_numpy(tags),
        "mask": torch.from_numpy(mask),
    }


def export(
    model: Any, vocab: list[str], chars: list[str], args: argparse.Namespace
) -> dict[str, np.ndarray]:
    sd = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    conv = sd["conv.weight"]  # (F, d, k) → (k * d, F), window-major like the numpy pass
    conv_w = conv.transpose(2, 1, 0).reshape(-1, conv.shape[0])
    return {
        "vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        "chars": np.frombuffer("\n".join(chars).encode("utf-8"), dtype=np.uint8),
        "word_emb": sd["word_emb.weight"].astype(np.float16),
        "char_emb": sd["char_emb.weight"].astype(np.float16),
        "conv_w": conv_w.astype(np.float32),
        "conv_b": sd["conv.bias"],
        "lstm_f_wih": sd["lstm.weight_ih_l0"],
        "lstm_f_whh": sd["lstm.weight_hh_l0"],
        "lstm_f_b": sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
        "lstm_b_wih": sd["lstm.weight_ih_l0_reverse"],
        "lstm_b_whh": sd["lstm.weight_hh_l0_reverse"],
        "lstm_b_b": sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
        "out_w": sd["out.weight"],
        "out_b": sd["out.bias"],
        "crf_trans": sd["trans"],
        "crf_start": sd["start"],
        "crf_end": sd["end"],
    }


def evaluate_torch(model: Any, featurizer: Featurizer, data: list[Sentence]) -> float:
    """Entity micro F1 of the torch model (Viterbi through a numpy decoder)."""
    import torch

    model.eval()
    preds: list[list[str]] = []
    trans = model.trans.detach().numpy().astype(np.float64)
    start = model.start.detach().numpy().astype(np.float64)
    end = model.end.detach().numpy().astype(np.float64)
    with torch.no_grad():
        for lo in range(0, len(data), 64):
            batch = data[lo : lo + 64]
            b = make_batch(featurizer, batch, train=False)
            em = model.emissions(
                b["words"], b["char_ix"], b["chars"], b["char_len"], b["flags"], b["lengths"]
            ).numpy()
            for i, (toks, _) in enumerate(batch):
                preds.append(_viterbi(em[i, : len(toks)].astype(np.float64), trans, start, end))
    model.train()
    return score([t for _, t in data], preds).micro()["f1"]


def _viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[str]:
    s = start + em[0]
    back = []
    for t in range(1, len(em)):
        cand = s[:, None] + trans
        back.append(cand.argmax(0))
        s = cand.max(0) + em[t]
    path = [int((s + end).argmax())]
    for bp in reversed(back):
        path.append(int(bp[path[-1]]))
    return [TAGS[p] for p in reversed(path)]


def combine(
    members: list[Path],
    out: Path,
    shared: Path,
    any_gazetteer: bool = False,
    quantize: bool = False,
    score_test: bool = True,
) -> dict[str, Any]:
    """Write an averaged model of ``members`` to ``out``, with the first one's gazetteer.

    ``quantize`` stores word vectors as int8 with one scale per row (half the size).

    Members must have been trained with that same gazetteer unless ``any_gazetteer``.
    ``score_test=False`` writes the model without scoring it on ANERcorp test.
    """
    gaz = (members[0] / "gazetteer.tsv").read_bytes()
    same = [(m / "gazetteer.tsv").read_bytes() == gaz for m in members]
    if not all(same) and not any_gazetteer:
        raise SystemExit("ensemble members were trained with different gazetteers")
    weights: dict[str, np.ndarray] = {}
    metas = []
    for i, m in enumerate(members):
        with np.load(m / "model.npz") as z:
            weights.update({f"m{i}.{k}": z[k] for k in z.files})
        if quantize:
            emb = weights.pop(f"m{i}.word_emb").astype(np.float32)
            scale = np.abs(emb).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            weights[f"m{i}.word_emb_q"] = np.round(emb / scale[:, None]).astype(np.int8)
            weights[f"m{i}.word_emb_scale"] = scale.astype(np.float32)
        metas.append(json.loads((m / "model.json").read_text(encoding="utf-8")))
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "model.npz", **weights)
    (out / "gazetteer.tsv").write_bytes(gaz)
    meta: dict[str, Any] = {
        "tags": metas[0]["tags"],
        "char_kernel": metas[0]["char_kernel"],
        "flags": metas[0]["flags"],
        "members": len(members),
        "word_vectors_int8": quantize,
        "member_dirs": [str(m) for m in members],
        "member_same_gazetteer": same,
        "member_settings": [
            {k: m.get(k) for k in ("settings", "data", "best_epoch", "dev_f1", "timings")}
            for m in metas
        ],
    }
    (out / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    if not score_test:
        meta["timings"] = {"train_wall_s_sum": sum(m["timings"]["total_s"] for m in metas)}
        meta["model_bytes"] = (out / "model.npz").stat().st_size
        (out / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        log.info("ensemble written to %s (test not scored)", out)
        return meta
    t = time.time()
    model = NerModel.load(out)
    test = read_conll(shared / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt")
    sents = [toks for toks, _ in test]
    gold = [tags for _, tags in test]
    sc = score(gold, [tg.tags for tg in model.tag_document(sents)])
    plain = score(gold, [tg.tags for tg in model.tag(sents)])
    meta["test"] = {
        "micro": sc.micro(),
        "per_type": sc.per_type(),
        "micro_without_propagation": plain.micro(),
    }
    meta["timings"] = {
        "train_wall_s_sum": sum(m["timings"]["total_s"] for m in metas),
        "test_eval_s": time.time() - t,
    }
    meta["model_bytes"] = (out / "model.npz").stat().st_size
    (out / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
    log.info("ensemble test micro F1 %.4f", sc.micro()["f1"])
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--work", type=Path, default=Path("/tmp/marsad-ner"))
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument(
        "--epochs-fixed",
        type=int,
        metavar="N",
        help="train exactly N epochs and keep the last weights (no early stopping, "
        "no --max-minutes stop)",
    )
    ap.add_argument(
        "--train-on-dev",
        action="store_true",
        help="also train on the dev sentences (needs --epochs-fixed; dev is not scored)",
    )
    ap.add_argument(
        "--no-test",
        dest="test",
        action="store_false",
        help="do not score ANERcorp test (training runs and --combine)",
    )
    ap.add_argument("--patience", type=int, default=8)
    ap.add_argument("--max-minutes", type=float, default=35.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--word-dim", type=int, default=100)
    ap.add_argument("--w2v-epochs", type=int, default=5)
    ap.add_argument("--max-vocab", type=int, default=100_000)
    ap.add_argument("--char-dim", type=int, default=30)
    ap.add_argument("--char-filters", type=int, default=50)
    ap.add_argument("--char-kernel", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--dev-sentences", type=int, default=400)
    ap.add_argument("--wojood", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument(
        "--mine-with",
        type=Path,
        help="model folder of a first round: add the names it finds in the corpora",
    )
    ap.add_argument("--mine-tokens", type=int, default=3_000_000)
    ap.add_argument("--mine-only", action="store_true", help="stop after mining names")
    ap.add_argument(
        "--combine",
        type=Path,
        nargs="+",
        metavar="DIR",
        help="write to --out the average of these trained models (no training)",
    )
    ap.add_argument(
        "--any-gazetteer",
        action="store_true",
        help="--combine: allow members trained with another gazetteer than the first's",
    )
    ap.add_argument("--int8", action="store_true", help="--combine: int8 word vectors")
    ap.add_argument("--word-dropout", type=float, default=0.05, help="share of words made <unk>")
    ap.add_argument("--gaz-dropout", type=float, default=0.0, help="share of gazetteer hits hidden")
    ap.add_argument("--freeze-emb", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--limit", type=int, default=0, help="use only N training sentences (smoke test)"
    )
    ap.add_argument("--vectors-only", action="store_true", help="stop after the word vectors")
    args = ap.parse_args(argv)
    if args.train_on_dev and not args.epochs_fixed:
        ap.error("--train-on-dev needs --epochs-fixed N (dev can no longer stop training)")
    if args.combine:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
        combine(args.combine, args.out, args.shared, args.any_gazetteer, args.int8, args.test)
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)

    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    timings: dict[str, float] = {}
    t0 = time.time()

    ane = args.shared / "data" / "anercorp"
    train_all = read_conll(ane / "ANERCorp_CamelLab_train.txt")
    test = read_conll(ane / "ANERCorp_CamelLab_test.txt")
    dev = train_all[-args.dev_sentences :]
    train = train_all[: -args.dev_sentences]
    wojood: list[Sentence] = []
    if args.wojood:
        for part in ("train", "val", "test"):
            wojood += read_wojood(args.shared / "data" / "wojood-sample" / f"{part}.txt")
    log.info(
        "train %d (+%d wojood), dev %d%s, test %d sentences%s",
        len(train),
        len(wojood),
        len(dev),
        " (trained on)" if args.train_on_dev else "",
        len(test),
        "" if args.test else " (not scored)",
    )

    args.out.mkdir(parents=True, exist_ok=True)
    gaz_names = build_gazetteer(args.shared)
    if args.mine_with:
        t_mine = time.time()
        cache = args.work / f"mined_names_{args.mine_tokens}.tsv"
        if cache.exists():  # mining takes minutes; the first-round model does not change
            lines = cache.read_text(encoding="utf-8").splitlines()
            mined = [(t, n) for t, n in (ln.split("\t", 1) for ln in lines)]
        else:
            mined = mine_names(args.mine_with, args.shared, args.mine_tokens)
            args.work.mkdir(parents=True, exist_ok=True)
            cache.write_text("".join(f"{t}\t{n}\n" for t, n in mined), encoding="utf-8")
        gaz_names += mined
        timings["mine_names_s"] = time.time() - t_mine
    gaz_pairs = write_gazetteer(gaz_names, args.out / "gazetteer.tsv")
    gazetteer = Gazetteer(gaz_pairs)
    if args.mine_only:
        return 0
    timings["gazetteer_s"] = time.time() - t0
    log.info("gazetteer: %d names", len(gaz_pairs))

    t1 = time.time()
    w2v_words, w2v_vecs, counts = train_vectors(
        args.shared,
        train_all + wojood,
        args.word_dim,
        args.w2v_epochs,
        args.work / f"w2v_{args.word_dim}_{args.w2v_epochs}.npz",
    )
    timings["word_vectors_s"] = time.time() - t1
    log.info("word vectors: %d words (%.0f s)", len(w2v_words), timings["word_vectors_s"])
    if args.vectors_only:
        return 0

    # Vocabulary: every training word, then the most frequent corpus words.
    train_words = Counter(word_key(w) for toks, _ in train_all + wojood for w in toks)
    vocab = ["<pad>", "<unk>"]
    seen = set(vocab)
    for w in list(train_words) + w2v_words:
        if w not in seen and len(vocab) < args.max_vocab:
            vocab.append(w)
            seen.add(w)
    char_counts = Counter(
        ch for w in vocab[2:] for ch in w if counts.get(w, 0) >= 5 or w in train_words
    )
    chars = ["<pad>", "<unk>"] + [c for c, n in char_counts.most_common() if n >= 3]
    featurizer = Featurizer(vocab, chars, gazetteer)

    model = build_torch_model(len(vocab), len(chars), args)
    w2v_index = {w: i for i, w in enumerate(w2v_words)}
    with torch.no_grad():
        emb = model.word_emb.weight
        scale = float(np.std(w2v_vecs))
        emb.normal_(0.0, scale)
        emb[0].zero_()
        hits = 0
        for i, w in enumerate(vocab[2:], start=2):
            j = w2v_index.get(w)
            if j is not None:
                emb[i] = torch.from_numpy(w2v_vecs[j])
                hits += 1
    log.info("vocab %d (%d pretrained), chars %d", len(vocab), hits, len(chars))

    if args.freeze_emb:
        # Keep pretrained vectors fixed so that words unseen in training stay in the
        # same space as the training words; only never-pretrained rows are learnt.
        trainable = torch.zeros(len(vocab), 1)
        for i, w in enumerate(vocab):
            if i >= 2 and w not in w2v_index:
                trainable[i] = 1.0
        trainable[1] = 1.0
        model.word_emb.weight.register_hook(lambda g: g * trainable)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    train_data = train + (dev if args.train_on_dev else []) + wojood
    if args.limit:
        train_data = train_data[: args.limit]
    best_f1, best_state, best_epoch, bad = -1.0, None, 0, 0
    t2 = time.time()
    history: list[dict[str, Any]] = []
    n_epochs = args.epochs_fixed or args.epochs
    for epoch in range(1, n_epochs + 1):
        random.shuffle(train_data)
        # Batches of similar length: less padding, faster CRF loops.
        order = sorted(
            range(len(train_data)), key=lambda i: (len(train_data[i][0]), random.random())
        )
        batches = [order[i : i + args.batch] for i in range(0, len(order), args.batch)]
        random.shuffle(batches)
        total = 0.0
        for bidx in batches:
            b = make_batch(
                featurizer,
                [train_data[i] for i in bidx],
                train=True,
                word_dropout=args.word_dropout,
                gaz_dropout=args.gaz_dropout,
            )
            em = model.emissions(
                b["words"], b["char_ix"], b["chars"], b["char_len"], b["flags"], b["lengths"]
            )
            loss = model.nll(em, b["tags"], b["mask"])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
        if args.train_on_dev:
            # Dev is training data now: scoring it would say nothing.
            history.append({"epoch": epoch, "loss": total / len(batches), "dev_f1": None})
            log.info("epoch %d loss %.3f (%.0f s)", epoch, total / len(batches), time.time() - t2)
            continue
        f1 = evaluate_torch(model, featurizer, dev)
        history.append({"epoch": epoch, "loss": total / len(batches), "dev_f1": f1})
        log.info(
            "epoch %d loss %.3f dev F1 %.4f (%.0f s)",
            epoch,
            total / len(batches),
            f1,
            time.time() - t2,
        )
        if args.epochs_fixed:
            continue  # no early stopping: the last epoch's weights are kept
        if f1 > best_f1:
            best_f1, best_epoch, bad = f1, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
        if bad >= args.patience or (time.time() - t2) / 60 > args.max_minutes:
            break
    timings["train_s"] = time.time() - t2
    if args.epochs_fixed:
        best_epoch = n_epochs
        # On dev when dev was trained on: only a check that numpy reproduces torch.
        best_f1 = evaluate_torch(model, featurizer, dev)
    else:
        assert best_state is not None
        model.load_state_dict(best_state)

    weights = export(model, vocab, chars, args)
    np.savez_compressed(args.out / "model.npz", **weights)
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    meta: dict[str, Any] = {
        "tags": TAGS,
        "char_kernel": args.char_kernel,
        "flags": list(FLAG_NAMES),
        "settings": settings,
        "data": {
            "train_sentences": len(train) + (len(dev) if args.train_on_dev else 0),
            "wojood_sentences": len(wojood),
            "dev_sentences": len(dev),
            "dev_in_training": args.train_on_dev,
            "vocab": len(vocab),
            "pretrained_vectors": hits,
            "gazetteer_names": len(gaz_pairs),
        },
        "best_epoch": best_epoch,
        "epochs_fixed": args.epochs_fixed,
        # Dev F1 of a model trained on dev is not a held-out score.
        "dev_f1": None if args.train_on_dev else best_f1,
        "dev_f1_seen": best_f1 if args.train_on_dev else None,
        "history": history,
    }
    (args.out / "model.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
    )

    # Score the exported numpy model on the held-out test set.
    t3 = time.time()
    np_model = NerModel.load(args.out)
    np_dev = score([t for _, t in dev], [t.tags for t in np_model.tag([w for w, _ in dev])])
    meta["dev_f1_numpy"] = np_dev.micro()["f1"]
    log.info(
        "dev F1%s: torch %.4f, exported numpy model %.4f",
        " (seen in training)" if args.train_on_dev else "",
        best_f1,
        meta["dev_f1_numpy"],
    )
    if not args.test:
        timings["total_s"] = time.time() - t0
        meta["timings"] = timings
        meta["model_bytes"] = (args.out / "model.npz").stat().st_size
        (args.out / "model.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        log.info("ANERcorp test not scored (--no-test)")
        return 0
    t3 = time.time()
    tagged = np_model.tag_document([toks for toks, _ in test])
    elapsed = time.time() - t3
    gold = [t for _, t in test]
    sc = score(gold, [t.tags for t in tagged])
    plain = score(gold, [t.tags for t in np_model.tag([toks for toks, _ in test])])
    meta["test"] = {
        "micro": sc.micro(),
        "per_type": sc.per_type(),
        "micro_without_propagation": plain.micro(),
    }
    timings["test_tagging_s"] = elapsed
    timings["total_s"] = time.time() - t0
    meta["timings"] = timings
    meta["model_bytes"] = (args.out / "model.npz").stat().st_size
    (args.out / "model.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    log.info(
        "test micro F1 %.4f; per type %s",
        sc.micro()["f1"],
        {k: round(v["f1"], 4) for k, v in sc.per_type().items()},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
