"""Boilerplate lines are marked, never removed from the text."""

from __future__ import annotations

from marsad.ingest.clean import find_boilerplate, load_boilerplate_rules


def test_seed_ad_line_and_read_also_links_are_marked() -> None:
    text = (
        "قتل 37 مدنيا في غارات جوية على الطبقة.\n\nAd\n\n"
        "اقرأ أيضا: النظام يستعيد بلدات في ريف حماة\n"
        "وقال ناشطون إن الغارات استهدفت الحي الثاني.\n"
        "إعلان\n"
    )
    spans = find_boilerplate(text, load_boilerplate_rules())
    found = [text[s:e] for s, e in spans]
    assert found == ["Ad", "اقرأ أيضا: النظام يستعيد بلدات في ريف حماة", "إعلان"]


def test_report_lines_that_mention_ads_are_kept() -> None:
    text = "وأعلن الجيش أمس السيطرة على البلدة.\nإعلان الجيش جاء بعد معارك عنيفة استمرت يومين."
    assert find_boilerplate(text, load_boilerplate_rules()) == []
