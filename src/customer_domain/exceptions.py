# SPDX-License-Identifier: MIT
"""
Every exception that *customer_domain* raises.

All of them derive from :class:`CustomerDomainError`, so a host can catch
the library's errors with one ``except`` clause.

Bad input always gives a :class:`ValidationError` that carries **every**
problem found, each as an :class:`Issue` with a path, a stable code, the
offending value and a message in English and French:

>>> from customer_domain import Customer, ValidationError
>>> try:
...     Customer(kind="company", name="", currency="EURO")
... except ValidationError as e:
...     for issue in e.issues:
...         print(issue.path, issue.code, "|", issue.message("fr"))
name required | Ce champ est obligatoire.
currency currency.invalid | « EURO » n’est pas un code de devise ISO 4217.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from customer_domain._messages import Locale, render


__all__ = ["CustomerDomainError", "Issue", "ValidationError"]

_SIMPLE: Final = (str, int, float, bool, type(None))
_MAX_VALUE_REPR: Final = 200


def _portable(value: object) -> object:
    """
    Keep *value* if it is a plain scalar, else its (shortened) ``repr``.

    An issue must pickle and print safely whatever the host passed in.
    """
    if isinstance(value, _SIMPLE):
        return value
    text = repr(value)
    if len(text) > _MAX_VALUE_REPR:
        text = text[: _MAX_VALUE_REPR - 1] + "…"
    return text


def _params(params: Mapping[str, str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in params.items()}


class CustomerDomainError(Exception):
    """
    Base class of every exception raised by *customer_domain*.

    .. versionadded:: 0.1.0
    """


@attrs.frozen
class Issue:
    """
    One problem found in an input.

    Attributes:
        path:
            Where the problem is, in the input's own terms:
            ``"persons[2].channels[0].value"``; ``""`` for the whole input.
        code:
            A stable, dotted machine-readable code (``"phone.too_long"``).
            Every code is listed, with both messages, in the docs.
        value:
            The offending value (its ``repr`` if it is not a plain scalar).
        params:
            Values interpolated into the message (``{"region": "CA"}``).

    .. versionadded:: 0.1.0
    """

    path: str
    code: str
    value: object = attrs.field(default=None, converter=_portable)
    params: Mapping[str, str] = attrs.field(factory=dict, converter=_params)

    def message(self, locale: Locale = "en") -> str:
        """
        Return the sentence a UI can show next to the field.

        Args:
            locale: ``"en"`` or ``"fr"``.
        """
        return render(self.code, locale, self.value, self.params)

    def prefixed(self, prefix: str) -> Issue:
        """Return this issue with *prefix* put in front of its path."""
        if not prefix:
            return self
        if not self.path:
            path = prefix
        elif self.path.startswith("["):
            path = prefix + self.path
        else:
            path = f"{prefix}.{self.path}"
        return Issue(path, self.code, self.value, self.params)


class ValidationError(CustomerDomainError, ValueError):
    """
    An input was refused; :attr:`issues` lists every problem found in it.

    ``str()`` gives one English line per issue (``path: message``); use
    :meth:`messages` or :meth:`by_path` to show them in another language.

    .. versionadded:: 0.1.0
    """

    issues: tuple[Issue, ...]

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__(self.issues)

    def __reduce__(self) -> tuple[type[ValidationError], tuple[object]]:
        return (type(self), (self.issues,))

    def __str__(self) -> str:
        return "\n".join(self.messages("en"))

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of all issues, in order."""
        return tuple(i.code for i in self.issues)

    def messages(self, locale: Locale = "en") -> list[str]:
        """Return ``"path: message"`` lines in *locale*."""
        return [
            f"{i.path}: {i.message(locale)}" if i.path else i.message(locale)
            for i in self.issues
        ]

    def by_path(self, locale: Locale = "en") -> dict[str, list[str]]:
        """
        Return the messages grouped by path, for showing them field by field.
        """
        out: dict[str, list[str]] = {}
        for i in self.issues:
            out.setdefault(i.path, []).append(i.message(locale))
        return out

    def prefixed(self, prefix: str) -> ValidationError:
        """Return a copy whose issue paths all start with *prefix*."""
        return ValidationError(i.prefixed(prefix) for i in self.issues)
