"""``filter/v1``: the learned event filter, on real Arabic text."""

from __future__ import annotations

import datetime as dt

from marsad.doc import Doc, DocMeta
from marsad.events.filter_model import LogisticFilter
from marsad.pipeline import DEFAULT_PIPELINE, Pipeline, Resources

UP_TO_FILTER = list(DEFAULT_PIPELINE[: DEFAULT_PIPELINE.index("filter/v1") + 1])

TEXT = (
    'سجلت منظمة "أنقذوا الأطفال" فرار 10 آلاف مدني على الأقل، خلال الـ24 ساعة الماضية '
    "بعيدا عن مناطق الاشتباك في ريف حماة الشمالي. وقصفت قوات النظام بلدة اللطامنة أمس."
)


def subs(model: LogisticFilter) -> list[str]:
    pipe = Pipeline(UP_TO_FILTER, Resources(event_filter=model))
    doc = pipe(Doc(text=TEXT, meta=DocMeta(doc_id="t", published=dt.date(2017, 3, 24))))
    # the rejected stay, marked, for merge/v1 to take as repeats of kept events only
    return [e["sub_event_type"] for e in doc.events if not e.get("_rejected")]


def test_a_filter_that_rejects_everything_keeps_the_sub_types_it_cannot_judge() -> None:
    strict = LogisticFilter({"bias": -10.0}, 0.5, {"unjudged": ["Displacement"]})
    assert subs(strict) == ["Displacement"]
    assert subs(LogisticFilter({"bias": -10.0}, 0.5, {})) == []


def test_the_packaged_filter_leaves_displacement_to_the_rules() -> None:
    model = Resources().get("event_filter")
    # gold-train codes no displacement: the model has nothing to judge one by
    assert not model.judges("Displacement")
    assert model.judges("Armed clash")
    assert "Displacement" in subs(model)


def test_the_output_of_a_pipeline_ending_at_the_filter_leaves_out_the_rejected() -> None:
    from marsad.extract import doc_to_output

    strict = LogisticFilter({"bias": -10.0}, 0.5, {"unjudged": ["Displacement"]})
    pipe = Pipeline(UP_TO_FILTER, Resources(event_filter=strict))
    doc = pipe(Doc(text=TEXT, meta=DocMeta(doc_id="t", published=dt.date(2017, 3, 24))))
    assert any(e.get("_rejected") for e in doc.events)
    out = doc_to_output(doc)["events"]
    assert [e["sub_event_type"] for e in out] == ["Displacement"]
    assert [e["event_id"] for e in out] == ["t/0"]
