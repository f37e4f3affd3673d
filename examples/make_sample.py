# SPDX-License-Identifier: MIT
"""
Build ``examples/data/contacts.xlsx``: the sample customer base that
``make run`` imports (seeded: the file in the repository is what this
prints).

About 600 French and Canadian customers and 3,000 contacts, with French
headers and the mess of real files: phone cells that Excel turned into
numbers (leading zero gone, or scientific notation), e-mails mistyped,
a missing name, a customer number that does not exist, an unknown
column, the same person entered twice (another spelling, the same
e-mail), and namesakes at other customers.

Run it with ``python examples/make_sample.py [OUTPUT]``.
"""

from __future__ import annotations

import random
import sys
import unicodedata

from pathlib import Path

import phonenumbers
import xlsxwriter


SEED = 13
CUSTOMERS = 800

FR_LAST = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Leroux",
    "Colin",
    "Vidal",
    "Picard",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Bourgeois",
    "Benoît",
    "Leclerc",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Dupuis",
    "Moulin",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Fleury",
    "Royer",
    "Jacquet",
    "Aubry",
    "Guyot",
    "Carré",
    "Charpentier",
    "Ménard",
    "Maillard",
    "Baron",
    "Bertin",
    "Hervé",
    "Le_Gall",
    "Léger",
    "Bouvier",
    "Prévost",
    "Perrot",
    "Le_Roux",
    "Germain",
    "Breton",
    "Besson",
    "Le_Goff",
    "Lévêque",
    "Perrier",
    "Lebrun",
    "Hamon",
    "Boulanger",
    "Étienne",
    "Da_Silva",
    "Lemaître",
    "Bénard",
    "Maréchal",
    "Humbert",
    "Reynaud",
    "Barthélemy",
    "Cordier",
]
FR_LAST = [name.replace("_", " ") for name in FR_LAST]
QC_LAST = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Leclerc",
    "Lefebvre",
    "Poulin",
    "Thibault",
    "St-Pierre",
    "Nadeau",
    "Landry",
    "Martel",
    "Bédard",
    "Grenier",
    "Lessard",
    "Bernier",
    "Michaud",
    "Hébert",
    "Desjardins",
    "Couture",
    "Turcotte",
    "Lachance",
    "Parent",
    "Blais",
    "Gosselin",
    "Savard",
    "Proulx",
    "Beaudoin",
    "Demers",
    "Perreault",
    "Boudreau",
    "Lemieux",
    "Cyr",
    "Perron",
    "Dion",
    "Bolduc",
    "Bérubé",
    "Boisvert",
    "Langlois",
    "Laplante",
    "Champagne",
    "O'Neill",
    "MacDonald",
]
FIRST_F = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Valérie",
    "Sandrine",
    "Christine",
    "Stéphanie",
    "Hélène",
    "Céline",
    "Julie",
    "Émilie",
    "Chloé",
    "Léa",
    "Camille",
    "Manon",
    "Geneviève",
    "Mélanie",
    "Chantal",
    "Josée",
    "Marie-Ève",
    "Anne-Sophie",
    "Élodie",
]
FIRST_M = [
    "Jean",
    "Philippe",
    "Pierre",
    "Michel",
    "Alain",
    "Nicolas",
    "Christophe",
    "Patrick",
    "Stéphane",
    "Laurent",
    "Frédéric",
    "Éric",
    "Sébastien",
    "Julien",
    "Olivier",
    "Thomas",
    "Jean-François",
    "Jean-Philippe",
    "Marc-André",
    "Louis-Philippe",
    "Benoît",
    "Gaétan",
    "Réjean",
    "Mathieu",
    "François",
    "Hugo",
    "Antoine",
]
ACTIVITIES = [
    "Imprimerie",
    "Boulangerie",
    "Menuiserie",
    "Garage",
    "Transports",
    "Plomberie",
    "Électricité",
    "Pharmacie",
    "Quincaillerie",
    "Librairie",
    "Cabinet",
    "Laboratoire",
    "Fromagerie",
    "Brasserie",
    "Ébénisterie",
    "Serrurerie",
    "Carrosserie",
    "Toitures",
]
FR_CITIES = (
    ("Paris", "75011", "01"),
    ("Lyon", "69003", "04"),
    ("Marseille", "13008", "04"),
    ("Toulouse", "31000", "05"),
    ("Nantes", "44000", "02"),
    ("Lille", "59000", "03"),
    ("Bordeaux", "33000", "05"),
    ("Strasbourg", "67000", "03"),
    ("Rennes", "35000", "02"),
    ("Grenoble", "38000", "04"),
)
QC_CITIES = (
    ("Montréal", "H2X 1Y4", "QC", "514"),
    ("Québec", "G1R 4P5", "QC", "418"),
    ("Laval", "H7N 5H9", "QC", "450"),
    ("Gatineau", "J8X 3X7", "QC", "819"),
    ("Sherbrooke", "J1H 1Z3", "QC", "819"),
    ("Ottawa", "K1P 5G4", "ON", "613"),
)
FORMS = ("SARL", "SAS", "SA", "EURL", "SCI")
JOBS = (
    "Responsable achats",
    "Comptable",
    "Directeur général",
    "Directrice commerciale",
    "Assistante de direction",
    "Chef d'atelier",
    "Acheteur",
    "Gestionnaire de comptes",
    "Contrôleur de gestion",
    "Technicien",
)
TYPES = ("Achats", "Comptabilité", "Direction", "Technique", "Commercial")


