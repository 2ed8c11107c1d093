"""Tests of the NER model, its pipeline stage, its CLI and the entity scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.cli.main import main as cli_main
from marsad.cli.ner_cmd import tag_conll
from marsad.doc import Doc, DocMeta
from marsad.errors import InputError
from marsad.mentions.ner import (
    NerMentions,
    NerModel,
    Tagged,
    propagate,
    sentences_of,
    split_coordinated,
    tag_text,
    tokenize,
)
from marsad.mentions.ner_eval import chunks, score
from marsad.pipeline import Pipeline

# -- scorer ----------------------------------------------------------------------------


def test_chunks_follow_conlleval() -> None:
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "I-LOC", "B-LOC", "B-ORG", "I-PERS", "O"]
    assert chunks(tags) == [
        (0, 2, "PERS"),
        (3, 5, "LOC"),
        (5, 6, "LOC"),
        (6, 7, "ORG"),
        (7, 8, "PERS"),
    ]
    assert chunks(["I-MISC"]) == [(0, 1, "MISC")]
    assert chunks(["O", "O"]) == []


def test_score_exact_match_only() -> None:
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PERS", "O", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    s = score(gold, pred)
    micro = s.micro()
    # Gold: PERS(0,2) LOC(3,4) ORG(0,3); predicted: PERS(0,1) LOC ORG; 2 of 3 right.
    assert micro["precision"] == pytest.approx(2 / 3)
    assert micro["recall"] == pytest.approx(2 / 3)
    assert micro["f1"] == pytest.approx(2 / 3)
    per = s.per_type()
    assert per["PERS"]["f1"] == 0.0
    assert per["LOC"]["f1"] == 1.0
    assert per["ORG"]["support"] == 1.0


def test_score_type_mismatch_and_empty() -> None:
    s = score([["B-LOC", "O"]], [["B-ORG", "O"]])
    assert s.micro()["f1"] == 0.0
    assert s.per_type()["ORG"]["precision"] == 0.0
    assert score([["O"]], [["O"]]).micro()["f1"] == 0.0


def test_score_rejects_bad_input() -> None:
    with pytest.raises(InputError):
        score([["O", "O"]], [["O"]])
    with pytest.raises(InputError):
        chunks(["X-PERS"])


def test_propagate_surname_and_whole_names() -> None:
    sents = [
        ["التقى", "النائب", "بهاء", "الأعرجي", "وفد", "وزارة", "الخارجية", "في", "بغداد"],
        ["وقال", "الأعرجي", "إن", "الوفد", "سيعود", "إلى", "بغداد"],
        ["وأكد", "والأعرجي", "الثاني", "أن"],
    ]
    tagged = [
        Tagged(["O", "O", "B-PERS", "I-PERS", "O", "B-ORG", "I-ORG", "O", "B-LOC"], [0.9] * 9),
        Tagged(["O"] * 7, [0.9] * 7),
        Tagged(["O"] * 4, [0.9] * 4),
    ]
    out = propagate(sents, tagged, window=5, min_score=0.7)
    assert out[1].tags == ["O", "B-PERS", "O", "O", "O", "O", "B-LOC"]
    assert out[1].probs[1] == pytest.approx(0.9)
    # A clitic (و) does not hide the surname; the input is left as it was.
    assert out[2].tags[1] == "B-PERS"
    assert tagged[1].tags == ["O"] * 7
    # Names found with a low score, or outside the window, are not propagated.
    assert propagate(sents, tagged, window=5, min_score=0.95)[1].tags == ["O"] * 7
    assert propagate(sents, tagged, window=0)[1].tags == ["O"] * 7


def test_split_coordinated_names() -> None:
    toks = ["فاز", "راديك", "وفريدل", "على", "سعد", "بن", "وقاص"]
    tagged = Tagged(["O", "B-PERS", "I-PERS", "O", "B-PERS", "I-PERS", "I-PERS"], [0.9] * 7)
    out = split_coordinated(toks, tagged)
    assert out.tags == ["O", "B-PERS", "B-PERS", "O", "B-PERS", "I-PERS", "I-PERS"]
    assert tagged.tags[2] == "I-PERS"


# -- model -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> NerModel:
    return NerModel.load()


def test_model_loads_with_its_tag_set() -> None:
    m = NerModel.load()  # load time is measured by scripts/bench_ner.py
    assert set(m.tags) == {"O"} | {f"{p}-{t}" for p in "BI" for t in ("PERS", "LOC", "ORG", "MISC")}


def test_tags_known_person_and_place(model: NerModel) -> None:
    text = "وقال الرئيس الأمريكي جورج بوش في مؤتمر صحفي في واشنطن إن القوات ستبقى في العراق."
    ents = tag_text(model, text)
    found = {(e["text"], e["type"]) for e in ents}
    assert ("جورج بوش", "PERS") in found
    assert ("واشنطن", "LOC") in found
    assert ("العراق", "LOC") in found
    for e in ents:
        assert text[e["start"] : e["end"]] == e["text"]
        assert 0.0 < e["score"] <= 1.0


def test_tokenize_like_anercorp() -> None:
    text = "وأضاف أنّ 30% من سكان (بغداد)، نزحوا."
    toks = [text[s:e] for s, e in tokenize(text)]
    assert toks == ["وأضاف", "أنّ", "30%", "من", "سكان", "(", "بغداد", ")", "،", "نزحوا", "."]
    assert len(sentences_of("جملة أولى. جملة ثانية\nسطر آخر")) == 3


def test_conll_round_trip(model: NerModel, shared: Path) -> None:
    lines = (shared / "data/anercorp/ANERCorp_CamelLab_test.txt").read_text(encoding="utf-8")
    head = "\n".join(lines.splitlines()[:1500]) + "\n"
    out = list(tag_conll(model, head))
    src = head.splitlines()
    assert len(out) == len(src)
    gold: list[list[str]] = [[]]
    pred: list[list[str]] = [[]]
    for a, b in zip(src, out, strict=True):
        if not a.strip():
            assert b == a
            gold.append([])
            pred.append([])
            continue
        assert b.rsplit(" ", 1)[0] == a
        gold[-1].append(a.split()[-1])
        pred[-1].append(b.split()[-1])
    # The tags are real predictions: most entities of ANERcorp test are found.
    assert score(gold, pred).micro()["f1"] > 0.6


def test_pipeline_stage_adds_entities() -> None:
    text = "أعلن وزير الخارجية السوري وليد المعلم من دمشق أن الأمم المتحدة ستعقد اجتماعا."
    pipe = Pipeline(["normalize/v1", "segment/v1", "ner/v1"])
    assert NerMentions.reads == ("tokens",)
    doc = pipe(Doc(text=text, meta=DocMeta(doc_id="t1")))
    ents = doc.spans("ENT")
    by_text = {s.attrs["text"]: s.attrs["type"] for s in ents}
    assert by_text.get("دمشق") == "LOC"
    assert by_text.get("وليد المعلم") == "PERS"
    for s in ents:
        assert doc.text[s.start : s.end] == s.attrs["text"]
        assert s.attrs["type"] in ("PERS", "LOC", "ORG", "MISC")
        assert 0.0 < s.attrs["score"] <= 1.0


def test_cli_plain_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "زار الملك عبدالله الثاني مدينة عمان يوم الأحد."
    f = tmp_path / "in.txt"
    f.write_text(text, encoding="utf-8")
    assert cli_main(["ner", str(f)]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
    assert any(r["type"] == "LOC" and "عمان" in r["text"] for r in rows)


def test_cli_conll_file(tmp_path: Path) -> None:
    src = "ذهب O\nمحمد B-PERS\nإلى O\nالقاهرة B-LOC\n\nانتهى O\n"
    f = tmp_path / "in.conll"
    f.write_text(src, encoding="utf-8")
    out = tmp_path / "out.conll"
    assert cli_main(["ner", "--conll", str(f), "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [ln.rsplit(" ", 1)[0] if ln else ln for ln in lines] == src.splitlines()
    assert lines[3].endswith("B-LOC")
