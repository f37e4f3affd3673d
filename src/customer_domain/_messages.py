# SPDX-License-Identifier: MIT
"""
The catalogue of issue codes and their messages (private).

Each code maps to an English and a French template.  Templates may use
``{value}`` (the offending value) and the issue's params.  The docs page
"Error codes" is generated from :data:`MESSAGES`, and a test checks that
every code the library raises is listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal


Locale = Literal["en", "fr"]

LOCALES: Final[tuple[Locale, ...]] = ("en", "fr")

MESSAGES: Final[Mapping[str, tuple[str, str]]] = {
    # -- generic -------------------------------------------------------
    "required": (
        "This field is required.",
        "Ce champ est obligatoire.",
    ),
    "unknown_field": (
        "Unknown field.",
        "Champ inconnu.",
    ),
    "invalid_type": (
        "Expected {expected}.",
        "Valeur attendue : {expected}.",
    ),
    "choice.invalid": (
        "“{value}” is not one of: {choices}.",
        "« {value} » ne fait pas partie des valeurs : {choices}.",
    ),
    "text.too_long": (
        "Must be at most {max} characters long.",
        "Doit comporter au plus {max} caractères.",
    ),
    "text.control_characters": (
        "Must not contain control characters.",
        "Ne doit pas contenir de caractères de contrôle.",
    ),
    "number.range": (
        "Must be between -{max} and {max}.",
        "Doit être compris entre -{max} et {max}.",
    ),
    "number.not_finite": (
        "Must be a finite number (not NaN or infinity).",
        "Doit être un nombre fini (ni NaN ni infini).",
    ),
    "number.negative": (
        "Must be zero or more.",
        "Doit être positif ou nul.",
    ),
    "number.too_large": (
        "Must be at most {max}.",
        "Doit être inférieur ou égal à {max}.",
    ),
    "number.between": (
        "Must be a whole number between {min} and {max}.",
        "Doit être un nombre entier compris entre {min} et {max}.",
    ),
    "customer.unknown_number": (
        "No customer has the number “{value}”.",
        "Aucun client n’a le numéro « {value} ».",
    ),
    "date.invalid": (
        "Must be a date (YYYY-MM-DD).",
        "Doit être une date (AAAA-MM-JJ).",
    ),
    "datetime.invalid": (
        "Must be a date and time with a time zone (ISO 8601).",
        "Doit être une date et heure avec fuseau horaire (ISO 8601).",
    ),
    "datetime.out_of_range": (
        "This date and time is out of the supported range"
        " (years 1 to 9999 in UTC).",
        "Cette date et heure est hors de la plage prise en charge"
        " (années 1 à 9999 en UTC).",
    ),
    "duration.range": (
        "Must be a positive duration of at most {days} days.",
        "Doit être une durée positive d’au plus {days} jours.",
    ),
    "collection.too_large": (
        "Must hold at most {max} items.",
        "Doit contenir au plus {max} éléments.",
    ),
    "document.too_deep": (
        "This document is nested more than {max} levels deep.",
        "Ce document comporte plus de {max} niveaux d’imbrication.",
    ),
    "document.too_large": (
        "This document is larger than {max} characters.",
        "Ce document dépasse {max} caractères.",
    ),
    "field.read_only": (
        "This field is set by the library's commands; a document cannot"
        " set it.",
        "Ce champ est fixé par les commandes de la bibliothèque ; un"
        " document ne peut pas le fixer.",
    ),
    "datetime.naive": (
        "Must include a time zone.",
        "Doit inclure un fuseau horaire.",
    ),
    "uuid.invalid": (
        "Must be a UUID.",
        "Doit être un UUID.",
    ),
    "dates.order": (
        "The end date is before the start date.",
        "La date de fin précède la date de début.",
    ),
    # -- countries, currencies, languages ------------------------------
    "country.invalid": (
        "“{value}” is not an ISO 3166 country code.",
        "« {value} » n’est pas un code de pays ISO 3166.",
    ),
    "currency.invalid": (
        "“{value}” is not an ISO 4217 currency code.",
        "« {value} » n’est pas un code de devise ISO 4217.",
    ),
    "language.unsupported": (
        "“{value}” is not a supported language ({choices}).",
        "« {value} » n’est pas une langue prise en charge ({choices}).",
    ),
    # -- phones (codes follow phonenumbers' own reasons) ----------------
    "phone.region_required": (
        "Add the country code (such as +33): no country is known to read "
        "this number.",
        "Ajoutez l’indicatif du pays (par exemple +33) : aucun pays n’est "
        "connu pour lire ce numéro.",
    ),
    "phone.invalid_country_code": (
        "The country code of this number is not valid.",
        "L’indicatif de pays de ce numéro n’est pas valide.",
    ),
    "phone.not_a_number": (
        "This is not a phone number.",
        "Ce n’est pas un numéro de téléphone.",
    ),
    "phone.too_short": (
        "This number is too short for region {region}.",
        "Ce numéro est trop court pour la région {region}.",
    ),
    "phone.too_long": (
        "This number is too long for region {region}.",
        "Ce numéro est trop long pour la région {region}.",
    ),
    "phone.invalid_length": (
        "This number does not have a valid length for region {region}.",
        "Ce numéro n’a pas une longueur valide pour la région {region}.",
    ),
    "phone.invalid_for_region": (
        "This is not a valid phone number for region {region}.",
        "Ce n’est pas un numéro de téléphone valide pour la région {region}.",
    ),
    "phone.not_mobile": (
        "This is a valid number but not a mobile number.",
        "Ce numéro est valide mais ce n’est pas un numéro de mobile.",
    ),
    "phone.scientific": (
        "“{value}” is a number in scientific notation: its last digits are"
        " lost.  Format the column as text and type the number again.",
        "« {value} » est un nombre en notation scientifique : ses derniers"
        " chiffres sont perdus.  Mettez la colonne au format texte et"
        " saisissez de nouveau le numéro.",
    ),
    # -- e-mail (codes follow email-validator's messages) ----------------
    "email.missing_at": (
        "An e-mail address must have an @-sign.",
        "Une adresse e-mail doit contenir un @.",
    ),
    "email.empty_local_part": (
        "There must be something before the @-sign.",
        "Il doit y avoir quelque chose avant le @.",
    ),
    "email.empty_domain": (
        "There must be something after the @-sign.",
        "Il doit y avoir quelque chose après le @.",
    ),
    "email.invalid_local_part": (
        "The part before the @-sign is not valid.",
        "La partie avant le @ n’est pas valide.",
    ),
    "email.invalid_domain": (
        "The part after the @-sign is not a valid domain name.",
        "La partie après le @ n’est pas un nom de domaine valide.",
    ),
    "email.reserved_domain": (
        "The part after the @-sign is a special-use or reserved name.",
        "La partie après le @ est un nom réservé ou à usage spécial.",
    ),
    "email.too_long": (
        "The e-mail address is too long.",
        "L’adresse e-mail est trop longue.",
    ),
    "email.invalid": (
        "This is not a valid e-mail address.",
        "Ce n’est pas une adresse e-mail valide.",
    ),
    # -- URLs, IP networks -------------------------------------------
    "url.invalid": (
        "Must be an absolute web address starting with http:// or https://.",
        "Doit être une adresse web complète commençant par http:// ou "
        "https://.",
    ),
    "network.invalid": (
        "“{value}” is not an IPv4 or IPv6 address or network.",
        "« {value} » n’est pas une adresse ou un réseau IPv4 ou IPv6.",
    ),
    "network.host_bits": (
        "“{value}” has host bits set; did you mean {suggestion}?",
        "« {value} » a des bits d’hôte positionnés ; vouliez-vous dire "
        "{suggestion} ?",
    ),
    # -- identifiers checked by python-stdnum ------------------------------
    "vat.invalid_format": (
        "This VAT number has an invalid format.",
        "Ce numéro de TVA a un format invalide.",
    ),
    "vat.invalid_length": (
        "This VAT number has an invalid length.",
        "Ce numéro de TVA a une longueur invalide.",
    ),
    "vat.invalid_checksum": (
        "This VAT number's check digits are wrong.",
        "La clé de contrôle de ce numéro de TVA est fausse.",
    ),
    "vat.invalid_component": (
        "A part of this VAT number is not valid (country prefix?).",
        "Une partie de ce numéro de TVA n’est pas valide (préfixe pays ?).",
    ),
    "iban.invalid_format": (
        "This IBAN has an invalid format.",
        "Cet IBAN a un format invalide.",
    ),
    "iban.invalid_length": (
        "This IBAN has an invalid length.",
        "Cet IBAN a une longueur invalide.",
    ),
    "iban.invalid_checksum": (
        "This IBAN's check digits are wrong.",
        "La clé de contrôle de cet IBAN est fausse.",
    ),
    "iban.invalid_component": (
        "A part of this IBAN is not valid (country or bank code).",
        "Une partie de cet IBAN n’est pas valide (pays ou code banque).",
    ),
    "bic.invalid_format": (
        "This BIC has an invalid format.",
        "Ce BIC a un format invalide.",
    ),
    "bic.invalid_length": (
        "A BIC has 8 or 11 characters.",
        "Un BIC comporte 8 ou 11 caractères.",
    ),
    "bic.invalid_checksum": (
        "This BIC is not valid.",
        "Ce BIC n’est pas valide.",
    ),
    "bic.invalid_component": (
        "The country code of this BIC is not valid.",
        "Le code pays de ce BIC n’est pas valide.",
    ),
    "identifier.invalid_format": (
        "This {scheme} number has an invalid format.",
        "Ce numéro {scheme} a un format invalide.",
    ),
    "identifier.invalid_length": (
        "This {scheme} number has an invalid length.",
        "Ce numéro {scheme} a une longueur invalide.",
    ),
    "identifier.invalid_checksum": (
        "This {scheme} number's check digits are wrong.",
        "La clé de contrôle de ce numéro {scheme} est fausse.",
    ),
    "identifier.invalid_component": (
        "A part of this {scheme} number is not valid.",
        "Une partie de ce numéro {scheme} n’est pas valide.",
    ),
    "customer_number.invalid": (
        "A customer number has 1 to 32 letters, digits, or - _ / . "
        "characters.",
        "Un numéro de client comporte de 1 à 32 lettres, chiffres ou "
        "caractères - _ / .",
    ),
    "identifier.unsafe": (
        "Must not contain invisible, control or symbol characters, nor mix"
        " scripts (such as Latin and Cyrillic letters).",
        "Ne doit contenir ni caractère invisible, de contrôle ou symbole,"
        " ni mélanger les écritures (comme des lettres latines et"
        " cyrilliques).",
    ),
    "access.user_inactive": (
        "The user “{value}” is deactivated.",
        "L’utilisateur « {value} » est désactivé.",
    ),
    "access.user_invited": (
        "The user “{value}” has not accepted the invitation yet.",
        "L’utilisateur « {value} » n’a pas encore accepté l’invitation.",
    ),
    "access.customer_inactive": (
        "The customer “{value}” is inactive.",
        "Le client « {value} » est inactif.",
    ),
    "access.customer_blocked": (
        "The customer “{value}” is blocked.",
        "Le client « {value} » est bloqué.",
    ),
    "access.customer_not_yet_valid": (
        "The customer “{value}” is valid from {date} only.",
        "Le client « {value} » n’est valable qu’à partir du {date}.",
    ),
    "access.address_refused": (
        "Logging in from this address ({value}) is not allowed.",
        "La connexion depuis cette adresse ({value}) n’est pas autorisée.",
    ),
    "access.branch_refused": (
        "This user is restricted to the branch “{branch}”.",
        "Cet utilisateur est limité à la succursale « {branch} ».",
    ),
    "access.agency_flag_cleared": (
        "“{value}” is no longer an agency.",
        "« {value} » n’est plus une agence.",
    ),
    "access.order_refused": (
        "This user has no access to the order “{value}”.",
        "Cet utilisateur n’a pas accès à la commande « {value} ».",
    ),
    "login.invalid": (
        "A login has 3 to 64 characters and no spaces.",
        "Un identifiant comporte de 3 à 64 caractères, sans espace.",
    ),
    # -- customer ------------------------------------------------------
    "legal_form.individual": (
        "An individual (private person) has no legal form.",
        "Un client particulier n’a pas de forme juridique.",
    ),
    # -- contact types -------------------------------------------------
    "contact_type.default_protected": (
        "The default contact type “Customer” cannot be deleted or renamed.",
        "Le type de contact par défaut « Client » ne peut être ni supprimé "
        "ni renommé.",
    ),
    "contact_type.default_occupied": (
        "The contact type “Customer” already holds a person.",
        "Le type de contact « Client » contient déjà une personne.",
    ),
    "contact_type.unknown": (
        "This customer has no such contact type.",
        "Ce client n’a pas ce type de contact.",
    ),
    "contact_type.duplicate_name": (
        "This customer already has a contact type named “{value}”.",
        "Ce client a déjà un type de contact nommé « {value} ».",
    ),
    "contact_type.in_use": (
        "Persons whose only contact type this is must first be given "
        "another one.",
        "Les personnes dont c’est le seul type de contact doivent d’abord "
        "en recevoir un autre.",
    ),
    # -- persons -------------------------------------------------------
    "person.contact_type_required": (
        "A person must belong to at least one contact type.",
        "Une personne doit appartenir à au moins un type de contact.",
    ),
    "person.other_customer": (
        "This person belongs to another customer.",
        "Cette personne appartient à un autre client.",
    ),
    "person.inactive": (
        "This person is inactive.",
        "Cette personne est inactive.",
    ),
    "person.deactivation_refused": (
        "This person cannot be deactivated: {reason}",
        "Cette personne ne peut pas être désactivée : {reason}",
    ),
    "person.same_customer": (
        "The person already belongs to this customer.",
        "La personne appartient déjà à ce client.",
    ),
    "affiliation.unknown": (
        "This person has no active collaboration with this customer.",
        "Cette personne n’a pas de collaboration active avec ce client.",
    ),
    "affiliation.own_customer": (
        "A person cannot collaborate with its own customer.",
        "Une personne ne peut pas collaborer avec son propre client.",
    ),
    # -- channels ------------------------------------------------------
    "channel.duplicate_primary": (
        "Only one {kind} channel can be primary.",
        "Un seul canal {kind} peut être principal.",
    ),
    "channel.value_mismatch": (
        "The canonical value does not match the raw input "
        "(expected {expected}).",
        "La valeur canonique ne correspond pas à la saisie "
        "(attendu : {expected}).",
    ),
    "channel.index": (
        "There is no channel at this position.",
        "Il n’y a pas de canal à cette position.",
    ),
    # -- external users, licenses, invitations -----------------------------
    "external_user.exists": (
        "This person already has an external user.",
        "Cette personne a déjà un utilisateur externe.",
    ),
    "external_user.other_customer": (
        "This external user belongs to another customer.",
        "Cet utilisateur externe appartient à un autre client.",
    ),
    "external_user.has_persons": (
        "A default user can only be created for a customer without persons.",
        "Un utilisateur par défaut ne peut être créé que pour un client "
        "sans personne.",
    ),
    "external_user.email_required": (
        "An external user needs an e-mail address; the person has none.",
        "Un utilisateur externe a besoin d’une adresse e-mail ; la "
        "personne n’en a pas.",
    ),
    "external_user.inactive": (
        "This external user is not active.",
        "Cet utilisateur externe n’est pas actif.",
    ),
    "license.exhausted": (
        "No free license: {used} of {quantity} customer licenses are used.",
        "Aucune licence libre : {used} licences client sur {quantity} "
        "sont utilisées.",
    ),
    "invitation.invalid": (
        "This invitation link is not valid.",
        "Ce lien d’invitation n’est pas valide.",
    ),
    "invitation.expired": (
        "This invitation link has expired.",
        "Ce lien d’invitation a expiré.",
    ),
    "invitation.used": (
        "This invitation link has already been used.",
        "Ce lien d’invitation a déjà été utilisé.",
    ),
    "terms.user_required": (
        "Accepting or declining the terms of use needs the user and date.",
        "Accepter ou refuser les conditions d’utilisation exige "
        "l’utilisateur et la date.",
    ),
    # -- agencies ------------------------------------------------------
    "agency.not_an_agency": (
        "This customer is not flagged as an agency.",
        "Ce client n’est pas défini comme agence.",
    ),
    "agency.own_order": (
        "A customer cannot be the agency on its own order.",
        "Un client ne peut pas être l’agence de sa propre commande.",
    ),
    "agency.already_assigned": (
        "This order already has this agency.",
        "Cette commande a déjà cette agence.",
    ),
    "agency.not_assigned": (
        "This agency is not assigned to this order.",
        "Cette agence n’est pas affectée à cette commande.",
    ),
    # -- numbering -----------------------------------------------------
    "numbering.prefix": (
        "A prefix may hold letters, digits, “-”, “_”, “/” and “.” only.",
        "Un préfixe ne peut contenir que des lettres, des chiffres, "
        "« - », « _ », « / » et « . ».",
    ),
    "numbering.width": (
        "The width must be between {min} and {max}.",
        "La largeur doit être comprise entre {min} et {max}.",
    ),
    "numbering.exhausted": (
        "Sequence value {value} does not fit in {width} digits.",
        "La valeur {value} de la séquence ne tient pas sur {width} chiffres.",
    ),
    # -- storage ---------------------------------------------------------
    "organization.invalid": (
        "An organization is a non-empty identifier of at most {max} "
        "characters, without control characters.",
        "Une organisation est un identifiant non vide d’au plus {max} "
        "caractères, sans caractères de contrôle.",
    ),
    "query.limit": (
        "Must be between 1 and {max}.",
        "Doit être compris entre 1 et {max}.",
    ),
    "storage.duplicate_number": (
        "Customer number “{value}” is already used by another customer.",
        "Le numéro client « {value} » est déjà utilisé par un autre client.",
    ),
    "storage.duplicate_login": (
        "Login “{value}” is already taken.",
        "L’identifiant de connexion « {value} » est déjà pris.",
    ),
    "storage.duplicate_id": (
        "A {kind} with this id already exists.",
        "Un enregistrement ({kind}) avec cet identifiant existe déjà.",
    ),
    "storage.duplicate_user": (
        "This person already has an external user.",
        "Cette personne a déjà un utilisateur externe.",
    ),
    "storage.stale": (
        "This {kind} was changed by someone else since it was loaded; "
        "reload it and try again.",
        "Cet enregistrement ({kind}) a été modifié par quelqu’un d’autre "
        "depuis son chargement ; rechargez-le et réessayez.",
    ),
    # -- duplicates (DU) ----------------------------------------------
    "duplicates.threshold": (
        "Must be a number from 0.5 to 1.",
        "Doit être un nombre de 0,5 à 1.",
    ),
    "duplicates.max_shared": (
        "Must be a whole number from 1 to 1000.",
        "Doit être un nombre entier de 1 à 1000.",
    ),
    "duplicates.fuzzy_unavailable": (
        "Fuzzy name matching needs rapidfuzz: "
        "pip install 'customer-domain[fuzzy]'.",
        "La comparaison approchée des noms demande rapidfuzz : "
        "pip install 'customer-domain[fuzzy]'.",
    ),
    "duplicates.name": (
        "Same name as {name}.",
        "Même nom que {name}.",
    ),
    "duplicates.name_fuzzy": (
        "Name close to {name} ({score} % alike).",
        "Nom proche de {name} (ressemblance de {score} %).",
    ),
    "duplicates.email": (
        "Same e-mail address as {name} ({other}).",
        "Même adresse e-mail que {name} ({other}).",
    ),
    "duplicates.phone": (
        "Same phone number as {name} ({other}).",
        "Même numéro de téléphone que {name} ({other}).",
    ),
    "duplicates.mobile": (
        "Same mobile number as {name} ({other}).",
        "Même numéro de mobile que {name} ({other}).",
    ),
    "duplicates.fax": (
        "Same fax number as {name} ({other}).",
        "Même numéro de fax que {name} ({other}).",
    ),
    "duplicates.company_name": (
        "Same company name and postal code as {name}.",
        "Même raison sociale et même code postal que {name}.",
    ),
    "duplicates.vat": (
        "Same VAT ID as {name}.",
        "Même numéro de TVA que {name}.",
    ),
    # -- serialization -----------------------------------------------
    "document.unsupported": (
        "Unsupported document: expected schema {schema} version {version}.",
        "Document non pris en charge : schéma {schema} version {version} "
        "attendu.",
    ),
    # -- files and tables ---------------------------------------------
    "file.unreadable": (
        "The file could not be read.",
        "Le fichier n’a pas pu être lu.",
    ),
    "file.format": (
        "This is not a CSV, XLSX, XLS or ODS file.",
        "Ce fichier n’est ni un CSV, ni un classeur XLSX, XLS ou ODS.",
    ),
    "file.empty": (
        "The file holds no data.",
        "Le fichier ne contient aucune donnée.",
    ),
    "file.too_large": (
        "The file is too large: at most {max}.",
        "Le fichier est trop volumineux : {max} au plus.",
    ),
    "file.encoding": (
        "The text could not be decoded as {encoding}.",
        "Le texte n’a pas pu être décodé en {encoding}.",
    ),
    "file.encoding_unknown": (
        "Unknown text encoding “{value}”.",
        "Encodage de texte inconnu : « {value} ».",
    ),
    "file.line_too_long": (
        "Row {row} is longer than {max} characters: it was not read.",
        "La ligne {row} dépasse {max} caractères : elle n’a pas été lue.",
    ),
    "file.too_many_columns": (
        "Row {row} has more than {max} columns: it was not read.",
        "La ligne {row} a plus de {max} colonnes : elle n’a pas été lue.",
    ),
    "file.sheet_not_found": (
        "The workbook has no sheet named “{value}”.",
        "Le classeur n’a pas de feuille nommée « {value} ».",
    ),
    "file.sheet_name": (
        "“{value}” cannot name a sheet: at most 31 characters, none of"
        " : \\ / ? * [ ], not used twice.",
        "« {value} » ne peut pas nommer une feuille : 31 caractères au plus,"
        " aucun de : \\ / ? * [ ], pas deux fois le même.",
    ),
    "file.one_sheet": (
        "A CSV file holds one table only.",
        "Un fichier CSV ne contient qu’un seul tableau.",
    ),
    "file.closed": (
        "The file is already closed.",
        "Le fichier est déjà fermé.",
    ),
    "file.cell_too_long": (
        "A spreadsheet cell holds at most {max} characters.",
        "Une cellule de tableur contient au plus {max} caractères.",
    ),
    # -- vcard and jscontact ---------------------------------------------
    "vcard.unreadable": (
        "This card or line could not be read as a vCard ({value}).",
        "Cette fiche ou cette ligne n’a pas pu être lue comme une vCard"
        " ({value}).",
    ),
    "vcard.too_large": (
        "Too large: at most {max} characters are read.",
        "Trop volumineux : au plus {max} caractères sont lus.",
    ),
    "vcard.truncated": (
        "This card has no END:VCARD line; it may be incomplete.",
        "Cette fiche n’a pas de ligne END:VCARD ; elle est peut-être"
        " incomplète.",
    ),
    "jscontact.not_a_card": (
        "Not a JSContact Card (its @type is {value}).",
        "Ce n’est pas une fiche JSContact (son @type est {value}).",
    ),
}


def render(
    code: str, locale: Locale, value: object, params: Mapping[str, str]
) -> str:
    """Render the message of *code* in *locale*."""
    try:
        en, fr = MESSAGES[code]
    except KeyError:
        return code
    template = fr if locale == "fr" else en
    try:
        return template.format_map({"value": value, **params})
    except (KeyError, IndexError, ValueError):
        return template


def markdown_table() -> str:
    """
    Return the docs page listing every code with both messages.

    ``docs/error-codes.md`` is this text; a test keeps it up to date.
    """
    lines = [
        "# Error codes",
        "",
        "Every `Issue` has one of these codes.  Codes are stable: a host",
        "may match on them.  `{value}` is the offending value; other",
        "names in braces are the issue's `params`.",
        "",
        "| Code | English | Français |",
        "| --- | --- | --- |",
    ]
    for code, (en, fr) in MESSAGES.items():
        cells = (f"`{code}`", en, fr)
        lines.append(
            "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
        )
    return "\n".join(lines) + "\n"
