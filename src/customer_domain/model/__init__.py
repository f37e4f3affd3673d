# SPDX-License-Identifier: MIT
"""The domain model: entities and value objects with their rules."""

from __future__ import annotations

from customer_domain.model.access import AccessDecision, decide_access
from customer_domain.model.agency import (
    Agency,
    AgencyAssignment,
    can_access_order,
)
from customer_domain.model.category import Category
from customer_domain.model.channels import (
    ChannelData,
    ChannelInput,
    CommunicationChannel,
)
from customer_domain.model.customer import (
    DEFAULT_CONTACT_TYPE,
    ContactType,
    Customer,
    CustomerChanges,
    DeactivationVeto,
    LicenseUsage,
    suggest_short_name,
)
from customer_domain.model.enums import (
    AffiliationKind,
    ChannelKind,
    CustomerKind,
    ExtraFieldType,
    LicenseType,
    Purpose,
    Stage,
    TermsStatus,
    UserStatus,
)
from customer_domain.model.external_user import (
    ExternalUser,
    Invitation,
    InvitationToken,
)
from customer_domain.model.numbering import (
    CheckDigit,
    NumberingStrategy,
    SequenceSource,
)
from customer_domain.model.person import Person, PersonChanges
from customer_domain.model.values import (
    Affiliation,
    BankDetails,
    DuplicateOverride,
    ExtraField,
    ExtraSchema,
    ExtraValue,
    Identifier,
    License,
    PostalAddress,
    TermsOfUse,
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
    "ContactType",
    "Customer",
    "CustomerChanges",
    "CustomerKind",
    "DeactivationVeto",
    "DuplicateOverride",
    "ExternalUser",
    "ExtraField",
    "ExtraFieldType",
    "ExtraSchema",
    "ExtraValue",
    "Identifier",
    "Invitation",
    "InvitationToken",
    "License",
    "LicenseType",
    "LicenseUsage",
    "NumberingStrategy",
    "Person",
    "PersonChanges",
    "PostalAddress",
    "Purpose",
    "SequenceSource",
    "Stage",
    "TermsOfUse",
    "TermsStatus",
    "UserStatus",
    "can_access_order",
    "decide_access",
    "suggest_short_name",
]
