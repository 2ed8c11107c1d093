"""A pipeline stage that kills its own worker process, to test crash handling for real.

Imported by the pool workers through ``ProcessPoolRunner(plugins=[...])``. An article
whose JSON carries ``"crash_worker": true`` (kept in ``DocMeta.extra``) makes the stage
send SIGKILL to its own process, as the kernel's OOM killer or a native crash would; any
other article passes through untouched, so the rest of the output is the default
pipeline's.
"""

from __future__ import annotations

import os
import signal
from typing import ClassVar

from marsad.doc import Doc
from marsad.pipeline import Resources, register

NAME = "test-crash/v1"


@register(NAME)
class CrashOnMarkedArticle:
    """Kill this process on a marked article."""

    reads: ClassVar[tuple[str, ...]] = ("text",)
    writes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        if doc.meta.extra.get("crash_worker"):
            os.kill(os.getpid(), signal.SIGKILL)
        return doc
