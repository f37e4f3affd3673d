# SPDX-License-Identifier: MIT
"""Reading nested inputs: objects or plain mappings (private)."""

from __future__ import annotations

import inspect

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from customer_domain._collect import Collector, fail, join


T = TypeVar("T")


_INIT_KEYS: dict[type[Any], frozenset[str]] = {}


def init_keys(cls: type[Any]) -> frozenset[str]:
    """The keyword parameters of ``cls.__init__`` (cached)."""
    keys = _INIT_KEYS.get(cls)
    if keys is None:
        keys = _INIT_KEYS[cls] = _keywords(cls)
    return keys


def _keywords(cls: type[Any]) -> frozenset[str]:
    params = inspect.signature(cls.__init__).parameters
    return frozenset(
        name
        for name, p in params.items()
        if name != "self"
        and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    )


def from_mapping(cls: type[T], data: Mapping[str, object]) -> T:
    """Call ``cls(**data)``, refusing unknown keys first."""
    if not isinstance(data, Mapping):
        fail("invalid_type", data, expected="an object")
    c = Collector()
    c.unknown_keys("", data, init_keys(cls))
    c.raise_if_any()
    return cls(**{str(k): v for k, v in data.items()})


def coerce(
    c: Collector, path: str, value: object, cls: type[T], expected: str
) -> T | None:
    """Accept an instance of *cls*, a mapping of its fields, or None."""
    if value is None or isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return c.check(path, from_mapping, cls, value)
    c.add(path, "invalid_type", value, expected=expected)
    return None


def coerce_all(
    c: Collector, path: str, values: object, cls: type[T], expected: str
) -> tuple[T, ...]:
    """Like `coerce`, for a list; None gives an empty tuple."""
    if values is None:
        return ()
    if isinstance(values, str | bytes | Mapping) or not isinstance(
        values, Iterable
    ):
        c.add(path, "invalid_type", values, expected=f"a list of {expected}")
        return ()
    out = []
    for i, value in enumerate(values):
        item = coerce(c, join(path, i), value, cls, expected)
        if item is not None:
            out.append(item)
        elif value is None:
            c.add(join(path, i), "required")
    return tuple(out)
