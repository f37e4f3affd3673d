# SPDX-License-Identifier: MIT
"""
Normalizers and validators, one module per format.

Every module offers the same verbs, after python-stdnum:

- ``validate(value, ...)`` returns the canonical value or raises
  :class:`~customer_domain.ValidationError`;
- ``is_valid(value, ...)`` answers with a bool;
- ``normalize(value, ...)`` returns the canonical form of a value.

>>> from customer_domain.validation import phones, emails
>>> phones.is_valid("+33 6 12 34 56 78")
True
>>> emails.validate("mireille.couture@hervedavid.com")
'mireille.couture@hervedavid.com'
"""

from __future__ import annotations

from customer_domain.validation import (
    bic,
    codes,
    countries,
    currencies,
    emails,
    iban,
    identifiers,
    languages,
    networks,
    phones,
    urls,
    vat,
)


__all__ = [
    "bic",
    "codes",
    "countries",
    "currencies",
    "emails",
    "iban",
    "identifiers",
    "languages",
    "networks",
    "phones",
    "urls",
    "vat",
]
