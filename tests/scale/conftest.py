"""Fixtures for the batch runners: real Arabic articles and their serial extraction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from marsad.ingest.readers import read_inputs
from marsad.scale.base import SerialRunner

PUBLISHED = "2017-03-24"  # for the Hama article, which carries no date


def dumps(lines: Iterable[dict[str, Any]]) -> list[str]:
    """Output lines serialised exactly as ``marsad extract`` writes them."""
    return [json.dumps(line, ensure_ascii=False) for line in lines]


@pytest.fixture(scope="session")
def gold_dev(shared: Path) -> Path:
    return shared / "data" / "gold-dev" / "gold.jsonl"


@pytest.fixture(scope="session")
def seed(repo: Path) -> Path:
    return repo / "examples" / "hama-2017-03.txt"


@pytest.fixture(scope="session")
def inputs(gold_dev: Path, seed: Path) -> list[str]:
    """The 25 gold-dev articles and the Hama article."""
    return [str(gold_dev), str(seed)]


@pytest.fixture(scope="session")
def serial() -> SerialRunner:
    """The reference: one Extractor in this process (gc left alone for the test run)."""
    return SerialRunner(freeze_gc=False)


@pytest.fixture(scope="session")
def serial_lines(serial: SerialRunner, inputs: list[str]) -> list[str]:
    return dumps(serial.run(read_inputs(inputs, published=PUBLISHED)))
