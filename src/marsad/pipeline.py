"""Stage registry and pipeline assembly.

A stage is a class with ``__call__(doc) -> doc`` registered under a versioned name
("normalize/v1"). It declares which ``Doc`` fields it ``reads`` and ``writes`` so a
pipeline can be checked before it runs. Stages are built once per process from a
:class:`Resources` object that holds the shared services (gazetteer, actor registry,
lexicons, NER model); documents are independent, so one pipeline can serve a process
pool or a Dask worker unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar, Protocol, TypeVar

from marsad.doc import Doc
from marsad.errors import ConfigError, DocumentError

log = logging.getLogger(__name__)


class Stage(Protocol):
    """What every pipeline stage looks like."""

    name: ClassVar[str]
    reads: ClassVar[tuple[str, ...]]
    writes: ClassVar[tuple[str, ...]]

    def __call__(self, doc: Doc) -> Doc: ...


StageFactory = Callable[["Resources"], Stage]
_REGISTRY: dict[str, StageFactory] = {}

S = TypeVar("S")


def register(name: str) -> Callable[[S], S]:
    """Class decorator: register a stage class under ``name`` ("family/vN").

    The class is constructed as ``cls(resources)``.
    """

    if "/" not in name:
        raise ConfigError(f"stage name {name!r} must be versioned, e.g. 'tokenize/v1'")

    def deco(cls: S) -> S:
        if name in _REGISTRY:
            raise ConfigError(f"stage {name!r} is registered twice")
        _REGISTRY[name] = cls  # type: ignore[assignment]
        cls.name = name  # type: ignore[attr-defined]
        return cls

    return deco


def registered_stages() -> list[str]:
    """Names of every registered stage (after importing the built-in ones)."""
    _import_builtin_stages()
    return sorted(_REGISTRY)


class Resources:
    """Shared services handed to stages: loaded lazily, once per process.

    Anything may be overridden by passing it in (tests pass a small gazetteer, a fixed
    clock, ...). Values are created by the loader functions in ``_LOADERS`` on first use.
    """

    _LOADERS: ClassVar[dict[str, Callable[[], Any]]] = {}

    def __init__(self, **services: Any) -> None:
        self._services: dict[str, Any] = dict(services)

    @classmethod
    def provide(cls, key: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
        """Decorator: register the default loader of a service."""

        def deco(fn: Callable[[], Any]) -> Callable[[], Any]:
            cls._LOADERS[key] = fn
            return fn

        return deco

    def get(self, key: str) -> Any:
        if key not in self._services:
            _import_builtin_stages()
            loader = self._LOADERS.get(key)
            if loader is None:
                raise ConfigError(f"no service {key!r}: pass it to Resources({key}=...)")
            self._services[key] = loader()
        return self._services[key]

    def __contains__(self, key: str) -> bool:
        return key in self._services or key in self._LOADERS


DEFAULT_PIPELINE: tuple[str, ...] = (
    "clean/v1",
    "normalize/v1",
    "segment/v1",
    "numbers/v1",
    "times/v1",
    "places/v1",
    "actors/v1",
    "sources/v1",
    "triggers/v1",
    "events/v1",
    "filter/v1",
    "merge/v1",
)


class Pipeline:
    """An ordered list of stages built from registered names."""

    def __init__(
        self, names: Iterable[str] = DEFAULT_PIPELINE, resources: Resources | None = None
    ) -> None:
        _import_builtin_stages()
        self.resources = resources or Resources()
        self.names = list(names)
        unknown = [n for n in self.names if n not in _REGISTRY]
        if unknown:
            raise ConfigError(
                f"unknown stage(s) {unknown}; registered: {', '.join(sorted(_REGISTRY))}"
            )
        self.stages: list[Stage] = [_REGISTRY[n](self.resources) for n in self.names]
        self._check_order()

    def _check_order(self) -> None:
        available = {"text", "meta"}
        for st in self.stages:
            missing = [r for r in st.reads if r not in available]
            if missing:
                raise ConfigError(
                    f"stage {st.name} reads {missing}, which no earlier stage writes; "
                    f"order: {self.names}"
                )
            available.update(st.writes)

    def __call__(self, doc: Doc) -> Doc:
        for st in self.stages:
            doc = st(doc)
        return doc

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc | DocumentError]:
        """Run every document; a document that fails yields its error and the rest go on."""
        for doc in docs:
            try:
                yield self(doc)
            except DocumentError as exc:
                log.warning("document %s skipped: %s", doc.doc_id, exc)
                yield exc


_BUILTINS_IMPORTED = False

#: Modules whose import registers the built-in stages and service loaders.
BUILTIN_MODULES: tuple[str, ...] = (
    "marsad.ingest.clean",
    "marsad.text.stages",
    "marsad.text.number_stages",
    "marsad.resolve.gazetteer",
    "marsad.resolve.actors",
    "marsad.mentions.places",
    "marsad.mentions.actors",
    "marsad.mentions.sources",
    "marsad.mentions.ner",
    "marsad.mentions.entities",
    "marsad.events.triggers",
    "marsad.events.stages",
    "marsad.events.filter_model",
)


def _import_builtin_stages() -> None:
    """Import the modules whose classes register the built-in stages."""
    global _BUILTINS_IMPORTED
    if _BUILTINS_IMPORTED:
        return
    _BUILTINS_IMPORTED = True
    import importlib

    for mod in BUILTIN_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:  # a module not yet written is not fatal
            if exc.name != mod:
                raise
            log.debug("stage module %s not present", mod)
