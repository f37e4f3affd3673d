# SPDX-License-Identifier: MIT
"""
Column labels in English and French (private): the translations the
model cannot give.  Which columns exist is derived from the model
(`customer_domain.interchange.columns`); a test checks every derived
column has its label here, and that no label is left without a column.

Each entry: English header, French header, English help, French help,
and other headers a real file may use for the column (matched, like the
headers, case-, accent- and punctuation-insensitively).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final


Label = tuple[str, str, str, str, tuple[str, ...]]

LABELS: Final[Mapping[str, Label]] = {
    # -- persons -----------------------------------------------------------
    "customer_number": (
        "Customer number",
        "Numéro client",
        (
            "The number of the person's customer; links a person to the"
            " customers sheet or to a customer already stored."
        ),
        (
            "Le numéro du client de l'interlocuteur ; relie l'interlocuteur à"
            " la feuille des clients ou à un client déjà enregistré."
        ),
        (
            "customer no",
            "customer id",
            "account number",
            "n client",
            "no client",
            "code client",
            "numero de client",
        ),
    ),
    "customer_name": (
        "Company",
        "Société",
        (
            "The customer's name, when the file has no customer number: a"
            " customer of that name is used, or created."
        ),
        (
            "Le nom du client, quand le fichier n'a pas de numéro client :"
            " le client de ce nom est utilisé, ou créé."
        ),
        (
            "customer",
            "customer name",
            "organization",
            "organisation",
            "account",
            "account name",
            "client",
            "entreprise",
            "raison sociale",
            "nom du client",
            "nom client",
            "company name",
        ),
    ),
    "contact_types": (
        "Contact types",
        "Types d'interlocuteur",
        (
            "The contact types the person is in, separated by semicolons:"
            " Purchasing; Accounting.  Missing ones are created; empty,"
            " the importer's default."
        ),
        (
            "Les types d'interlocuteur de la personne, séparés par des"
            " points-virgules : Achats ; Comptabilité.  Ceux qui manquent"
            " sont créés ; vide, le type par défaut de l'import."
        ),
        (
            "contact type",
            "type d'interlocuteur",
            "type interlocuteur",
            "types",
        ),
    ),
    "salutation": (
        "Salutation",
        "Civilité",
        "Mr, Ms, Dr... as it should be printed.",
        "M., Mme, Dr... tel qu'il doit être imprimé.",
        ("title", "titre", "civ", "civilite"),
    ),
    "first_name": (
        "First name",
        "Prénom",
        "The given name(s).",
        "Le ou les prénoms.",
        ("given name", "firstname", "forename", "prenoms"),
    ),
    "last_name": (
        "Last name",
        "Nom",
        "The family name.  Required.",
        "Le nom de famille.  Obligatoire.",
        ("surname", "family name", "lastname", "name", "nom de famille"),
    ),
    "job_title": (
        "Job title",
        "Fonction",
        "The person's position: Purchasing manager...",
        "Le poste de l'interlocuteur : Responsable achats...",
        ("position", "job", "poste", "intitule du poste"),
    ),
    "department": (
        "Department",
        "Service",
        "The department: Purchasing, Accounting...",
        "Le service : Achats, Comptabilité...",
        ("departement", "division"),
    ),
    "functions": (
        "Functions",
        "Fonctions",
        "Several roles, separated by semicolons: Buyer; Signatory.",
        (
            "Plusieurs rôles, séparés par des points-virgules : Acheteur ;"
            " Signataire."
        ),
        ("roles", "role", "rôles"),
    ),
    "location": (
        "Location",
        "Site",
        "Where the person works: building, site, office.",
        "Où travaille l'interlocuteur : bâtiment, site, bureau.",
        ("office", "bureau", "lieu"),
    ),
    "remark": (
        "Remark",
        "Remarque",
        "Free notes, kept internal.",
        "Notes libres, internes.",
        (
            "remarks",
            "note",
            "notes",
            "comment",
            "comments",
            "commentaire",
            "commentaires",
            "remarques",
        ),
    ),
    # -- channels (persons and customers) -----------------------------------
    "email": (
        "E-mail",
        "E-mail",
        "An e-mail address: name@example.com.",
        "Une adresse e-mail : nom@exemple.fr.",
        (
            "email address",
            "e mail address",
            "mail",
            "courriel",
            "adresse e mail",
            "adresse email",
            "adresse mail",
            "mel",
            "email 1",
            "e mail 1",
        ),
    ),
    "email_2": (
        "E-mail 2",
        "E-mail 2",
        "A second e-mail address.",
        "Une seconde adresse e-mail.",
        ("second email", "other email", "courriel 2", "autre email"),
    ),
    "phone": (
        "Phone",
        "Téléphone",
        (
            "A landline number, national or international: 01 23 45 67 89,"
            " +33 1 23 45 67 89.  Format the column as text so that the"
            " leading zero stays."
        ),
        (
            "Un numéro de téléphone fixe, national ou international :"
            " 01 23 45 67 89, +33 1 23 45 67 89.  Mettez la colonne au format"
            " texte pour garder le zéro initial."
        ),
        (
            "telephone",
            "tel",
            "phone number",
            "business phone",
            "work phone",
            "tel fixe",
            "telephone fixe",
            "telephone 1",
            "phone 1",
            "tel 1",
            "numero de telephone",
        ),
    ),
    "phone_2": (
        "Phone 2",
        "Téléphone 2",
        "A second landline number.",
        "Un second numéro de téléphone fixe.",
        ("other phone", "tel 2", "autre telephone", "home phone"),
    ),
    "mobile": (
        "Mobile",
        "Mobile",
        "A mobile number: 06 12 34 56 78, +1 514 555 0123.",
        "Un numéro de mobile : 06 12 34 56 78, +1 514 555 0123.",
        (
            "mobile phone",
            "cell",
            "cell phone",
            "cellphone",
            "portable",
            "tel portable",
            "telephone portable",
            "gsm",
            "cellulaire",
            "mobile 1",
        ),
    ),
    "mobile_2": (
        "Mobile 2",
        "Mobile 2",
        "A second mobile number.",
        "Un second numéro de mobile.",
        ("other mobile", "portable 2"),
    ),
    "fax": (
        "Fax",
        "Fax",
        "A fax number.",
        "Un numéro de fax.",
        ("telecopie", "fax number", "telecopieur", "business fax"),
    ),
    "fax_2": (
        "Fax 2",
        "Fax 2",
        "A second fax number.",
        "Un second numéro de fax.",
        (),
    ),
    "web": (
        "Website",
        "Site web",
        "A web address: https://example.com.",
        "Une adresse web : https://exemple.fr.",
        ("web", "url", "web page", "site internet", "www"),
    ),
    "web_2": (
        "Website 2",
        "Site web 2",
        "A second web address.",
        "Une seconde adresse web.",
        (),
    ),
    # -- customers ---------------------------------------------------------
    "number": (
        "Customer number",
        "Numéro client",
        "The customer's number; left empty, the store numbers it.",
        "Le numéro du client ; laissé vide, il est attribué.",
        (
            "customer no",
            "customer id",
            "account number",
            "n client",
            "no client",
            "code client",
            "numero de client",
            "number",
            "numero",
        ),
    ),
    "name": (
        "Name",
        "Nom",
        "The company's name, or the individual's full name.  Required.",
        "La raison sociale, ou le nom complet du particulier.  Obligatoire.",
        (
            "company",
            "company name",
            "customer name",
            "raison sociale",
            "societe",
            "nom du client",
            "organization",
            "organisation",
        ),
    ),
    "kind": (
        "Kind",
        "Type",
        "company or individual.",
        "company (société) ou individual (particulier).",
        ("type", "customer type", "type de client"),
    ),
    "legal_form": (
        "Legal form",
        "Forme juridique",
        "SA, SARL, GmbH, Inc...",
        "SA, SARL, SAS, GmbH...",
        ("form", "forme"),
    ),
    "short_name": (
        "Short name",
        "Nom court",
        "A short name for lists.",
        "Un nom court pour les listes.",
        ("abbreviation", "abreviation", "sigle"),
    ),
    "address.street": (
        "Street",
        "Rue",
        "Number and street.",
        "Numéro et rue.",
        (
            "address",
            "adresse",
            "street address",
            "address line 1",
            "adresse 1",
            "voie",
        ),
    ),
    "address.line2": (
        "Address line 2",
        "Complément d'adresse",
        "Building, floor, suite.",
        "Bâtiment, étage, bureau.",
        ("address 2", "adresse 2", "complement", "line 2"),
    ),
    "address.po_box": (
        "PO box",
        "Boîte postale",
        "A post-office box.",
        "Une boîte postale.",
        ("bp", "po box", "case postale", "postfach"),
    ),
    "address.postal_code": (
        "Postal code",
        "Code postal",
        "The postal code: 75001, H2X 1Y4.",
        "Le code postal : 75001, H2X 1Y4.",
        ("zip", "zip code", "postcode", "cp", "npa", "plz"),
    ),
    "address.city": (
        "City",
        "Ville",
        "The city or town.",
        "La ville ou la commune.",
        ("town", "commune", "localite", "ort"),
    ),
    "address.region": (
        "Region",
        "Région",
        "State, province or region: QC, Île-de-France.",
        "État, province ou région : QC, Île-de-France.",
        ("state", "province", "etat", "departement", "county"),
    ),
    "address.country": (
        "Country",
        "Pays",
        "ISO 3166 country code: FR, CA, BE, CH...",
        "Code pays ISO 3166 : FR, CA, BE, CH...",
        ("country code", "code pays", "land"),
    ),
    "notification_email": (
        "Notification e-mail",
        "E-mail de notification",
        "Where order and invoice notices go.",
        "Où partent les avis de commande et de facture.",
        ("billing email", "email de facturation"),
    ),
    "external_remark": (
        "External remark",
        "Remarque externe",
        "A note the customer may see.",
        "Une note que le client peut voir.",
        (),
    ),
    "internal_remark": (
        "Internal remark",
        "Remarque interne",
        "A note for your staff only.",
        "Une note pour votre personnel seulement.",
        (),
    ),
    "payment_terms": (
        "Payment terms",
        "Conditions de paiement",
        "30 days net...",
        "30 jours net...",
        ("conditions de reglement",),
    ),
    "delivery_terms": (
        "Delivery terms",
        "Conditions de livraison",
        "Incoterm or delivery conditions.",
        "Incoterm ou conditions de livraison.",
        (),
    ),
    "our_number": (
        "Our number at the customer",
        "Notre numéro chez le client",
        "The number the customer gives us (supplier number).",
        "Le numéro que le client nous donne (numéro fournisseur).",
        ("supplier number", "numero fournisseur"),
    ),
    "vat_id": (
        "VAT number",
        "Numéro de TVA",
        "The VAT identification number: FR40303265045.",
        "Le numéro de TVA intracommunautaire : FR40303265045.",
        ("vat", "vat id", "tva", "tva intracommunautaire", "n tva"),
    ),
    "tax_number": (
        "Tax number",
        "Numéro fiscal",
        "A national tax number.",
        "Un numéro fiscal national.",
        (),
    ),
    "registration_number": (
        "Registration number",
        "Numéro d'immatriculation",
        "SIREN, company register number...",
        "SIREN, numéro RCS...",
        ("siren", "siret", "rcs", "company number"),
    ),
    "registration_court": (
        "Registration court",
        "Greffe",
        "The register or court that registered the company.",
        "Le registre ou greffe d'immatriculation.",
        (),
    ),
    "stage": (
        "Stage",
        "Statut",
        "prospect or client.",
        "prospect ou client.",
        ("status",),
    ),
    "active": (
        "Active",
        "Actif",
        "yes or no; empty means yes.",
        "oui ou non ; vide signifie oui.",
        (),
    ),
    "blocked": (
        "Blocked",
        "Bloqué",
        "yes or no; empty means no.",
        "oui ou non ; vide signifie non.",
        (),
    ),
    "valid_from": (
        "Valid from",
        "Valide depuis",
        "The date from which the customer is valid.",
        "La date à partir de laquelle le client est valide.",
        (),
    ),
    "language": (
        "Language",
        "Langue",
        "Correspondence language (ISO 639-1): fr, en, de...",
        "Langue de correspondance (ISO 639-1) : fr, en, de...",
        ("lang", "langue de correspondance"),
    ),
    "currency": (
        "Currency",
        "Devise",
        "ISO 4217 currency: EUR, CAD, CHF...",
        "Devise ISO 4217 : EUR, CAD, CHF...",
        ("monnaie",),
    ),
    "approval": (
        "Order approval",
        "Validation des commandes",
        "yes when orders need approval.",
        "oui quand les commandes doivent être validées.",
        (),
    ),
    "is_agency": (
        "Agency",
        "Agence",
        "yes when the customer acts for others on orders.",
        "oui quand le client agit pour d'autres sur les commandes.",
        (),
    ),
}
