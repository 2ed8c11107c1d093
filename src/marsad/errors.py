"""Exception types. Each message says what the user can do about it."""

from __future__ import annotations


class MarsadError(Exception):
    """Base class of every error Marsad raises on purpose."""


class InputError(MarsadError):
    """An input file or record cannot be read as an article."""


class DocumentError(MarsadError):
    """One article cannot be processed (empty, binary, not Arabic, too large)."""


class ConfigError(MarsadError):
    """The pipeline or a resource is misconfigured (unknown stage, missing data file)."""


class DataError(MarsadError):
    """A packaged or user-supplied data file (gazetteer, registry, lexicon) is invalid."""


class StoreError(MarsadError):
    """The event store cannot be opened, migrated or written."""
