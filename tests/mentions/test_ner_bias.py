"""Tests of the NER decoding bias (``NerModel.o_bias`` / ``type_bias``, docs/ner.md)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from marsad.mentions.ner import NerModel, entities_of, tag_bias


def _toks(text: str) -> list[str]:
    """Tokens of a sentence written with one space between them (ANERcorp tokens)."""
    return text.split()


# Sentences of the Wojood public sample, tokenised there (clitics split), which no shipped
# member was trained on (``--no-wojood``). The dev sentences used before are training
# data since the members were retrained on all of ANERcorp train (docs/ner.md).
LAJNA = _toks("رسالة اللجنة القومية العربية في نابلس إلى تجار الجملة في نابلس ( 4 / 22 / 1948 ) .")
SAMARA = _toks("تبرع من شاكر سمارة بستة شوالات دقيق لمنكوبي زلزال 1927 .")
SENTENCES = [LAJNA, SAMARA] + [
    _toks(s)
    for s in [
        "مجلس محلي قلقيلية : قرار رقم 3 بتاريخ ( 31 / 3 / 1928 ) .",
        (
            "رسالة اللجنة القومية العربية في نابلس إلى قائد قوات الإنقاذ في الجبهة الشمالية "
            "والوسطى ( 5 / 5 / 1948 ) ."
        ),
        "مقابلة مع سهام رجا فحماوي من قرية ام الزينات قضاء مدينة حيفا سكان مخيم الجلزون .",
        "قرية المجيدل بعد حرب 1948 ( النكبة ) .",
    ]
]
NO_BIAS: dict[str, float] = {}
# The per-type bias chosen on dev by ``bench_ner.py --tune-dev`` (dev 0.785 -> 0.806). It
# lowered ANERcorp test (0.752 -> 0.735) and is not shipped; tests pass it explicitly.
DEV_BIAS = {"PERS": 0.25, "LOC": 0.0, "ORG": 0.5, "MISC": 1.75}


@pytest.fixture(scope="module")
def model() -> NerModel:
    return NerModel.load()


def _entities(model: NerModel, toks: list[str], **bias: object) -> set[tuple[str, str]]:
    tagged = model.tag([toks], **bias)[0]  # type: ignore[arg-type]
    return {(" ".join(toks[e.start : e.end]), e.type) for e in entities_of(tagged)}


def test_tag_bias_vector() -> None:
    tags = ["O", "B-PERS", "I-PERS", "B-MISC", "I-MISC"]
    assert tag_bias(tags, 0.5, {"MISC": 1.0}).tolist() == [0.0, 0.5, 0.5, 1.5, 1.5]
    assert tag_bias(tags, 0.0).tolist() == [0.0] * 5


def test_shipped_model_decodes_without_bias(model: NerModel) -> None:
    meta = json.loads(
        (resources.files("marsad") / "data" / "ner" / "model.json").read_text(encoding="utf-8")
    )
    assert "decoding" not in meta
    assert model.o_bias == 0.0 and not any(model.type_bias.values())
    assert not model.bias().any()
    # Its default decoding is the explicitly unbiased one, sentence by sentence and per document.
    plain = model.tag(SENTENCES, o_bias=0.0, type_bias=NO_BIAS)
    assert [tg.tags for tg in model.tag(SENTENCES)] == [tg.tags for tg in plain]
    doc = model.tag_document(SENTENCES, o_bias=0.0, type_bias=NO_BIAS)
    assert [tg.tags for tg in model.tag_document(SENTENCES)] == [tg.tags for tg in doc]


def test_bias_finds_names_the_plain_decoder_misses(model: NerModel) -> None:
    # Gold (Wojood): اللجنة القومية العربية ORG, نابلس LOC; شاكر سمارة PERS.
    org = ("اللجنة القومية العربية", "ORG")
    assert org not in _entities(model, LAJNA)
    assert org in _entities(model, LAJNA, o_bias=0.0, type_bias=DEV_BIAS)
    # a name the plain decoder already finds (the four-member model finds this one) is
    # kept by the bias
    assert ("شاكر سمارة", "PERS") in _entities(model, SAMARA, o_bias=0.0, type_bias=DEV_BIAS)
    # The document path (coordination split, propagation) takes the same override.
    plain = model.tag_document([LAJNA, SAMARA])
    assert plain[0].tags[1] == "O"
    doc = model.tag_document([LAJNA, SAMARA], o_bias=0.0, type_bias=DEV_BIAS)
    assert doc[0].tags[1:4] == ["B-ORG", "I-ORG", "I-ORG"]
    assert doc[1].tags[2:4] == ["B-PERS", "I-PERS"]
    # Scores stay probabilities of the chosen tags, not near-zero for the new names.
    for tagged in doc:
        for ent in entities_of(tagged):
            assert 0.4 < ent.score <= 1.0


def test_entity_tokens_never_decrease_as_o_bias_grows(model: NerModel) -> None:
    # Viterbi maximises score(path) + bias * (entity tokens in path); for b2 > b1 the two
    # optimality conditions add up to (b2 - b1) * (n2 - n1) >= 0.
    totals = []
    prev = None
    for b in (0.0, 0.25, 0.5, 1.0, 2.0, 3.0):
        tagged = model.tag(SENTENCES, o_bias=b, type_bias=NO_BIAS)
        counts = np.array([sum(t != "O" for t in tg.tags) for tg in tagged])
        if prev is not None:
            assert (counts >= prev).all(), b
        prev = counts
        totals.append(int(counts.sum()))
        for tg in tagged:
            assert all(0.0 < p <= 1.0 + 1e-9 for p in tg.probs)
    assert totals[-1] > totals[0]
    # The same holds for one type's bias and that type's tokens.
    misc = [
        sum(
            t.endswith("MISC")
            for tg in model.tag(SENTENCES, o_bias=0.0, type_bias={"MISC": v})
            for t in tg.tags
        )
        for v in (0.0, 1.0, 2.0)
    ]
    assert misc == sorted(misc) and misc[-1] > misc[0]


def test_decoding_settings_in_model_json_are_loaded(model: NerModel, tmp_path: Path) -> None:
    # The shipped model.json has no "decoding" key (see above); a model folder whose
    # model.json has one decodes with that bias by default.
    base = Path(str(resources.files("marsad") / "data" / "ner"))
    for name in ("model.npz", "gazetteer.tsv"):
        (tmp_path / name).symlink_to(base / name)
    meta = json.loads((base / "model.json").read_text(encoding="utf-8"))
    meta["decoding"] = {"o_bias": 0.0, "type_bias": DEV_BIAS}
    (tmp_path / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    biased = NerModel.load(tmp_path)
    assert biased.o_bias == 0.0 and biased.type_bias == DEV_BIAS
    assert biased.bias()[biased.tags.index("B-MISC")] == 1.75
    assert biased.bias()[biased.tags.index("O")] == 0.0
    org = ("اللجنة القومية العربية", "ORG")
    assert org in _entities(biased, LAJNA)
    assert biased.tag([LAJNA])[0].tags == model.tag([LAJNA], type_bias=DEV_BIAS)[0].tags
    assert biased.tag([LAJNA])[0].tags != model.tag([LAJNA])[0].tags
    # An explicit override still wins over the stored bias.
    assert org not in _entities(biased, LAJNA, o_bias=0.0, type_bias=NO_BIAS)
