"""Progress lines and input counting (no extraction)."""

from __future__ import annotations

import io
from pathlib import Path

from marsad.scale.progress import BatchProgress, BatchSummary, count_inputs


def test_count_inputs(tmp_path: Path, gold_dev: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("قتل ثلاثة أشخاص", encoding="utf-8")
    (corpus / "sub" / "b.jsonl").write_text('{"text": "أ"}\n\n{"text": "ب"}\n', encoding="utf-8")
    (corpus / "notes.md").write_text("ignored", encoding="utf-8")
    assert count_inputs([str(corpus)]) == 3
    assert count_inputs([str(gold_dev), str(corpus / "a.txt")]) == 26
    assert count_inputs([str(corpus), "-"]) is None  # stdin: unknown
    (corpus / "feed.rss").write_text("<rss/>", encoding="utf-8")
    assert count_inputs([str(corpus)]) is None  # a feed holds an unknown number of items


def test_plain_progress_lines_in_a_log() -> None:
    log = io.StringIO()  # not a terminal: whole lines, no carriage returns
    progress = BatchProgress(4, stream=log, plain_every=0.0)
    progress.add({"doc_id": "a", "events": [{}, {}]})
    progress.add({"doc_id": "b", "events": [], "error": "empty text"})
    progress.close()
    lines = log.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in log.getvalue()
    assert "2/4" in lines[1] and "failed 1" in lines[1] and "ETA" in lines[1]
    assert (progress.count, progress.events, progress.failed) == (2, 2, 1)


def test_quiet_progress_writes_nothing() -> None:
    log = io.StringIO()
    progress = BatchProgress(None, stream=log, enabled=False, plain_every=0.0)
    progress.add({"doc_id": "a", "events": []})
    progress.close()
    assert log.getvalue() == ""


def test_summary_line() -> None:
    s = BatchSummary(articles=400, events=812, failed=12, lost=0, seconds=10.0)
    assert s.line() == (
        "marsad batch: 400 articles, 812 events, 12 failed, 0 lost, 10.0 s, 40.0 articles/s"
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_progress_redraws_one_line() -> None:
    term = _Terminal()
    progress = BatchProgress(3, stream=term, every=0.0)
    for line in ({"events": [{}]}, {"events": []}, {"events": [], "error": "not Arabic text"}):
        progress.add(line)
    progress.close()
    out = term.getvalue()
    assert out.count("\r") == 4 and out.endswith("\n") and out.count("\n") == 1
    last = out.rsplit("\r", 1)[1]
    assert "[" + "#" * 28 + "] 3/3" in last and "failed 1" in last and "ETA 00:00" in last