def ascii_word(text: str) -> str:
    """*text* lower-cased, accents and non-letters dropped (e-mails)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


def _valid(number: str, region: str) -> bool:
    """Whether phonenumbers takes *number* (the sample's clean values)."""
    return phonenumbers.is_valid_number(phonenumbers.parse(number, region))


class Sample:
    """The seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 -- sample data.
        self.customers: list[list[object]] = []
        self.persons: list[list[object]] = []

    def fr_phone(self, zone: str, *, mobile: bool) -> str:
        rng = self.rng
        while True:
            head = rng.choice(("06", "07")) if mobile else zone
            digits = [head] + [f"{rng.randrange(100):02d}" for _ in range(4)]
            if _valid("".join(digits), "FR"):
                break
        style = rng.random()
        if style < 0.6:  # noqa: PLR2004
            return " ".join(digits)
        if style < 0.8:  # noqa: PLR2004
            return ".".join(digits)
        if style < 0.9:  # noqa: PLR2004
            return "+33 " + " ".join([digits[0][1:], *digits[1:]])
        return "".join(digits)

    def ca_phone(self, area: str) -> str:
        rng = self.rng
        while True:
            number = f"{rng.randrange(200, 999)}-{rng.randrange(10000):04d}"
            if _valid(f"{area}{number}", "CA"):
                break
        style = rng.random()
        if style < 0.5:  # noqa: PLR2004
            return f"({area}) {number}"
        if style < 0.8:  # noqa: PLR2004
            return f"{area}-{number}"
        return f"+1 {area} {number.replace('-', ' ')}"

    def customer(self, index: int) -> dict[str, str]:
        rng = self.rng
        canadian = rng.random() < 0.35  # noqa: PLR2004
        last = rng.choice(QC_LAST if canadian else FR_LAST)
        name = f"{rng.choice(ACTIVITIES)} {last}"
        number = f"C{10000 + index}"
        if canadian:
            city, postal, region, area = rng.choice(QC_CITIES)
            row = {
                "number": number,
                "name": name + rng.choice((" Inc.", " ltée", "")),
                "legal_form": "",
                "street": (
                    f"{rng.randrange(1, 9999)}, rue {rng.choice(QC_LAST)}"
                ),
                "postal": postal,
                "city": city,
                "region": region,
                "country": "CA",
                "language": rng.choices(("fr", "en-US", "en"), (60, 38, 2))[0],
                "currency": "CAD",
                "phone": self.ca_phone(area),
                "zone": area,
                "domain": ascii_word(last)
                + rng.choice((".ca", ".com", ".qc.ca")),
            }
        else:
            city, postal, zone = rng.choice(FR_CITIES)
            row = {
                "number": number,
                "name": name,
                "legal_form": rng.choice(FORMS),
                "street": f"{rng.randrange(1, 200)} rue {rng.choice(FR_LAST)}",
                "postal": postal,
                "city": city,
                "region": "",
                "country": "FR",
                "language": "fr",
                "currency": "EUR",
                "phone": self.fr_phone(zone, mobile=False),
                "zone": zone,
                "domain": ascii_word(last)
                + rng.choice((".fr", ".com", ".eu")),
            }
        self.customers.append(
            [
                row["number"],
                row["name"],
                "company",
                row["legal_form"],
                row["street"],
                row["postal"],
                row["city"],
                row["region"],
                row["country"],
                row["language"],
                row["currency"],
                row["phone"],
            ]
        )
        return row

    def person(self, customer: dict[str, str]) -> list[object]:
        rng = self.rng
        canadian = customer["country"] == "CA"
        female = rng.random() < 0.5  # noqa: PLR2004
        first = rng.choice(FIRST_F if female else FIRST_M)
        last = rng.choice(QC_LAST if canadian else FR_LAST)
        salutation = ("Mme" if female else "M.") if rng.random() < 0.8 else ""  # noqa: PLR2004
        email = (
            f"{ascii_word(first)[0]}.{ascii_word(last)}@{customer['domain']}"
        )
        if rng.random() < 0.3:  # noqa: PLR2004
            email = (
                f"{ascii_word(first)}.{ascii_word(last)}@{customer['domain']}"
            )
        zone = str(customer["zone"])
        phone: object = (
            self.ca_phone(zone)
            if canadian
            else self.fr_phone(zone, mobile=False)
        )
        mobile: object = (
            self.ca_phone(zone)
            if canadian
            else self.fr_phone(zone, mobile=True)
        )
        if rng.random() < 0.4:  # noqa: PLR2004
            phone = ""
        if rng.random() < 0.3:  # noqa: PLR2004
            mobile = ""
        return [
            customer["number"],
            salutation,
            first,
            last,
            rng.choice(JOBS),
            "; ".join(rng.sample(TYPES, rng.choice((1, 1, 2)))),
            phone,
            mobile,
            email,
            "",
        ]

    def mess(self, rows: list[list[object]]) -> None:
        """The errors and duplicates of real files, at known rates."""
        rng = self.rng
        for row in rows:
            r = rng.random()
            phone = row[6]
            if r < 0.03 and isinstance(phone, str) and phone.startswith("0"):  # noqa: PLR2004
                # Excel read the column as numbers: the zero is gone.
                row[6] = int("".join(ch for ch in phone if ch.isdigit()))
            elif r < 0.04 and isinstance(row[7], str) and row[7]:  # noqa: PLR2004
                digits = "".join(ch for ch in str(row[7]) if ch.isdigit())
                # Excel showed it in scientific notation: digits lost.
                power = len(digits) - 1
                shown = f"{int(digits) / 10**power:.2f}E+{power}"
                row[7] = shown.replace(".", ",")
            elif r < 0.055:  # noqa: PLR2004
                row[8] = str(row[8]).replace("@", rng.choice(("@@", " @", "")))
            elif r < 0.06:  # noqa: PLR2004
                row[3] = ""
            elif r < 0.063:  # noqa: PLR2004
                row[0] = f"C{rng.randrange(90000, 99999)}"
            elif r < 0.07:  # noqa: PLR2004
                row[9] = rng.choice(("à rappeler", "client historique", "VIP"))
        # The same person twice: the e-mail and the customer kept, the
        # name typed again in capitals or without its accents.
        for row in rng.sample(rows, len(rows) // 40):
            again = list(row)
            again[3] = str(row[3]).upper()
            again[2] = ascii_word(str(row[2])).capitalize()
            rows.insert(rng.randrange(len(rows)), again)

    def build(self) -> None:
        for index in range(CUSTOMERS):
            customer = self.customer(index)
            for _ in range(self.rng.choice((1, 2, 3, 5, 8))):
                self.persons.append(self.person(customer))
        self.mess(self.persons)


CUSTOMER_HEADERS = (
    "Numéro client",
    "Raison sociale",
    "Type",
    "Forme juridique",
    "Adresse",
    "Code postal",
    "Ville",
    "Province / région",
    "Pays",
    "Langue",
    "Devise",
    "Téléphone",
)
PERSON_HEADERS = (
    "N° client",
    "Civilité",
    "Prénom",
    "NOM",
    "Fonction",
    "Type d'interlocuteur",
    "Tél. fixe",
    "Portable",
    "Courriel",
    "Notes internes perso",
)


def write(path: Path) -> tuple[int, int]:
    sample = Sample(SEED)
    sample.build()
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    for name, headers, rows in (
        ("Clients", CUSTOMER_HEADERS, sample.customers),
        ("Interlocuteurs", PERSON_HEADERS, sample.persons),
    ):
        sheet = book.add_worksheet(name)
        for col, head in enumerate(headers):
            sheet.write_string(0, col, head, bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, int):
                    sheet.write_number(r, col, value)
                elif value:
                    sheet.write_string(r, col, str(value))
    book.close()
    return len(sample.customers), len(sample.persons)


def main() -> None:
    path = Path(
        sys.argv[1]
        if len(sys.argv) > 1
        else Path(__file__).parent / "data" / "contacts.xlsx"
    )
    customers, persons = write(path)
    print(f"{path}: {customers:,} customers, {persons:,} contacts")


if __name__ == "__main__":
    main()
