"""The Dask worker plugin (imports ``distributed``: load it only through the Dask runner)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from marsad.scale.worker import cached_extractor


class ExtractorPlugin(WorkerPlugin):
    """Builds and warms up the worker process's Extractor when the worker starts.

    Tasks then find it in the per-process cache of :mod:`marsad.scale.worker`, so the
    pipeline is loaded once per process, never per task.
    """

    def __init__(
        self, pipeline_names: Sequence[str] | None, plugins: Sequence[str], freeze_gc: bool
    ) -> None:
        self.pipeline_names = list(pipeline_names) if pipeline_names else None
        self.plugins = tuple(plugins)
        self.freeze_gc = freeze_gc

    def setup(self, worker: Any) -> None:
        """Load the pipeline in this worker's process."""
        cached_extractor(self.pipeline_names, self.plugins, self.freeze_gc)
