# SPDX-License-Identifier: MIT
"""
Collecting every issue of an input before raising (private).

Validation code never stops at the first problem: it records issues in a
:class:`Collector` with their paths and raises one
:class:`~customer_domain.ValidationError` at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NoReturn, ParamSpec, TypeVar, cast

from customer_domain.exceptions import Issue, ValidationError, _portable


P = ParamSpec("P")
T = TypeVar("T")


def fail(code: str, value: object = None, **params: str) -> NoReturn:
    """Raise a `ValidationError` with one issue at the empty path."""
    raise ValidationError((Issue("", code, value, params),))


def join(prefix: str, key: str | int) -> str:
    """Join a path *prefix* and a field name or list index."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


class Collector:
    """Accumulates issues; `raise_if_any` raises them all at once."""

    __slots__ = ("issues",)

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def __bool__(self) -> bool:
        return bool(self.issues)

    def add(
        self, path: str, code: str, value: object = None, **params: str
    ) -> None:
        """Record one issue."""
        self.issues.append(Issue(path, code, value, params))

    def merge(self, path: str, error: ValidationError) -> None:
        """Record the issues of *error* below *path*."""
        self.issues.extend(i.prefixed(path) for i in error.issues)

    def check(
        self,
        path: str,
        fn: Callable[P, T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """
        Return ``fn(*args, **kwargs)``; on `ValidationError` record its
        issues below *path*.

        On failure the return value is a placeholder (None): callers must
        call `raise_if_any` before the object they build is used.
        """
        try:
            return fn(*args, **kwargs)
        except ValidationError as e:
            self.merge(path, e)
            return cast("T", None)

    def unknown_keys(
        self, path: str, data: Mapping[str, object], known: frozenset[str]
    ) -> None:
        """Record an ``unknown_field`` issue for each key not in *known*."""
        for key in data:
            if key not in known:
                given: object = key  # Typed str, but any hashable at run time.
                name = given if isinstance(given, str) else str(_portable(key))
                self.add(join(path, name), "unknown_field", key)

    def raise_if_any(self) -> None:
        """Raise a `ValidationError` with every recorded issue, if any."""
        if self.issues:
            raise ValidationError(self.issues)
