# SPDX-License-Identifier: MIT
"""The closed vocabularies of the model."""

from __future__ import annotations

import enum


__all__ = [
    "AffiliationKind",
    "ChannelKind",
    "CustomerKind",
    "ExtraFieldType",
    "LicenseType",
    "Purpose",
    "Stage",
    "TermsStatus",
    "UserStatus",
]


class CustomerKind(enum.Enum):
    """A company (professional) or an individual (private person), CU-1."""

    COMPANY = "company"
    INDIVIDUAL = "individual"


class Stage(enum.Enum):
    """Where a customer stands commercially, CU-12."""

    PROSPECT = "prospect"
    CLIENT = "client"


class ChannelKind(enum.Enum):
    """The kinds of communication channel, CH-1."""

    PHONE = "phone"
    MOBILE = "mobile"
    EMAIL = "email"
    FAX = "fax"
    WEB = "web"


class Purpose(enum.Enum):
    """What a channel is for, BX-2."""

    WORK = "work"
    HOME = "home"
    BILLING = "billing"
    OTHER = "other"


class LicenseType(enum.Enum):
    """Who a license package is for, CU-17."""

    CUSTOMER = "customer"
    SUPPLIER = "supplier"


class TermsStatus(enum.Enum):
    """Where a customer stands on the terms of use, CU-18."""

    NOT_READ = "not_read"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class UserStatus(enum.Enum):
    """The life of an external user, EU-2."""

    INVITED = "invited"
    ACTIVE = "active"
    INACTIVE = "inactive"


class AffiliationKind(enum.Enum):
    """How a person was or is linked to a customer, BX-1."""

    #: The person worked for that customer (history kept after a move).
    MEMBER = "member"
    #: The person manages that customer too, PE-6.
    COLLABORATOR = "collaborator"


class ExtraFieldType(enum.Enum):
    """Types of host-defined extra fields, CU-15."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    CHOICE = "choice"
