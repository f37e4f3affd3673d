# SPDX-License-Identifier: MIT
"""
customer_domain: the rules of customer management, as a library.

Customers (companies or individuals), the contact types that divide them,
their persons and communication channels, the external (portal) users
made from persons, and agencies acting for other customers on orders.

>>> from customer_domain import Customer
>>> acme = Customer(name="ACME", address={"country": "FR"})
>>> buyers = acme.add_contact_type("Purchasing")
>>> jane = acme.add_person(
...     first_name="Hélène", last_name="Lefèvre", contact_types=[buyers],
...     channels=[{"kind": "mobile", "value": "06 12 34 56 78"}],
... )
>>> jane.channels[0].value
'+33612345678'
"""

from __future__ import annotations

from customer_domain import exceptions, storage, validation


# isort: split
# After storage, which derives duplicate detection's keys when it writes.
from customer_domain import duplicates
from customer_domain.exceptions import (
    ConcurrencyError,
    ConflictError,
    CustomerDomainError,
    DuplicateError,
    Issue,
    NotFoundError,
    PotentialDuplicatesError,
    StorageError,
    TransientStorageError,
    ValidationError,
)
from customer_domain.model import (
    DEFAULT_CONTACT_TYPE,
    AccessDecision,
    Affiliation,
    AffiliationKind,
    Agency,
    AgencyAssignment,
    BankDetails,
    Category,
    ChannelData,
    ChannelInput,
    ChannelKind,
    CheckDigit,
    CommunicationChannel,
    ContactType,
    Customer,
    CustomerChanges,
    CustomerKind,
    DeactivationVeto,
    DuplicateOverride,
    ExternalUser,
    ExtraField,
    ExtraFieldType,
    ExtraSchema,
    ExtraValue,
    Identifier,
    Invitation,
    InvitationToken,
    License,
    LicenseType,
    LicenseUsage,
    NumberingStrategy,
    Person,
    PersonChanges,
    PostalAddress,
    Purpose,
    Stage,
    TermsOfUse,
    TermsStatus,
    UserStatus,
    can_access_order,
    decide_access,
    suggest_short_name,
)


__all__ = [
    "DEFAULT_CONTACT_TYPE",
    "AccessDecision",
    "Affiliation",
    "AffiliationKind",
    "Agency",
    "AgencyAssignment",
    "BankDetails",
    "Category",
    "ChannelData",
    "ChannelInput",
    "ChannelKind",
    "CheckDigit",
    "CommunicationChannel",
    "ConcurrencyError",
    "ConflictError",
    "ContactType",
    "Customer",
    "CustomerChanges",
    "CustomerDomainError",
    "CustomerKind",
    "DeactivationVeto",
    "DuplicateError",
    "DuplicateOverride",
    "ExternalUser",
    "ExtraField",
    "ExtraFieldType",
    "ExtraSchema",
    "ExtraValue",
    "Identifier",
    "Invitation",
    "InvitationToken",
    "Issue",
    "License",
    "LicenseType",
    "LicenseUsage",
    "NotFoundError",
    "NumberingStrategy",
    "Person",
    "PersonChanges",
    "PostalAddress",
    "PotentialDuplicatesError",
    "Purpose",
    "Stage",
    "StorageError",
    "TermsOfUse",
    "TermsStatus",
    "TransientStorageError",
    "UserStatus",
    "ValidationError",
    "can_access_order",
    "decide_access",
    "duplicates",
    "exceptions",
    "storage",
    "suggest_short_name",
    "validation",
]
