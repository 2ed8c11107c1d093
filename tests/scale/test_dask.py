"""The Dask runner on an in-process LocalCluster (skipped without dask.distributed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from marsad.ingest.readers import read_inputs
from marsad.scale.base import SerialRunner
from marsad.scale.dask_runner import DaskRunner

from .conftest import PUBLISHED, dumps

pytest.importorskip("distributed")


def _extractor_ids() -> list[int]:
    """Run on each Dask worker: the Extractors its process has built."""
    from marsad.scale import worker

    return [id(e) for e in worker._CACHE.values()]


def test_dask_runner_matches_serial_loads_once_and_keeps_bad_lines(
    inputs: list[str],
    serial: SerialRunner,
    serial_lines: list[str],
    gold_dev: Path,
    tmp_path: Path,
) -> None:
    good = gold_dev.read_text(encoding="utf-8").splitlines()[:4]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([good[0], "{broken", *good[1:3], '{"doc_id": "e"}', good[3]]))
    # threads in this process: cheap to start; one worker, as the machine is shared
    with DaskRunner(
        "local", workers=1, processes=False, freeze_gc=False, chunk_size=3, window=3
    ) as runner:
        loaded: Any = runner.client.run(_extractor_ids)
        [before] = loaded.values()
        assert len(before) == 1  # the plugin built the Extractor when the worker started
        lines = dumps(runner.run(read_inputs(inputs, published=PUBLISHED)))
        assert lines == serial_lines and len(lines) >= 20
        bad = [json.loads(x) for x in dumps(runner.run(read_inputs([str(mixed)])))]
        assert dumps(bad) == dumps(serial.run(read_inputs([str(mixed)])))
        assert [x.get("error", "")[:11] for x in bad][1:5] == ["broken JSON", "", "", "no 'text' f"]
        after: Any = runner.client.run(_extractor_ids)
        assert list(after.values()) == [before]  # same Extractor for every task of both runs
        assert runner.lost == []


def test_dask_worker_that_cannot_load_the_pipeline_stops_the_batch(seed: Path) -> None:
    from marsad.scale.base import WorkerStartError

    runner = DaskRunner(
        "local", workers=1, processes=False, freeze_gc=False, plugins=["tests.scale.nothing"]
    )
    with pytest.raises(WorkerStartError, match=r"No module named .tests\.scale\.nothing"):
        list(runner.run(read_inputs([str(seed)])))
    assert runner.client is None  # disconnected and the local cluster closed
