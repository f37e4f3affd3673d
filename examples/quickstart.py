# SPDX-License-Identifier: MIT
"""
The main job, for now: build a customer from the seed manuals, show an
input the rules refuse with its error paths in English and French, and
print the normalized result.

Run it with ``make run``.
"""

from __future__ import annotations

from typing import Any

from customer_domain import Customer, ValidationError, serialization


def main() -> None:
    """Build, refuse, fix and print."""
    herve_david = Customer(
        name="Hervé David",
        number="8005551",
        address={"city": "Montréal", "region": "QC", "country": "CA"},
        language="fr",
        currency="cad",
        licenses=[{"quantity": 5, "title": "Portal users"}],
    )
    operations = herve_david.add_contact_type("Opérations")
    purchasing = herve_david.add_contact_type("Purchasing")

    # The contact exactly as typed in seed 004: its numbers are not valid
    # Canadian numbers, so nothing is created and every problem is listed.
    mireille_input: dict[str, Any] = {
        "first_name": "Mireille",
        "last_name": "Couture",
        "job_title": "Responsable stock",
        "department": "Logistique",
        "channels": [
            {"kind": "email", "value": "mireille.couture@hervedavid.com"},
            {"kind": "phone", "value": "521 1224 6321"},
            {"kind": "mobile", "value": "524 1478 1263"},
            {"kind": "fax", "value": "521 1582 1132"},
        ],
    }
    try:
        herve_david.add_person(contact_types=[operations], **mireille_input)
    except ValidationError as error:
        print("Refused input:")
        for issue in error.issues:
            print(f"  {issue.path} [{issue.code}] {issue.value!r}")
            print(f"    en: {issue.message('en')}")
            print(f"    fr: {issue.message('fr')}")

    mireille_input["channels"] = [
        {"kind": "email", "value": "mireille.couture@hervedavid.com"},
        {"kind": "phone", "value": "514 555 0123"},
        {"kind": "mobile", "value": "+1 (438) 555-0142", "primary": True},
    ]
    mireille = herve_david.add_person(
        contact_types=[operations, purchasing], **mireille_input
    )
    user, invitation = herve_david.add_external_user(
        mireille, login="8005551216", allowed_networks=["192.0.2.0/24"]
    )
    try:
        user.update(allowed_networks=["123.542.654.785"])
    except ValidationError as error:
        print("\nRefused IP restriction:")
        print("  " + "\n  ".join(error.messages("en") + error.messages("fr")))

    print("\nNormalized result:")
    print(f"  {herve_david!r}")
    for ct in herve_david.contact_types:
        print(f"  {ct!r}")
    print(f"  {mireille!r}")
    for channel in mireille.channels:
        print(
            f"    {channel.kind.value:<7} {channel.raw!r:>36}"
            f" -> {channel.value}"
        )
    print(f"  {user!r} super-admin={user.super_admin}")
    print(f"  invitation expires {invitation.expires_at:%Y-%m-%d}")
    print(f"  licenses {herve_david.license_usage()}")

    snapshot = serialization.CustomerSnapshot(herve_david, [mireille], [user])
    text = serialization.dumps(snapshot)
    # We wrote it: the trusted form keeps users, seats and versions,
    # which a client's (validated) document may not set.
    again = serialization.loads(
        text, serialization.CustomerSnapshot, trusted=True
    )
    print(
        f"\nJSON round trip: {len(text)} bytes,"
        f" equal: {serialization.dumps(again) == text}"
    )


if __name__ == "__main__":
    main()
