# SPDX-License-Identifier: MIT
"""
Match keys and the normalizers behind them (DU-5, DU-7): pure functions
of the model, below storage, which derives a record's keys once, when it
is written.  `customer_domain.duplicates` looks them up.

>>> from customer_domain.matching import person_name_key
>>> person_name_key("Hélène", "LEFÈVRE")
'helene lefevre'
>>> person_name_key("lefevre", "helene")
'helene lefevre'

.. versionadded:: 0.1.0
"""

from customer_domain.matching.keys import (
    MatchKey,
    customer_keys,
    name_blocks,
    name_parts,
    person_keys,
)
from customer_domain.matching.normalize import (
    LEGAL_FORMS,
    company_name_key,
    email_key,
    fold_name,
    person_name_key,
    phone_key,
    postal_code_key,
    vat_key,
)


__all__ = [
    "LEGAL_FORMS",
    "MatchKey",
    "company_name_key",
    "customer_keys",
    "email_key",
    "fold_name",
    "name_blocks",
    "name_parts",
    "person_keys",
    "person_name_key",
    "phone_key",
    "postal_code_key",
    "vat_key",
]
