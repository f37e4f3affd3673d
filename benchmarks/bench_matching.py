# SPDX-License-Identifier: MIT
"""
Matching quality (issue 12, deliverable 6): recall, precision, F1 and
speed of the bulk person scan on generated records with known truth,
beside a plain pairwise Jaro-Winkler reference, on the same data in the
same process.

    python benchmarks/bench_matching.py [--sizes N [N ...]] [--seed S]

(default: 5,000 and 100,000 records, seed 12).

**Records.**  `generate` builds *entities* (real persons) with French,
German, Polish, Scandinavian and English given and family names drawn
from embedded lists (accents kept: é, ß, ł, ø, å, ö...), with compound
family names (hyphenated, with particles such as "de la" or "von",
with apostrophes such as "O'Brien"), Polish feminine forms, an e-mail
(from the name at the company's domain, or a personal address) and a
direct phone and a mobile number (valid French, German, Polish, Swedish
or UK numbers: phonenumbers' example numbers with other digits, each
checked with `customer_domain.validation.phones.is_valid`) for a share
of them (65% have an e-mail, 35% a direct phone, 40% a mobile).  Given
names are drawn with Zipf-like weights (so common names are common);
family names 20% from the embedded lists (Zipf-like) and 80% from a long
tail of ~3,500 generated ones per language (root, middle, suffix:
"Feldersmeier", "Grenouin", "Åarkvist"); 0.3% of the entities take
one of the most common full names of their language ("Marie Martin",
"Anna Nowak"), so true **namesakes** (different entities with one name)
occur as in a real base, more as the base grows (the pairs of persons
grow with its square).  The tail shares roots and suffixes, so it holds
more near names ("Grenonand" / "Grenouin") than a real population of
that size may: precision at 100,000 is on the hard side.  Also 6% of
the entities have two given names, 5% two family names, 8% a particle.
Entities belong to customers (companies of 5 to 50 persons) of one
organization; 12% of them carry a name of another language than their
company's country.  Every record is created through the public API
(``Customer(...)``, ``customer.add_person(...)`` with channels as data).
A seed gives the same records whatever the size: the first 5,000 of
100,000 are the 5,000.

**Corruption model.**  Each entity has one original record; 35% of
them also have 1 to 3 duplicate records (60/30/10%), each with one or
two corruptions (two in 40% of the duplicates) drawn by weight among
the kinds below (the weights are in `KINDS`), in a fixed order of
application, with incompatible pairs (two missing names, a nickname and
a replaced name...) excluded and kinds that do not apply (no accent to
drop, no space to remove) drawn again:

- keyboard typos on a QWERTY layout: ``typo_substitute`` (a key next to
  the right one), ``typo_insert``, ``typo_delete``, ``typo_transpose``
  (a typo hits the first letter of a word half as often as another);
- ``ocr``: rn/m, cl/d, vv/w, l/1, O/0, li/h, e/c, i/l confusions;
- ``phonetic`` respellings: ph/f, y/i, sch/sh, ck/k, c/k, th/t, ei/ai,
  w/v, cz/ch, sz/sh, doubled or single letters;
- ``transliterated``: umlauts and Nordic letters spelled out
  (ü/ue, ö/oe, ä/ae, ø/oe, å/aa, æ/ae, ß/ss);
- ``swap_names`` (given and family names exchanged), ``missing_first``
  (no given name), ``missing_last`` (the family name is required, so
  the given name is typed in its place and the given name left empty);
- ``space_inserted`` inside a name ("Rollins" -> "Rolli ns"),
  ``space_removed`` from a name of several words ("de la Fontaine" ->
  "Delafontaine"), ``hyphen_apostrophe`` (a hyphen or apostrophe
  dropped, joining its words, or turned into a space; or a space
  turned into a hyphen);
- ``accents_dropped``, ``case_change``;
- ``nickname`` (an embedded map: William/Bill, Katarzyna/Kasia,
  Johannes/Hans, Margaret/Peggy, Jean-Baptiste/JB...), either way;
- ``replaced_first``: another given name entirely;
- channels: ``email_missing``, ``phone_missing`` (both numbers),
  ``email_changed`` (another address: personal instead of work, or
  another pattern), ``phone_format`` (the same number typed another
  way), ``phone_typo`` (one digit wrong: another number, or none when
  it becomes invalid), ``mobile_as_phone`` (the mobile entered as a
  phone).

90% of the duplicates stay at the entity's customer; 10% are at another
customer of the same country (the seed reports namesakes at another
customer as weak evidence: they count as true pairs when they are the
same entity).  A corrupted channel that becomes invalid is dropped.

Typos, OCR confusions and phonetic or transliterated respellings also
tag where they hit a word: ``edit at initial``, ``edit in letters
2-3`` or ``edit after letter 3`` (name blocks are built from the first
three letters of each word and the initials of the others).

**Methods**, on the same records:

- ``default``: ``DuplicateChecker(DuplicatePolicy()).scan_persons`` on
  an `InMemoryStore` holding every record (filling untimed; the scan
  timed: persons/s = records / scan seconds);
- ``fuzzy``: the same with ``DuplicatePolicy(fuzzy_names=True)``;
- ``fuzzy, names only``: ``fuzzy_names=True`` with e-mails and numbers
  off (names alone, as the public benchmark of issue 12 was scanned);
- ``JW reference``: rapidfuzz's ``JaroWinkler`` on folded names
  (`customer_domain.matching.fold_name`), >= 0.85 on the given name
  and on the family name, both required (a record missing either never
  matches), swap-aware (the given name may match the other's family
  name and the reverse).  Exhaustive (every pair) up to `EXHAUSTIVE_MAX`
  records, computed over distinct names; above, sorted neighbourhood:
  each record is sorted under "last first" and under "first last" in
  one list (so swapped names meet) and compared with the next 19
  entries (window 20).  It yields pairs, not groups.  It works on the
  generated names in memory (folding included in its time).

**Metrics.**  The truth is every pair of records of one entity.  A scan
group of n records predicts all n(n-1)/2 of its pairs (links chain
records into groups); recall = true pairs predicted / true pairs,
precision = true pairs predicted / pairs predicted, F1 their harmonic
mean.  For the scans, the same figures counting only EXACT and STRONG
groups, and counting only the pairs a link joins directly ("links
only": the records sharing one key, two close names), which tells the
comparison's own errors from those of chaining links into groups.
Group sizes are printed too.  Recall by tag: each true pair carries
the corruptions of both its records, plus ``cross-customer``,
``between two duplicates``, ``no shared e-mail or number`` (names alone
must find it), ``same name key`` and where an edit hit a word.  False pairs
are put down to a cause (same name key, a shared e-mail or number,
close names, saying which name differs, or none: chained in a group)
in groups of at most 100 records, with examples; then a few true pairs
the fuzzy scan misses, for each corruption kind alone.

Target (issue 12): with ``fuzzy_names=True``, recall >= 0.70 at
precision >= 0.95.  The script measures; it never fails.
"""

from __future__ import annotations

import argparse
import collections
import gc
import itertools
import math
import operator
import random
import time
import unicodedata
import uuid

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import phonenumbers

from phonenumbers import PhoneNumberFormat, PhoneNumberType
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from customer_domain import Customer, Person
from customer_domain.duplicates import (
    DuplicateChecker,
    DuplicateGroup,
    DuplicatePolicy,
    Strength,
)
from customer_domain.matching import email_key, fold_name, person_name_key
from customer_domain.storage import InMemoryStore
from customer_domain.validation import phones


ORG: Final = "bench"
SEED: Final = 12
SIZES: Final = (5_000, 100_000)
#: The JW reference compares every pair up to this many records.
EXHAUSTIVE_MAX: Final = 20_000
JW_THRESHOLD: Final = 0.85
#: The default fuzzy threshold of `DuplicatePolicy` (for the causes).
#: Whole-name similarity that classifies a false pair as "close names".
FUZZY_THRESHOLD: Final = 0.92
WINDOW: Final = 20
#: Groups larger than this are not searched for the causes of their
#: false pairs (they are counted as such).
CAUSE_MAX: Final = 100

DUPLICATED: Final = 0.35
#: How many duplicates an entity with duplicates has, by weight.
DUPLICATES: Final = ((1, 0.6), (2, 0.3), (3, 0.1))
TWO_CORRUPTIONS: Final = 0.4
OTHER_CUSTOMER: Final = 0.1
FOREIGN_NAME: Final = 0.12
COMMON_NAME: Final = 0.003
DOUBLE_GIVEN: Final = 0.06
DOUBLE_FAMILY: Final = 0.05
PARTICLE: Final = 0.08
EMAIL: Final = 0.65
WORK_EMAIL: Final = 0.7
PHONE: Final = 0.35
MOBILE: Final = 0.4


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


# -- embedded names (most common first: the order gives the weights) ---------

FR_F: Final = _names("""
Marie, Nathalie, Isabelle, Sylvie, Catherine, Françoise, Christine,
Sophie, Anne, Valérie, Sandrine, Céline, Hélène, Aurélie, Émilie,
Stéphanie, Véronique, Julie, Camille, Laurence, Martine, Monique,
Brigitte, Nicole, Chloé, Léa, Manon, Inès, Élodie, Pauline, Clémence,
Margaux, Océane, Agnès, Béatrice, Geneviève, Anaïs, Noémie, Zoé,
Maëlle, Gaëlle, Marie-Claire, Marie-Christine, Anne-Sophie,
Marguerite, Odile, Solène, Héloïse, Joséphine, Amélie, Lucie, Élise,
Capucine, Danielle, Christiane, Josiane, Mélanie, Jeanne, Dominique,
Mireille, Bérénice, Cécile, Renée, Thérèse
""")
FR_M: Final = _names("""
Jean, Pierre, Michel, Philippe, Alain, Nicolas, Christophe, Stéphane,
Frédéric, Laurent, Sébastien, François, Éric, Thierry, Olivier,
Julien, Guillaume, Mathieu, Benoît, Jérôme, Jacques, Bernard, André,
René, Daniel, Raphaël, Gaël, Loïc, Hervé, Gérard, Rémi, Théo, Hugo,
Lucas, Clément, Antoine, Arnaud, Baptiste, Cédric, Damien, Xavier,
Yves, Jean-Baptiste, Jean-Pierre, Jean-Marc, Jean-Luc, Jean-François,
Pierre-Yves, Gilles, Noël, Joël, Emmanuel, Grégoire, Aurélien,
Jérémy, Maxime, Florian, Timothée, Mickaël, Anthony, Bruno, Denis
""")
FR_L: Final = _names("""
Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy,
Moreau, Simon, Laurent, Lefèvre, Michel, Garcia, David, Bertrand, Roux,
Vincent, Fournier, Morel, Girard, André, Lefebvre, Mercier, Dupont,
Lambert, Bonnet, François, Martinez, Legrand, Garnier, Faure, Rousseau,
Blanc, Guérin, Muller, Henry, Roussel, Nicolas, Perrin, Morin, Mathieu,
Clément, Gauthier, Dumont, Lopez, Fontaine, Chevalier, Robin, Masson,
Sanchez, Gérard, Nguyen, Boyer, Denis, Lemaire, Duval, Joly, Gautier,
Roger, Roche, Roy, Noël, Meyer, Lucas, Meunier, Jean, Pérez, Marchand,
Dufour, Blanchard, Barbier, Brun, Dumas, Brunet, Schmitt, Leroux,
Colin, Fernandez, Renard, Arnaud, Rolland, Caron, Aubert, Giraud,
Leclerc, Vidal, Bourgeois, Renaud, Lemoine, Picard, Gaillard, Lacroix,
Fabre, Dupuis, Olivier, Rodriguez, Da Silva, Hubert, Guillot, Rivière,
Le Gall, Moulin, Berger, Lecomte, Ménard, Fleury, Deschamps,
Carpentier, Maillard, Marchal, Aubry, Vasseur, Le Roux, Renault,
Jacquet, Collet, Prévost, Poirier, Charpentier, Royer, Huet, Baron,
Dupuy, Carré, Breton, Rémy, Perrot, Barré, Marty, Cousin, Bouvier,
de la Fontaine, de Villiers, du Pont, D'Amour, D'Arcy, Le Goff,
de Saint-Exupéry, Martin-Dupont, Lefèvre-Utile, Bréhier, Bézier
""")
DE_F: Final = _names("""
Anna, Maria, Ursula, Monika, Petra, Sabine, Renate, Helga, Karin,
Brigitte, Ingrid, Elisabeth, Gisela, Andrea, Claudia, Susanne,
Gabriele, Christa, Birgit, Stefanie, Julia, Katharina, Nicole, Jana,
Lena, Laura, Lea, Hannah, Sophie, Doris, Heike, Anke, Silke, Dörte,
Bärbel, Jutta, Margarete, Gertrud, Hildegard, Käthe, Ilse,
Lieselotte, Annegret, Greta, Mia, Emilia, Charlotte, Franziska,
Tanja, Anja, Kerstin, Maren, Antje, Svenja, Wiebke, Jülide, Margarethe,
Friederike, Anneliese
""")
DE_M: Final = _names("""
Peter, Michael, Thomas, Andreas, Wolfgang, Klaus, Jürgen, Günter,
Stefan, Hans, Werner, Uwe, Horst, Frank, Dieter, Manfred, Bernd, Ralf,
Helmut, Gerhard, Karl, Heinz, Johannes, Johann, Friedrich, Matthias,
Markus, Sebastian, Tobias, Jörg, Jens, Lukas, Jonas, Maximilian, Felix,
Paul, Niklas, Florian, Tim, Björn, Sören, Götz, Lutz, Rüdiger,
Hans-Peter, Karl-Heinz, Hans-Jürgen, Ernst, Otto, Walter, Kurt,
Heinrich, Dirk, Holger, Volker, Detlef, Joachim, Christoph, Philipp,
Moritz, Fabian, Benedikt, Gottfried, Siegfried
""")
DE_L: Final = _names("""
Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker,
Schulz, Hoffmann, Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder,
Neumann, Schwarz, Zimmermann, Braun, Krüger, Hofmann, Hartmann, Lange,
Schmitt, Werner, Schmitz, Krause, Meier, Lehmann, Schmid, Schulze,
Maier, Köhler, Herrmann, König, Walter, Mayer, Huber, Kaiser, Fuchs,
Peters, Lang, Scholz, Möller, Weiß, Jung, Hahn, Schubert, Vogel,
Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz,
Baumann, Franke, Albrecht, Schuster, Simon, Ludwig, Böhm, Winter,
Kraus, Martin, Schumacher, Krämer, Vogt, Stein, Jäger, Otto, Sommer,
Groß, Seidel, Heinrich, Brandt, Haas, Schreiber, Graf, Schulte,
Dietrich, Ziegler, Kuhn, Kühn, Pohl, Engel, Horn, Busch, Bergmann,
Thomas, Voigt, Sauer, Arnold, Wolff, Pfeiffer, Ströbel, Großmann,
Weißenborn, Lüdtke, Nußbaum, Strauß, Fröhlich, Brückner, Schlüter,
Rößler, Bäcker, Müller-Lüdenscheidt, Schmidt-Rottluff, von Müller,
von Weizsäcker, von der Heide, zu Guttenberg, Meyer-Landrut, Pöppel
""")
PL_F: Final = _names("""
Anna, Maria, Katarzyna, Małgorzata, Agnieszka, Barbara, Ewa, Krystyna,
Elżbieta, Magdalena, Joanna, Zofia, Aleksandra, Monika, Teresa,
Danuta, Natalia, Karolina, Marta, Beata, Dorota, Jadwiga, Halina,
Janina, Irena, Grażyna, Iwona, Renata, Jolanta, Bożena, Urszula,
Justyna, Paulina, Wiesława, Łucja, Dominika, Weronika, Julia, Zuzanna,
Wiktoria, Alicja, Gabriela, Helena, Stanisława, Sylwia, Kinga, Edyta,
Aneta, Ilona, Izabela
""")
PL_M: Final = _names("""
Piotr, Krzysztof, Andrzej, Tomasz, Jan, Paweł, Michał, Marcin,
Stanisław, Jakub, Adam, Marek, Łukasz, Grzegorz, Mateusz, Wojciech,
Mariusz, Dariusz, Zbigniew, Jerzy, Józef, Ryszard, Tadeusz, Janusz,
Kamil, Maciej, Kazimierz, Rafał, Robert, Jacek, Przemysław, Sławomir,
Bartosz, Szymon, Damian, Dawid, Zdzisław, Bogdan, Henryk, Mirosław,
Wiesław, Witold, Leszek, Radosław, Sebastian, Artur, Hubert,
Bartłomiej, Aleksander, Wacław
""")
PL_L: Final = _names("""
Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski,
Zieliński, Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur,
Wojciechowski, Kwiatkowski, Krawczyk, Kaczmarek, Piotrowski,
Grabowski, Zając, Pawłowski, Michalski, Król, Wieczorek, Jabłoński,
Wróbel, Nowakowski, Majewski, Olszewski, Jaworski, Stępień,
Malinowski, Dudek, Adamczyk, Górski, Nowicki, Pawlak, Sikora,
Witkowski, Rutkowski, Walczak, Baran, Michalak, Szewczyk, Ostrowski,
Tomaszewski, Pietrzak, Zalewski, Wróblewski, Marciniak, Jasiński,
Zawadzki, Bąk, Jakubowski, Sadowski, Duda, Włodarczyk, Wilk,
Chmielewski, Borkowski, Sokołowski, Szczepański, Sawicki, Lis,
Kucharski, Kalinowski, Wysocki, Mazurek, Kubiak, Maciejewski,
Czarnecki, Kołodziej, Urbański, Kaźmierczak, Sobczak, Konieczny,
Głowacki, Zakrzewski, Krajewski, Błaszczyk, Czerwiński, Ziółkowski,
Gołębiowski, Przybylski, Nowak-Jeziorański, Kowalski-Wiśniewski,
Szczęsny, Łuczak, Żak, Żukowski, Ślusarczyk, Świątek, Grzesiak
""")
SC_F: Final = _names("""
Anna, Eva, Maria, Karin, Kristina, Lena, Kerstin, Ingrid, Marie,
Birgitta, Inger, Margareta, Elisabeth, Linnéa, Sofia, Ida, Emma, Maja,
Astrid, Sigrid, Solveig, Åsa, Ulla, Gunilla, Britt, Märta, Siv, Elin,
Malin, Frida, Hanna, Johanna, Ebba, Tove, Liv, Ingeborg, Kari, Randi,
Bodil, Mette, Grethe, Kirsten, Signe, Freja, Sølvi, Ragnhild, Gudrun,
Kajsa, Annika, Katarina, Anna-Karin, Britt-Marie, Stina, Ylva, Agneta,
Sanna, Helén, Mathilda
""")
SC_M: Final = _names("""
Erik, Lars, Karl, Anders, Johan, Per, Nils, Mikael, Jan, Hans, Peter,
Olof, Sven, Lennart, Björn, Bengt, Gunnar, Magnus, Fredrik, Mats,
Göran, Stefan, Jonas, Henrik, Ulf, Åke, Bo, Leif, Kjell, Rolf, Arne,
Ove, Stig, Torbjörn, Jörgen, Søren, Ole, Knut, Håkan, Jørgen, Øyvind,
Espen, Rune, Tor, Oskar, Axel, Viktor, Emil, Gustav, Hugo, Linus,
Kristoffer, Rasmus, Mattias, Pål, Halvard, Jens, Niels, Mads, Sigurd,
Ragnar, Tobias
""")
SC_L: Final = _names("""
Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson,
Persson, Svensson, Gustafsson, Pettersson, Jonsson, Jansson, Hansson,
Bengtsson, Jönsson, Lindberg, Jakobsson, Magnusson, Olofsson,
Lindström, Lindqvist, Lindgren, Berg, Axelsson, Bergström, Lundberg,
Lind, Lundgren, Lundqvist, Mattsson, Berglund, Fredriksson, Sandberg,
Henriksson, Forsberg, Sjöberg, Wallin, Engström, Eklund, Danielsson,
Lundin, Håkansson, Björk, Bergman, Gunnarsson, Holm, Wikström,
Samuelsson, Isaksson, Fransson, Bergqvist, Nyström, Holmberg,
Arvidsson, Löfgren, Söderberg, Nyberg, Blomqvist, Claesson,
Nordström, Mårtensson, Lundström, Hansen, Johansen, Olsen, Larsen,
Andersen, Pedersen, Nielsen, Kristiansen, Jensen, Karlsen, Johnsen,
Pettersen, Eriksen, Haugen, Hagen, Johannessen, Andreassen, Jacobsen,
Dahl, Jørgensen, Halvorsen, Henriksen, Lund, Sørensen, Moen,
Gundersen, Iversen, Strand, Solberg, Svendsen, Eide, Knutsen,
Martinsen, Paulsen, Bakken, Kristensen, Mathisen, Lie, Amundsen,
Rasmussen, Møller, Madsen, Thomsen, Christensen, Poulsen, Østergaard,
Sjögren, Åberg, Ødegaard, Bøe, Söderlund, Ångström, af Klint,
von Platen, Lindahl-Berg
""")
EN_F: Final = _names("""
Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica,
Sarah, Karen, Margaret, Emily, Emma, Olivia, Amelia, Isla, Ava, Sophie,
Charlotte, Lucy, Grace, Chloe, Hannah, Rebecca, Rachel, Laura,
Katherine, Catherine, Victoria, Helen, Joanne, Claire, Nicola, Tara,
Tayla, Kayla, Kirsty, Siobhan, Niamh, Aoife, Bethany, Gemma, Stacey,
Zoë, Amy, Abigail, Alice, Eleanor, Harriet, Louise, Deborah, Diane,
Julie, Heather, Kimberly, Renée, Penelope, Dorothy, Frances
""")
EN_M: Final = _names("""
James, John, Robert, Michael, William, David, Richard, Joseph, Thomas,
Charles, Christopher, Daniel, Matthew, Anthony, Mark, Steven, Paul,
Andrew, Joshua, Kevin, Brian, George, Edward, Oliver, Harry, Jack,
Jacob, Charlie, Alfie, Oscar, Henry, Leo, Archie, Ethan, Samuel,
Benjamin, Alexander, Nathan, Liam, Connor, Callum, Declan, Sean,
Seán, Patrick, Gareth, Rhys, Owen, Dylan, Ian, Neil, Stuart, Graham,
Gordon, Kenneth, Nigel, Trevor, Philip, Stephen, Simon, Timothy,
Adrian, Frederick, Nicholas
""")
EN_L: Final = _names("""
Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas,
Johnson, Roberts, Robinson, Thompson, Wright, Walker, White, Edwards,
Hughes, Green, Hall, Lewis, Harris, Clarke, Patel, Jackson, Wood,
Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King,
Baker, Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis,
Parker, Price, Bennett, Young, Griffiths, Mitchell, Kelly, Cook,
Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy, Miller, Cox,
Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams, Singh,
Wilkinson, Foster, Chapman, Powell, Webb, Rogers, Gray, Mason, Ali,
Hunt, Hussain, Campbell, Matthews, Owen, Palmer, Holmes, Mills,
Barnes, Knight, Lloyd, Butler, Russell, Barker, Fisher, Stevens,
Jenkins, Murray, Dixon, Harvey, Graham, Pearson, Ahmed, Fletcher,
Walsh, Kaur, Gibson, Howard, Andrews, Stewart, Elliott, Reynolds,
Saunders, Payne, Fox, Ford, Pearce, Day, Brooks, West, Lawrence, Cole,
Atkinson, Bradley, Spencer, Gill, Dawson, Ball, Burton, O'Brien,
O'Connor, O'Neill, O'Sullivan, McDonald, MacLeod, McCarthy, Rollins,
Fitzgerald, D'Angelo, Ffrench, Bowes-Lyon, Lloyd-Webber, Smyth
""")

#: Long tails of family names: every root with every suffix.
TAIL_ROOTS: Final = {
    "fr": _names("""
Ber, Gir, Mor, Bouch, Ren, Gaud, Ros, Lam, Chev, Bréb, Pell, Mar,
Tourn, Fav, Poir, Verd, Chal, Bess, Roch, Mich, Gal, Vall, Bourr,
Gren, Char, Pich, Duch, Champ, Lang, Sall, Cour, Flor, Grosj, Rag
"""),
    "de": _names("""
Hof, Berg, Stein, Wald, Feld, Bach, Brunn, Kirch, Mühl, Lind, Rosen,
Schön, Eich, Birk, Hagen, Wein, Sonnen, Grün, Rot, Weiß, Schwarz, Neu,
Alt, Hoch, Groß, Klein, Lieb, Fried, Sieg, Engel, Tann, Buch
"""),
    "pl": _names("""
Grab, Brzez, Dąbr, Kos, Wol, Zal, Piask, Lip, Bor, Mał, Czarn, Sos,
Kamień, Biał, Jar, Gór, Lesz, Kraś, Łęcz, Rad, Tar, Mik, Pał, Zar,
Ostr, Sław, Wit, Żuk, Chrz, Przyb
"""),
    "sc": _names("""
Berg, Lind, Sjö, Ek, Al, Ask, Björk, Gran, Hag, Holm, Lund, Ny, Sand,
Strand, Sund, Wall, Öst, Väst, Nord, Söder, Dahl, Fors, Löv, Ång, Hed,
Rosen, Sten, Lil, Hög, Å
"""),
    "en": _names("""
Ash, Brad, Brook, Church, Cran, Dun, Ed, Hather, Kings, Lang, Marsh,
Middle, New, Rad, Shel, Stan, Thorn, Wal, Whit, Wood, Yar, Black,
Green, Hart, Hay, Ox, Bur, Mor, Kil, Cal, Pen, Stock
"""),
}
TAIL_SUFFIXES: Final = {
    "fr": _names("ard, ier, et, ot, eau, in, on, aud, elle, ault, ès, and"),
    "de": _names(
        "mann, er, inger, hauser, hofer, berger, bauer, meier, huber, ner,"
        " le, ke, bach, ert"
    ),
    "pl": _names(
        "owski, ewski, iński, ecki, ak, czyk, iak, ek, uk, ik, owicz, ewicz"
    ),
    "sc": _names(
        "berg, ström, qvist, gren, lund, dahl, man, holm, ling, stedt,"
        " blad, kvist, sten, vik"
    ),
    "en": _names(
        "ton, ley, field, ford, wood, worth, by, ham, well, more, stone,"
        " bridge, dale, hurst"
    ),
}
#: Between root and suffix in the long tails (the first is none).
TAIL_MIDDLES: Final = {
    "fr": ("", "el", "ou", "ign", "ab", "ich", "ev", "ill", "on"),
    "de": ("", "en", "el", "ers", "ling", "hard", "rich", "ig", "at"),
    "pl": ("", "ow", "ek", "an", "ic", "ar", "ul", "osz", "el"),
    "sc": ("", "e", "a", "ar", "es", "ing", "s", "el", "er"),
    "en": ("", "er", "ing", "s", "ling", "an", "ble", "ton", "el"),
}
#: Share of family names drawn from the long tail.
TAIL: Final = 0.8

LANGUAGES: Final = ("fr", "de", "pl", "sc", "en")
LANGUAGE_WEIGHTS: Final = (0.25, 0.25, 0.15, 0.15, 0.2)
COUNTRY: Final = {"fr": "FR", "de": "DE", "pl": "PL", "sc": "SE", "en": "GB"}
GIVEN: Final = {
    ("fr", "f"): FR_F,
    ("fr", "m"): FR_M,
    ("de", "f"): DE_F,
    ("de", "m"): DE_M,
    ("pl", "f"): PL_F,
    ("pl", "m"): PL_M,
    ("sc", "f"): SC_F,
    ("sc", "m"): SC_M,
    ("en", "f"): EN_F,
    ("en", "m"): EN_M,
}
FAMILY: Final = {"fr": FR_L, "de": DE_L, "pl": PL_L, "sc": SC_L, "en": EN_L}

#: Particles before family names.
PARTICLES: Final = {
    "fr": ("de ", "de la ", "du ", "Le ", "Da "),
    "de": ("von ", "von der ", "zu ", "van "),
    "pl": (),
    "sc": ("af ", "von "),
    "en": ("Mac", "St ", "De "),
}

#: Nicknames and short forms, both ways.
NICKNAMES: Final = {
    "William": ("Bill", "Will", "Billy"),
    "Robert": ("Bob", "Rob", "Bobby"),
    "Margaret": ("Peggy", "Maggie", "Meg"),
    "Elizabeth": ("Liz", "Beth", "Betty"),
    "Katherine": ("Kate", "Kathy"),
    "Catherine": ("Cathy", "Kate"),
    "James": ("Jim", "Jimmy"),
    "Richard": ("Dick", "Rick"),
    "Edward": ("Ted", "Ed", "Eddie"),
    "Thomas": ("Tom", "Tommy"),
    "Jennifer": ("Jen", "Jenny"),
    "Michael": ("Mike", "Mick"),
    "Anthony": ("Tony",),
    "Christopher": ("Chris",),
    "Alexander": ("Alex", "Sandy"),
    "Nicholas": ("Nick",),
    "Patricia": ("Pat", "Trish"),
    "Rebecca": ("Becky",),
    "Dorothy": ("Dot", "Dolly"),
    "Frederick": ("Fred",),
    "Katarzyna": ("Kasia", "Kasia", "Kaśka"),
    "Małgorzata": ("Gosia", "Małgosia"),
    "Aleksandra": ("Ola",),
    "Agnieszka": ("Aga",),
    "Wojciech": ("Wojtek",),
    "Tomasz": ("Tomek",),
    "Piotr": ("Piotrek",),
    "Krzysztof": ("Krzyś", "Krzysiek"),
    "Stanisław": ("Staszek", "Stach"),
    "Józef": ("Józek",),
    "Elżbieta": ("Ela",),
    "Johannes": ("Hans", "Johann"),
    "Johann": ("Hans",),
    "Friedrich": ("Fritz",),
    "Elisabeth": ("Lisa", "Elli", "Liesl"),
    "Margarete": ("Grete", "Gretel"),
    "Katharina": ("Käthe", "Kathi"),
    "Franziska": ("Franzi",),
    "Maximilian": ("Max",),
    "Stefanie": ("Steffi",),
    "Jean-Baptiste": ("JB", "Jean"),
    "Jean-Pierre": ("JP",),
    "Marie-Christine": ("Marie",),
    "Dominique": ("Dom",),
    "Frédéric": ("Fred",),
    "Nicolas": ("Nico",),
    "Christophe": ("Chris",),
    "Anne-Sophie": ("Anne",),
    "Joséphine": ("Josée", "Fifi"),
    "Kristina": ("Stina", "Kicki"),
    "Katarina": ("Kajsa", "Kattis"),
    "Margareta": ("Greta", "Maggan"),
    "Kristoffer": ("Kris",),
    "Fredrik": ("Fredde",),
    "Elisabet": ("Lisa",),
    "Mattias": ("Matte",),
}
NICK_OF: Final = {
    nick: formal for formal, nicks in NICKNAMES.items() for nick in nicks
}

#: Very common names of each language: the "Marie Martin" of a base.
COMMON: Final = {
    "fr": (("Marie", "Martin"), ("Nathalie", "Bernard"), ("Jean", "Dubois")),
    "de": (("Anna", "Müller"), ("Thomas", "Müller"), ("Peter", "Schmidt")),
    "pl": (("Anna", "Nowak"), ("Piotr", "Kowalski"), ("Maria", "Nowak")),
    "sc": (("Anna", "Andersson"), ("Erik", "Johansson"), ("Lars", "Nilsson")),
    "en": (("John", "Smith"), ("Sarah", "Jones"), ("David", "Williams")),
}

SECTORS: Final = {
    "fr": (
        ("Imprimerie", "SARL"),
        ("Transports", "SAS"),
        ("Conseil", "SA"),
        ("Bâtiment", "SARL"),
        ("Électricité", "EURL"),
        ("Menuiserie", "SARL"),
    ),
    "de": (
        ("Logistik", "GmbH"),
        ("Bau", "GmbH"),
        ("Beratung", "AG"),
        ("Elektro", "KG"),
        ("Maschinenbau", "GmbH"),
    ),
    "pl": (
        ("Transport", "sp. z o.o."),
        ("Budownictwo", "S.A."),
        ("Usługi", "sp. z o.o."),
        ("Handel", "sp. j."),
    ),
    "sc": (
        ("Bygg", "AB"),
        ("Konsult", "AB"),
        ("Transport", "AB"),
        ("Elektriska", "AB"),
    ),
    "en": (
        ("Consulting", "Ltd"),
        ("Builders", "Ltd"),
        ("Logistics", "PLC"),
        ("Engineering", "Ltd"),
    ),
}
TLD: Final = {"fr": "fr", "de": "de", "pl": "pl", "sc": "se", "en": "co.uk"}
PERSONAL_DOMAINS: Final = {
    "fr": ("orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr"),
    "de": ("gmx.de", "web.de", "t-online.de", "gmail.com"),
    "pl": ("wp.pl", "o2.pl", "onet.pl", "gmail.com", "interia.pl"),
    "sc": ("telia.com", "gmail.com", "hotmail.se", "online.no"),
    "en": ("gmail.com", "hotmail.co.uk", "btinternet.com", "outlook.com"),
}

# -- corruption kinds --------------------------------------------------------

#: Each kind of corruption and its weight, in the order of application.
KINDS: Final = {
    "nickname": 4,
    "replaced_first": 5,
    "phonetic": 5,
    "transliterated": 2,
    "ocr": 3,
    "typo_substitute": 6,
    "typo_insert": 4,
    "typo_delete": 4,
    "typo_transpose": 4,
    "space_inserted": 3,
    "space_removed": 2,
    "hyphen_apostrophe": 2,
    "accents_dropped": 4,
    "case_change": 4,
    "swap_names": 4,
    "missing_first": 5,
    "missing_last": 2,
    "email_missing": 5,
    "phone_missing": 4,
    "email_changed": 4,
    "phone_format": 3,
    "phone_typo": 2,
    "mobile_as_phone": 2,
}
_ORDER: Final = {k: i for i, k in enumerate(KINDS)}
_EXCLUSIVE: Final = (
    {"swap_names", "missing_first", "missing_last"},
    {"nickname", "replaced_first", "missing_first"},
)
#: Kinds that edit letters inside a word, tagged with where they hit.
_EDITS: Final = frozenset(
    {
        "phonetic",
        "transliterated",
        "ocr",
        "typo_substitute",
        "typo_insert",
        "typo_delete",
        "typo_transpose",
    }
)

_ROWS: Final = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _adjacent() -> dict[str, str]:
    where = {
        ch: (r, c) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)
    }
    out: dict[str, str] = {}
    for ch, (r, c) in where.items():
        near = []
        for dr, dc in ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0)):
            rr, cc = r + dr, c + dc
            if 0 <= rr < len(_ROWS) and 0 <= cc < len(_ROWS[rr]):
                near.append(_ROWS[rr][cc])
        out[ch] = "".join(near)
    return out


ADJACENT: Final = _adjacent()


def _swaps(text: str) -> tuple[tuple[str, str], ...]:
    """``"a:b c:d"`` as ``(("a", "b"), ("c", "d"))``."""
    return tuple(
        (old, new) for old, _, new in (w.partition(":") for w in text.split())
    )


OCR: Final = _swaps(
    "rn:m m:rn cl:d d:cl vv:w w:vv l:1 i:l l:I O:0 o:0 li:h h:li e:c c:e n:ri"
)
PHONETIC: Final = _swaps(
    "ph:f f:ph y:i i:y sch:sh sh:sch ck:k k:ck c:k k:c th:t ei:ai ai:ei"
    " w:v v:w cz:ch sz:sh ll:l nn:n ss:s tt:t ff:f mm:m l:ll n:nn s:ss t:tt"
    " ou:u ks:x x:ks"
)
TRANSLITERATION: Final = _swaps(
    "ü:ue ö:oe ä:ae ø:oe å:aa æ:ae ß:ss Ü:Ue Ö:Oe Ä:Ae Ø:Oe Å:Aa"
)
_ASCII: Final = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d"}
)


def strip_accents(text: str) -> str:
    """*text* without accents (ł ø ß æ spelled as ASCII), case kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# -- the generated data ------------------------------------------------------


@dataclass(slots=True)
class Entity:
    """A real person: what every record of it was typed from."""

    number: int
    language: str
    sex: str
    first: str
    last: str
    customer: int
    email: str = ""
    #: E.164 numbers.
    phone: str = ""
    mobile: str = ""


@dataclass(slots=True)
class Record:
    """One stored person: its entity and the corruptions it carries."""

    id: uuid.UUID
    entity: int
    customer: int
    first: str
    last: str
    kinds: tuple[str, ...]
    #: E-mail and number keys (as duplicate detection compares them).
    channels: frozenset[str]
    duplicate: bool
    name_key: str
    #: The given and family names folded (`fold_name`).
    folded: tuple[str, str]


@dataclass(slots=True)
class Truth:
    """The records by id and every true pair, with its tags."""

    records: dict[uuid.UUID, Record]
    #: (smaller id int, larger id int) -> the pair's tags.
    pairs: dict[tuple[int, int], frozenset[str]]

    def tag_counts(self) -> collections.Counter[str]:
        out: collections.Counter[str] = collections.Counter()
        for tags in self.pairs.values():
            out.update(tags)
        return out


@dataclass(slots=True)
class Dataset:
    customers: list[Customer]
    persons: list[Person]
    entities: list[Entity]
    truth: Truth
    seconds: float = 0.0


def _weights(count: int, offset: float) -> list[float]:
    """Zipf-like weights 1 / (rank + *offset*), as cumulative sums."""
    return list(itertools.accumulate(1 / (r + offset) for r in range(count)))


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids = random.Random(seed + 1)
        self.emails: set[str] = set()
        self.numbers: set[str] = set()
        self.domains: set[str] = set()
        self.parsed: dict[str, phonenumbers.PhoneNumber] = {}
        self.given_cum = {k: _weights(len(v), 15) for k, v in GIVEN.items()}
        self.family_cum = {k: _weights(len(v), 20) for k, v in FAMILY.items()}
        self.tails = {
            lang: tuple(
                dict.fromkeys(
                    r + m + s
                    for r in TAIL_ROOTS[lang]
                    for m in TAIL_MIDDLES[lang]
                    for s in TAIL_SUFFIXES[lang]
                )
            )
            for lang in LANGUAGES
        }

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    # -- names ---------------------------------------------------------------

    def given(self, language: str, sex: str) -> str:
        names = GIVEN[language, sex]
        return self.rng.choices(
            names, cum_weights=self.given_cum[language, sex]
        )[0]

    def family(self, language: str, sex: str) -> str:
        rng = self.rng
        if rng.random() < TAIL:
            name = rng.choice(self.tails[language])
        else:
            names = FAMILY[language]
            name = rng.choices(names, cum_weights=self.family_cum[language])[0]
        if language == "pl" and sex == "f":
            name = "-".join(_feminine(part) for part in name.split("-"))
        return name

    def entity(
        self, number: int, customer: int, country_language: str
    ) -> Entity:
        rng = self.rng
        language = country_language
        if rng.random() < FOREIGN_NAME:
            language = rng.choice(LANGUAGES)
        sex = rng.choice("fm")
        if rng.random() < COMMON_NAME:
            first, last = rng.choice(COMMON[language])
            sex = "f" if first in GIVEN[language, "f"] else "m"
        else:
            first, last = self.given(language, sex), self.family(language, sex)
            if rng.random() < DOUBLE_GIVEN:
                other = self.given(language, sex)
                if other != first and "-" not in first + other:
                    first = f"{first}{rng.choice('- ')}{other}"
            if rng.random() < DOUBLE_FAMILY:
                last = f"{last}-{self.family(language, sex)}"
            elif PARTICLES[language] and rng.random() < PARTICLE:
                last = rng.choice(PARTICLES[language]) + last
        return Entity(number, language, sex, first, last, customer)

    # -- channels ------------------------------------------------------------

    def local_part(self, first: str, last: str) -> str:
        f = _ascii_word(first, "-")
        l = _ascii_word(last, "")  # noqa: E741
        if not f:
            return l
        pattern = self.rng.random()
        if pattern < 0.5:
            return f"{f}.{l}"
        if pattern < 0.7:
            return f"{f[0]}.{l}"
        if pattern < 0.8:
            return f"{f[0]}{l}"
        if pattern < 0.9:
            return f"{f}{l}"
        return f"{f}_{l}"

    def email(self, entity: Entity, domain: str, *, work: bool) -> str:
        rng = self.rng
        local = self.local_part(entity.first, entity.last)
        if not work:
            domain = rng.choice(PERSONAL_DOMAINS[entity.language])
            if rng.random() < 0.5:
                local += str(rng.randrange(10, 99))
        address = f"{local}@{domain}"
        n = 2
        while address.casefold() in self.emails:
            address = f"{local}{n}@{domain}"
            n += 1
        self.emails.add(address.casefold())
        return address

    def number(self, country: str, *, mobile: bool) -> str:
        kind = PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
        example = phonenumbers.example_number_for_type(country, kind)
        assert example is not None  # noqa: S101 -- every country has one.
        digits = str(example.national_number)
        keep = 3 if len(digits) > 8 else 2
        code = example.country_code
        while True:
            varied = digits[:keep] + "".join(
                str(self.rng.randrange(10)) for _ in digits[keep:]
            )
            e164 = f"+{code}{varied}"
            if e164 not in self.numbers and phones.is_valid(
                e164, mobile=mobile
            ):
                self.numbers.add(e164)
                return e164

    def typed(self, e164: str) -> str:
        """*e164* as someone types it (the customer's country is theirs)."""
        number = self.parsed.get(e164)
        if number is None:
            number = self.parsed[e164] = phonenumbers.parse(e164)
        style = self.rng.random()
        if style < 0.45:
            return phonenumbers.format_number(
                number, PhoneNumberFormat.NATIONAL
            )
        if style < 0.65:
            return phonenumbers.format_number(
                number, PhoneNumberFormat.INTERNATIONAL
            )
        if style < 0.8:
            return e164
        national = phonenumbers.format_number(
            number, PhoneNumberFormat.NATIONAL
        )
        if style < 0.9:
            return "".join(c for c in national if c.isdigit())
        return ".".join(national.replace("-", " ").split())

    def company(self, language: str) -> tuple[str, str]:
        """A company name and its e-mail domain."""
        rng = self.rng
        owner = self.family(language, "m")
        sector, legal = rng.choice(SECTORS[language])
        base = _ascii_word(f"{owner}-{sector}", "-")
        domain = f"{base}.{TLD[language]}"
        n = 2
        while domain in self.domains:
            domain = f"{base}{n}.{TLD[language]}"
            n += 1
        self.domains.add(domain)
        return f"{owner} {sector} {legal}", domain


def _feminine(name: str) -> str:
    for masculine, feminine in (
        ("ski", "ska"),
        ("cki", "cka"),
        ("dzki", "dzka"),
    ):
        if name.endswith(masculine):
            return name[: -len(masculine)] + feminine
    return name


def _ascii_word(name: str, joiner: str) -> str:
    """*name* folded to ASCII letters, its words joined by *joiner*."""
    words = fold_name(name).split()
    return joiner.join("".join(c for c in w if c.isascii()) for w in words)


# -- corruptions -------------------------------------------------------------


def _word_position(text: str, at: int) -> int:
    """The position of *at* in its word of *text*."""
    start = max(text.rfind(sep, 0, at) for sep in " -'") + 1
    return at - start


def _position_tag(pos: int) -> str:
    if pos == 0:
        return "edit at initial"
    if pos <= 2:
        return "edit in letters 2-3"
    return "edit after letter 3"


def _letters(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if c.isalpha()]


def _pick_position(
    rng: random.Random, text: str, candidates: list[int]
) -> int:
    """A position among *candidates*, initials half as likely as others."""
    weights = [
        0.5 if _word_position(text, i) == 0 else 1.0 for i in candidates
    ]
    return rng.choices(candidates, weights=weights)[0]


def _same_case(new: str, old: str) -> str:
    return new.upper() if old.isupper() else new


def _typo(  # noqa: PLR0911
    kind: str, rng: random.Random, text: str
) -> tuple[str, int] | None:
    letters = [i for i in _letters(text) if text[i].lower() in ADJACENT]
    if len(letters) < 3:
        return None
    if kind == "typo_transpose":
        pairs = [
            i
            for i in letters
            if i + 1 < len(text)
            and text[i + 1].isalpha()
            and text[i] != text[i + 1]
        ]
        if not pairs:
            return None
        i = _pick_position(rng, text, pairs)
        swapped = text[i + 1] + text[i]
        if i == 0 or text[i - 1] in " -'":
            swapped = swapped[0].upper() + swapped[1].lower()
        return text[:i] + swapped + text[i + 2 :], i
    i = _pick_position(rng, text, letters)
    old = text[i]
    near = _same_case(rng.choice(ADJACENT[old.lower()]), old)
    if kind == "typo_substitute":
        return text[:i] + near + text[i + 1 :], i
    if kind == "typo_insert":
        if rng.random() < 0.5:
            return text[: i + 1] + near.lower() + text[i + 1 :], i + 1
        return text[:i] + near + old.lower() + text[i + 1 :], i
    # typo_delete
    return text[:i] + text[i + 1 :], i


def _replace(
    rng: random.Random, text: str, table: Sequence[tuple[str, str]]
) -> tuple[str, int] | None:
    """Replace one occurrence of one pattern of *table* (case-aware)."""
    lower = text.lower()
    hits = []
    for old, new in table:
        start = (
            lower.find(old.lower()) if not old.isupper() else text.find(old)
        )
        while start >= 0:
            hits.append((start, old, new))
            start = (
                lower.find(old.lower(), start + 1)
                if not old.isupper()
                else text.find(old, start + 1)
            )
    if not hits:
        return None
    at, old, new = rng.choice(hits)
    piece = text[at : at + len(old)]
    if piece[0].isupper():
        new = new[0].upper() + new[1:]
    return text[:at] + new + text[at + len(old) :], at


def _name_edit(  # noqa: PLR0911
    kind: str, rng: random.Random, text: str
) -> tuple[str, int | None] | None:
    """*text* with a corruption of *kind*, and where it hit (if a letter)."""
    if kind.startswith("typo_"):
        return _typo(kind, rng, text)
    if kind == "ocr":
        return _replace(rng, text, OCR)
    if kind == "phonetic":
        return _replace(rng, text, PHONETIC)
    if kind == "transliterated":
        return _replace(rng, text, TRANSLITERATION)
    if kind == "space_inserted":
        words = [w for w in text.split() if len(w) >= 5 and w.isalpha()]
        if not words:
            return None
        word = rng.choice(words)
        cut = rng.randrange(2, len(word) - 1)
        at = text.index(word)
        return text[: at + cut] + " " + text[at + cut :], None
    if kind == "space_removed":
        if " " not in text:
            return None
        joined = text.replace(" ", "")
        if rng.random() < 0.5:
            joined = joined[0].upper() + joined[1:].lower()
        return joined, None
    if kind == "hyphen_apostrophe":
        if "-" in text:
            return text.replace("-", rng.choice(["", " "]), 1), None
        if "'" in text:
            return text.replace("'", rng.choice(["", " "]), 1), None
        if " " in text:
            return text.replace(" ", "-", 1), None
        return None
    if kind == "accents_dropped":
        plain = strip_accents(text)
        return (plain, None) if plain != text else None
    if kind == "case_change":
        style = rng.random()
        if style < 0.5:
            changed = text.upper()
        elif style < 0.8:
            changed = text.lower()
        else:
            changed = text.capitalize()
        return (changed, None) if changed != text else None
    raise AssertionError(kind)


@dataclass(slots=True)
class _Draft:
    """A record being corrupted."""

    first: str
    last: str
    email: str
    phone: str
    mobile: str
    phone_kind: str = "phone"
    tags: list[str] = field(default_factory=list)


def _apply(  # noqa: PLR0911
    gen: _Generator,
    kind: str,
    draft: _Draft,
    *,
    entity: Entity,
    domain: str,
    targets: Sequence[str],
) -> bool:
    """Apply *kind* to *draft*; False if it does not apply."""
    rng = gen.rng
    if kind == "nickname":
        nick = NICKNAMES.get(draft.first)
        formal = NICK_OF.get(draft.first)
        if nick is None and formal is None:
            return False
        draft.first = rng.choice(nick) if nick else str(formal)
        return True
    if kind == "replaced_first":
        if not draft.first:
            return False
        other = draft.first
        while fold_name(other) == fold_name(draft.first) or other in (
            NICKNAMES.get(draft.first, ())
        ):
            other = gen.given(entity.language, entity.sex)
        draft.first = other
        return True
    if kind == "swap_names":
        if not draft.first:
            return False
        draft.first, draft.last = draft.last, draft.first
        return True
    if kind == "missing_first":
        if not draft.first:
            return False
        draft.first = ""
        return True
    if kind == "missing_last":
        if not draft.first:
            return False
        draft.first, draft.last = "", draft.first
        return True
    if kind == "email_missing":
        if not draft.email:
            return False
        draft.email = ""
        return True
    if kind == "phone_missing":
        if not (draft.phone or draft.mobile):
            return False
        draft.phone = draft.mobile = ""
        return True
    if kind == "email_changed":
        if not draft.email:
            return False
        # Work to personal (mostly), or another pattern at the same place.
        was_work = draft.email.endswith("@" + domain)
        draft.email = gen.email(
            entity, domain, work=not was_work or rng.random() < 0.3
        )
        return True
    if kind == "phone_format":
        if not (draft.phone or draft.mobile):
            return False
        if draft.phone:
            draft.phone = _other_format(gen, entity.phone, draft.phone)
        if draft.mobile:
            draft.mobile = _other_format(gen, entity.mobile, draft.mobile)
        return True
    if kind == "phone_typo":
        choices = [n for n in ("phone", "mobile") if getattr(draft, n)]
        if not choices:
            return False
        which = rng.choice(choices)
        digits = list(getattr(draft, which))
        places = [i for i, c in enumerate(digits) if c.isdigit()][-7:]
        i = rng.choice(places)
        digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
        setattr(draft, which, "".join(digits))
        return True
    if kind == "mobile_as_phone":
        if not draft.mobile or draft.phone:
            return False
        draft.phone_kind = "mobile_as_phone"
        return True
    # A name edit: on the given or the family name (not one dropped).
    fields = [t for t in targets if getattr(draft, t)]
    rng.shuffle(fields)
    for name in fields:
        edited = _name_edit(kind, rng, getattr(draft, name))
        if edited is None or edited[0] == getattr(draft, name):
            continue
        text, at = edited
        setattr(draft, name, text)
        if at is not None and kind in _EDITS:
            draft.tags.append(_position_tag(_word_position(text, at)))
        return True
    return False


def _other_format(gen: _Generator, e164: str, typed: str) -> str:
    """*e164* typed another way than *typed*."""
    for _ in range(10):
        other = gen.typed(e164)
        if other != typed:
            return other
    return e164


def _kinds(rng: random.Random) -> list[str]:
    names = list(KINDS)
    cum = list(itertools.accumulate(KINDS.values()))
    count = 2 if rng.random() < TWO_CORRUPTIONS else 1
    while True:
        kinds = set(rng.choices(names, cum_weights=cum, k=count))
        if len(kinds) == count and not any(
            len(kinds & group) > 1 for group in _EXCLUSIVE
        ):
            return sorted(kinds, key=_ORDER.__getitem__)


def _corrupt(
    gen: _Generator, entity: Entity, draft: _Draft, domain: str
) -> list[str]:
    """Corrupt *draft* with 1-2 applicable kinds; the kinds applied."""
    for _ in range(50):
        kinds = _kinds(gen.rng)
        trial = _Draft(
            draft.first, draft.last, draft.email, draft.phone, draft.mobile
        )
        # Edits go to a name that stays where it is.
        targets = (
            ("last",)
            if "missing_first" in kinds
            else ("first",)
            if "missing_last" in kinds
            else ("first", "last")
        )
        if all(
            _apply(
                gen, k, trial, entity=entity, domain=domain, targets=targets
            )
            for k in kinds
        ):
            draft.first, draft.last = trial.first, trial.last
            draft.email, draft.phone = trial.email, trial.phone
            draft.mobile, draft.phone_kind = trial.mobile, trial.phone_kind
            draft.tags = trial.tags
            return kinds
    raise AssertionError("no applicable corruption")


def _channels(draft: _Draft) -> list[dict[str, str]]:
    out = []
    if draft.email:
        out.append({"kind": "email", "value": draft.email})
    if draft.phone:
        out.append({"kind": "phone", "value": draft.phone})
    if draft.mobile:
        kind = "phone" if draft.phone_kind == "mobile_as_phone" else "mobile"
        out.append({"kind": kind, "value": draft.mobile})
    return out


def _person(
    gen: _Generator, customer: Customer, draft: _Draft
) -> tuple[Person, list[str]]:
    """
    The person of *draft* through the public API; a channel the model
    refuses (a corrupted number) is dropped, and said so.
    """
    channels = _channels(draft)
    dropped = []
    staff = customer.contact_type("Staff")
    while True:
        try:
            person = customer.add_person(
                id=gen.uuid(),
                first_name=draft.first,
                last_name=draft.last or draft.first,
                contact_types=[staff],
                channels=channels,
            )
        except ValueError as e:
            bad = _bad_channel(e, len(channels))
            if bad is None:
                raise
            dropped.append(channels.pop(bad)["kind"])
            continue
        return person, dropped


def _bad_channel(error: ValueError, count: int) -> int | None:
    paths = [getattr(i, "path", "") for i in getattr(error, "issues", ())]
    for i in range(count):
        if any(str(p).startswith(f"channels[{i}]") for p in paths):
            return i
    return None


def _keys(person: Person) -> frozenset[str]:
    """The channel keys of *person*, by kind (as the default policy)."""
    return frozenset(
        f"{c.kind.value}:"
        + (email_key(c.value) if c.kind.value == "email" else c.value)
        for c in person.channels
        if c.value
    )


def generate(n: int, seed: int = SEED) -> Dataset:
    """*n* person records with known truth (see the module docstring)."""
    t0 = time.perf_counter()
    gen = _Generator(seed)
    rng = gen.rng
    customers: list[Customer] = []
    domains: list[str] = []
    by_country: dict[str, list[int]] = collections.defaultdict(list)
    persons: list[Person] = []
    entities: list[Entity] = []
    records: dict[uuid.UUID, Record] = {}
    members: dict[int, list[uuid.UUID]] = collections.defaultdict(list)
    dup_counts = [c for c, _ in DUPLICATES]
    dup_weights = [w for _, w in DUPLICATES]
    while len(persons) < n:
        language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        country = COUNTRY[language]
        name, domain = gen.company(language)
        customer = Customer(
            id=gen.uuid(), name=name, address={"country": country}
        )
        customer.add_contact_type("Staff")
        c_index = len(customers)
        customers.append(customer)
        domains.append(domain)
        by_country[country].append(c_index)
        for _ in range(rng.randint(5, 50)):
            if len(persons) >= n:
                break
            entity = gen.entity(len(entities), c_index, language)
            entities.append(entity)
            if rng.random() < EMAIL:
                entity.email = gen.email(
                    entity, domain, work=rng.random() < WORK_EMAIL
                )
            if rng.random() < PHONE:
                entity.phone = gen.number(country, mobile=False)
            if rng.random() < MOBILE:
                entity.mobile = gen.number(country, mobile=True)
            copies = 0
            if rng.random() < DUPLICATED:
                copies = rng.choices(dup_counts, weights=dup_weights)[0]
            for copy in range(copies + 1):
                if len(persons) >= n:
                    break
                draft = _Draft(
                    entity.first,
                    entity.last,
                    entity.email,
                    gen.typed(entity.phone) if entity.phone else "",
                    gen.typed(entity.mobile) if entity.mobile else "",
                )
                kinds: list[str] = []
                where = c_index
                if copy:
                    kinds = _corrupt(gen, entity, draft, domain)
                    others = by_country[country]
                    if rng.random() < OTHER_CUSTOMER and len(others) > 1:
                        while where == c_index:
                            where = rng.choice(others)
                person, dropped = _person(gen, customers[where], draft)
                tags = [*kinds, *draft.tags]
                tags += [f"{kind} dropped as invalid" for kind in dropped]
                persons.append(person)
                members[entity.number].append(person.id)
                records[person.id] = Record(
                    person.id,
                    entity.number,
                    where,
                    person.first_name,
                    person.last_name,
                    tuple(dict.fromkeys(tags)),
                    _keys(person),
                    bool(copy),
                    person_name_key(person.first_name, person.last_name),
                    (
                        fold_name(person.first_name),
                        fold_name(person.last_name),
                    ),
                )
    pairs: dict[tuple[int, int], frozenset[str]] = {}
    for ids in members.values():
        for a, b in itertools.combinations(ids, 2):
            ra, rb = records[a], records[b]
            pair_tags = set(ra.kinds) | set(rb.kinds)
            if ra.customer != rb.customer:
                pair_tags.add("cross-customer")
            if ra.duplicate and rb.duplicate:
                pair_tags.add("between two duplicates")
            if not ra.channels & rb.channels:
                pair_tags.add("no shared e-mail or number")
            if ra.name_key == rb.name_key:
                pair_tags.add("same name key")
            pairs[_pair(a, b)] = frozenset(pair_tags)
    truth = Truth(records, pairs)
    return Dataset(
        customers, persons, entities, truth, time.perf_counter() - t0
    )


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[int, int]:
    x, y = a.int, b.int
    return (x, y) if x < y else (y, x)


# -- evaluation --------------------------------------------------------------


@dataclass(slots=True)
class Scores:
    """What a method found, against the truth."""

    true_pairs: int
    predicted: int
    found: int
    found_by_tag: collections.Counter[str]
    #: Cause of a false pair -> count.
    false_causes: collections.Counter[str]
    #: Cause -> a few examples (both names as entered).
    false_examples: dict[str, list[str]]
    found_pairs: set[tuple[int, int]]

    @property
    def recall(self) -> float:
        return self.found / self.true_pairs if self.true_pairs else 0.0

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0

    @property
    def f1(self) -> float:
        r, p = self.recall, self.precision
        return 2 * r * p / (r + p) if r + p else 0.0


def _cause(a: Record, b: Record) -> str:
    """Why *a* and *b*, different persons, may have been paired."""
    if a.name_key and a.name_key == b.name_key:
        if " " not in a.name_key:
            return "same one-word name (a name missing)"
        where = "same" if a.customer == b.customer else "another"
        return f"namesakes (same name key), {where} customer"
    if a.channels & b.channels:
        return "shared e-mail or number"
    sim = JaroWinkler.normalized_similarity
    fa, la = a.folded
    fb, lb = b.folded
    close = (
        a.name_key
        and b.name_key
        and sim(a.name_key, b.name_key) >= FUZZY_THRESHOLD
    ) or (
        fa
        and la
        and fb
        and lb
        and (
            min(sim(fa, fb), sim(la, lb)) >= JW_THRESHOLD
            or min(sim(fa, lb), sim(la, fb)) >= JW_THRESHOLD
        )
    )
    if not close:
        return "no direct evidence (chained in a group)"
    if {la, fa} & {lb, fb} - {""}:
        same = "family" if la in (lb, fb) and la else "given"
        other = "given" if same == "family" else "family"
        return f"close names: same {same} name, another {other} name"
    return "close names: both names differ"


def evaluate(
    groups: Iterable[DuplicateGroup | Collection[uuid.UUID]],
    truth: Truth,
    *,
    strengths: Collection[Strength] | None = None,
    explain: bool = True,
) -> Scores:
    """
    Score *groups* (scan groups, or collections of ids such as pairs)
    against *truth*: a group of n records predicts its n(n-1)/2 pairs.
    With *strengths*, only the scan groups of those strengths count.
    With *explain*, false pairs are put down to a cause.
    """
    records = truth.records
    predicted = found = 0
    by_tag: collections.Counter[str] = collections.Counter()
    causes: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    found_pairs: set[tuple[int, int]] = set()
    seen_pairs: set[tuple[int, int]] = set()
    for group in groups:
        if isinstance(group, DuplicateGroup):
            if strengths is not None and group.strength not in strengths:
                continue
            ids: Collection[uuid.UUID] = group.ids
        else:
            ids = group
        size = len(ids)
        if size > CAUSE_MAX:
            # Too large to list its pairs: counted as they are (groups of
            # a scan never overlap this far).
            pairs_here = size * (size - 1) // 2
            by_entity: dict[int, list[uuid.UUID]] = collections.defaultdict(
                list
            )
            for i in ids:
                by_entity[records[i].entity].append(i)
            true_here = 0
            for same in by_entity.values():
                for a, b in itertools.combinations(same, 2):
                    pair = _pair(a, b)
                    if pair not in found_pairs:
                        found_pairs.add(pair)
                        by_tag.update(truth.pairs[pair])
                    true_here += 1
            predicted += pairs_here
            found += true_here
            if explain and pairs_here > true_here:
                causes[f"in groups of more than {CAUSE_MAX} records"] += (
                    pairs_here - true_here
                )
            continue
        # Groups may overlap (a record in a strong and in a weak group):
        # each pair counts once.
        for a, b in itertools.combinations(ids, 2):
            pair = _pair(a, b)
            if pair in seen_pairs:
                continue
            seen_pairs.add(pair)
            predicted += 1
            ra, rb = records[a], records[b]
            if ra.entity == rb.entity:
                found_pairs.add(pair)
                by_tag.update(truth.pairs[pair])
                found += 1
                continue
            if not explain:
                continue
            cause = _cause(ra, rb)
            causes[cause] += 1
            if len(examples[cause]) < 4:
                examples[cause].append(f"{_shown(ra)} / {_shown(rb)}")
    return Scores(
        len(truth.pairs),
        predicted,
        found,
        by_tag,
        causes,
        examples,
        found_pairs,
    )


def linked_pairs(
    groups: Iterable[DuplicateGroup],
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """
    The pairs that one link of *groups* joins directly (the records
    sharing a key, two close names), without the pairs a group makes by
    chaining links.
    """
    out: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for group in groups:
        for link in group.links:
            ids = sorted(link.ids, key=INT)
            out.update(itertools.combinations(ids, 2))
    return sorted(out, key=_pair_ints)


def _pair_ints(pair: tuple[uuid.UUID, uuid.UUID]) -> tuple[int, int]:
    return pair[0].int, pair[1].int


INT: Final = operator.attrgetter("int")


def _shown(r: Record) -> str:
    return f"{r.first} {r.last}".strip()


# -- the Jaro-Winkler reference ----------------------------------------------


def _folded(truth: Truth) -> list[tuple[uuid.UUID, str, str]]:
    out = []
    for r in truth.records.values():
        first, last = fold_name(r.first), fold_name(r.last)
        if first and last:  # both names required
            out.append((r.id, first, last))
    return out


def _close(
    queries: Iterable[str], choices: list[str]
) -> dict[str, frozenset[str]]:
    """For each query, the choices with JW >= the threshold."""
    return {
        q: frozenset(
            c
            for c, _, _ in process.extract(
                q,
                choices,
                scorer=JaroWinkler.normalized_similarity,
                score_cutoff=JW_THRESHOLD,
                limit=None,
            )
        )
        for q in queries
    }


def jw_exhaustive(truth: Truth) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """
    Every pair whose given names and family names are both close
    (swap-aware), compared exhaustively: over distinct names, which
    gives the same pairs as comparing every pair of records.
    """
    rows = _folded(truth)
    firsts = sorted({f for _, f, _ in rows})
    lasts = sorted({l for _, _, l in rows})  # noqa: E741
    ff, ll = _close(firsts, firsts), _close(lasts, lasts)
    fl, lf = _close(firsts, lasts), _close(lasts, firsts)
    by_last: dict[str, list[int]] = collections.defaultdict(list)
    for i, (_, _, last) in enumerate(rows):
        by_last[last].append(i)
    out = set()
    for i, (_, first, last) in enumerate(rows):
        for wanted_first, lasts_near in (
            (ff[first], ll[last]),
            (lf[last], fl[first]),
        ):
            for near in lasts_near:
                for j in by_last[near]:
                    if j > i and rows[j][1] in wanted_first:
                        out.add((i, j))
    return [(rows[i][0], rows[j][0]) for i, j in sorted(out)]


def _jw_match(a: tuple[str, str], b: tuple[str, str]) -> bool:
    sim = JaroWinkler.normalized_similarity
    t = JW_THRESHOLD
    return (
        sim(a[1], b[1], score_cutoff=t) >= t
        and sim(a[0], b[0], score_cutoff=t) >= t
    ) or (
        sim(a[0], b[1], score_cutoff=t) >= t
        and sim(a[1], b[0], score_cutoff=t) >= t
    )


def jw_sorted_neighbourhood(truth: Truth) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """
    The pairs whose names are close (as `jw_exhaustive`) among those a
    sorted neighbourhood brings together: every record sorted under
    "last first" and under "first last" in one list, each entry compared
    with the next ``WINDOW - 1``.
    """
    rows = _folded(truth)
    entries = sorted(
        itertools.chain(
            (
                (f"{last} {first}", i)
                for i, (_, first, last) in enumerate(rows)
            ),
            (
                (f"{first} {last}", i)
                for i, (_, first, last) in enumerate(rows)
            ),
        )
    )
    names = [(first, last) for _, first, last in rows]
    out = set()
    for k, (_, i) in enumerate(entries):
        for _, j in entries[k + 1 : k + WINDOW]:
            if i == j:
                continue
            pair = (i, j) if i < j else (j, i)
            if pair not in out and _jw_match(names[i], names[j]):
                out.add(pair)
    return [(rows[i][0], rows[j][0]) for i, j in sorted(out)]


# -- the run -----------------------------------------------------------------


@dataclass(slots=True)
class Result:
    label: str
    scores: Scores
    seconds: float
    strong: Scores | None = None
    links: Scores | None = None
    #: Group sizes (scans only).
    sizes: list[int] = field(default_factory=list)


def _fill(data: Dataset) -> InMemoryStore:
    store = InMemoryStore()
    with store.unit_of_work(ORG) as uow:
        for customer in data.customers:
            uow.customers.add(customer)
        uow.commit()
    for start in range(0, len(data.persons), 10_000):
        with store.unit_of_work(ORG) as uow:
            for p in data.persons[start : start + 10_000]:
                uow.persons.add(p)
            uow.commit()
    return store


def _scan(
    store: InMemoryStore, policy: DuplicatePolicy
) -> tuple[list[DuplicateGroup], float]:
    checker = DuplicateChecker(policy)
    gc.collect()
    with store.unit_of_work(ORG) as uow:
        t0 = time.perf_counter()
        groups = list(checker.scan_persons(uow))
        seconds = time.perf_counter() - t0
    return groups, seconds


def _timed(label: str, run: Callable[[], list[Any]], truth: Truth) -> Result:
    gc.collect()
    t0 = time.perf_counter()
    pairs = run()
    seconds = time.perf_counter() - t0
    return Result(label, evaluate(pairs, truth), seconds)


def _describe(data: Dataset) -> None:
    truth = data.truth
    records = truth.records.values()
    dups = sum(r.duplicate for r in records)
    with_dups = len({r.entity for r in records if r.duplicate})
    names: dict[str, set[int]] = collections.defaultdict(set)
    for r in records:
        if r.name_key:
            names[r.name_key].add(r.entity)
    namesake_pairs = sum(
        math.comb(len(e), 2) for k, e in names.items() if " " in k
    )
    one_word = sum(
        math.comb(len(e), 2) for k, e in names.items() if " " not in k
    )
    tags = truth.tag_counts()
    channels = sum(bool(r.channels) for r in records)
    print(
        f"  {len(data.persons):,} records of {len(data.entities):,} persons"
        f" at {len(data.customers):,} customers;"
        f" {with_dups:,} persons have {dups:,} duplicates"
    )
    print(
        f"  {len(truth.pairs):,} true pairs"
        f" ({tags['cross-customer']:,} cross-customer,"
        f" {tags['no shared e-mail or number']:,} sharing no e-mail or"
        f" number, {tags['same name key']:,} with the same name key);"
        f" {channels / len(truth.records):.0%} of records have an e-mail"
        " or number"
    )
    print(
        f"  namesakes: {namesake_pairs:,} pairs of different persons with"
        " one full name key"
        f" ({namesake_pairs / max(len(truth.pairs), 1):.1%} of the true"
        f" pairs); {one_word:,} more pairs share a one-word name (a name"
        " missing)"
    )


#: Width, and two lines of heading, of each column of the table.
_HEADS: Final = (
    (8, ("true", "pairs")),
    (10, ("predicted", "pairs")),
    (8, ("found", "pairs")),
    (7, ("", "recall")),
    (9, ("", "precision")),
    (6, ("", "F1")),
    (11, ("", "persons/s")),
    (8, ("", "seconds")),
    (9, ("EXACT/", "recall")),
    (9, ("STRONG:", "precision")),
    (9, ("links", "recall")),
    (9, ("only:", "precision")),
)


def _groups(results: list[Result]) -> None:
    print("\n  Scan groups")
    for r in results:
        if not r.sizes:
            continue
        big = [s for s in r.sizes if s > CAUSE_MAX]
        print(
            f"  {r.label:<34} {len(r.sizes):>7,} groups, largest"
            f" {max(r.sizes, default=0):>6,} records;"
            f" {len(big):,} over {CAUSE_MAX} records hold {sum(big):,}"
            f" records and {sum(s * (s - 1) // 2 for s in big):,} pairs"
        )


def _row(r: Result, n: int) -> str:
    s = r.scores
    line = (
        f"  {r.label:<34} {s.true_pairs:>8,} {s.predicted:>10,}"
        f" {s.found:>8,} {s.recall:7.3f} {s.precision:9.3f} {s.f1:6.3f}"
        f" {n / r.seconds:>11,.0f} {r.seconds:8.2f}"
    )
    for part in (r.strong, r.links):
        if part is not None:
            line += f" {part.recall:9.3f} {part.precision:9.3f}"
    return line


def run(n: int, seed: int) -> list[Result]:
    t_size = time.perf_counter()
    print(f"\n== {n:,} records (seed {seed}) ==")
    # Generation and filling make millions of long-lived objects: the
    # collector would walk them again and again (neither is timed).
    gc.disable()
    data = generate(n, seed)
    print(f"  generated in {data.seconds:.1f} s")
    _describe(data)
    truth = data.truth
    t0 = time.perf_counter()
    store = _fill(data)
    gc.enable()
    print(
        f"  InMemoryStore filled in {time.perf_counter() - t0:.1f} s (untimed)"
    )
    gc.collect()
    gc.freeze()
    strong = (Strength.EXACT, Strength.STRONG)
    results = []
    for label, policy in (
        ("default policy", DuplicatePolicy()),
        ("fuzzy_names=True", DuplicatePolicy(fuzzy_names=True)),
        (
            "fuzzy_names=True, names only",
            DuplicatePolicy(
                fuzzy_names=True, emails=False, phones=False, mobiles=False
            ),
        ),
    ):
        groups, seconds = _scan(store, policy)
        results.append(
            Result(
                label,
                evaluate(groups, truth),
                seconds,
                evaluate(groups, truth, strengths=strong, explain=False),
                evaluate(linked_pairs(groups), truth, explain=False),
                [len(g.ids) for g in groups],
            )
        )
        del groups
    if n <= EXHAUSTIVE_MAX:
        results.append(
            _timed(
                "JW 0.85 reference, exhaustive",
                lambda: jw_exhaustive(truth),
                truth,
            )
        )
    else:
        results.append(
            _timed(
                f"JW 0.85 reference, SNM w={WINDOW}",
                lambda: jw_sorted_neighbourhood(truth),
                truth,
            )
        )
    gc.unfreeze()
    print()
    for line in (0, 1):
        print(
            f"  {('method', '')[line]:<34}"
            + "".join(f" {head[line]:>{w}}" for w, head in _HEADS)
        )
    for r in results:
        print(_row(r, n))
    _groups(results)
    _breakdown(truth, results)
    _false_pairs(results)
    _missed_examples(truth, results[1])
    print(f"\n  {n:,} records: {time.perf_counter() - t_size:.0f} s in all")
    del store, data
    gc.collect()
    return results


#: Persons/s of the fuzzy scan before issue 12 changed matching (per-name
#: comparison, blocking): a recorded figure, not measured in this run.
SPEED_BEFORE: Final = {100_000: 7_472}
SPEED_BEFORE_NOTE: Final = (
    "this script's 100,000 records on this 2-core machine, scan code of"
    " commit 120b51b"
)


SHORT: Final = {
    "default policy": "default",
    "fuzzy_names=True": "fuzzy",
    "fuzzy_names=True, names only": "names only",
}


def _breakdown(truth: Truth, results: list[Result]) -> None:
    tags = truth.tag_counts()
    heads = [SHORT.get(r.label, "JW ref") for r in results]
    print(
        "\n  Recall by tag (each true pair carries the tags of both records)"
    )
    print(f"  {'tag':<34} {'pairs':>7}" + "".join(f" {h:>10}" for h in heads))
    order = [k for k in KINDS if k in tags]
    order += sorted(t for t in tags if t not in KINDS)
    print(
        f"  {'all true pairs':<34} {len(truth.pairs):>7,}"
        + "".join(f" {r.scores.recall:>10.3f}" for r in results)
    )
    for tag in order:
        count = tags[tag]
        print(
            f"  {tag:<34} {count:>7,}"
            + "".join(
                f" {r.scores.found_by_tag[tag] / count:>10.3f}"
                for r in results
            )
        )


def _false_pairs(results: list[Result]) -> None:
    print("\n  False pairs by cause (groups of at most 100 records)")
    for r in results:
        s = r.scores
        false = s.predicted - s.found
        print(f"  {r.label}: {false:,} false pairs")
        for cause, count in s.false_causes.most_common():
            examples = "; ".join(s.false_examples.get(cause, [])[:3])
            print(
                f"    {count:>8,}  {cause}"
                + (f"  e.g. {examples}" if examples else "")
            )


def _missed_examples(truth: Truth, result: Result) -> None:
    """A few true pairs the fuzzy scan misses, by corruption kind."""
    print(f"\n  Missed by {result.label}, a few examples per kind")
    shown: dict[str, int] = collections.Counter()
    records = {r.id.int: r for r in truth.records.values()}
    for pair, tags in truth.pairs.items():
        if pair in result.scores.found_pairs:
            continue
        a, b = records[pair[0]], records[pair[1]]
        kinds = [t for t in tags if t in KINDS]
        if len(kinds) != 1 or a.duplicate == b.duplicate:
            continue
        kind = kinds[0]
        if shown[kind] >= 2:
            continue
        shown[kind] += 1
        print(f"    {kind:<18} {_shown(a)!r} / {_shown(b)!r}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Matching quality of the bulk person scan."
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    results = {n: run(n, args.seed) for n in args.sizes}
    print("\nTargets (issue 12)")
    for n, rs in results.items():
        fuzzy = next(r for r in rs if r.label == "fuzzy_names=True")
        s = fuzzy.scores
        ok = s.recall >= 0.70 and s.precision >= 0.95
        print(
            f"  {'PASS' if ok else 'FAIL'}  {n:,} records, fuzzy_names=True:"
            f" recall {s.recall:.3f} >= 0.70 at precision {s.precision:.3f}"
            " >= 0.95"
        )
        strong = fuzzy.strong
        if strong is not None:
            # The measure proposed in issue 12's note: weak groups
            # (namesakes elsewhere, which the seed reports) apart.
            ok = strong.recall >= 0.70 and strong.precision >= 0.95
            print(
                f"  {'PASS' if ok else 'FAIL'}  {n:,} records,"
                " fuzzy_names=True, strong and exact groups: recall"
                f" {strong.recall:.3f} >= 0.70 at precision"
                f" {strong.precision:.3f} >= 0.95"
            )
    for n, rs in results.items():
        fuzzy = next(r for r in rs if r.label == "fuzzy_names=True")
        reference = next(r for r in rs if r.label.startswith("JW 0.85"))
        speed = n / fuzzy.seconds
        print(
            f"  (same run) {n:,} records: fuzzy scan {speed:,.0f} persons/s,"
            f" {reference.label} {n / reference.seconds:,.0f} persons/s"
            f" ({reference.seconds / fuzzy.seconds:.2f}x)"
        )
        before = SPEED_BEFORE.get(n)
        if before is not None:
            ok = speed >= 0.8 * before
            print(
                f"  {'PASS' if ok else 'FAIL'}  {n:,} records: fuzzy scan"
                f" {speed:,.0f} persons/s >= 0.8x the scan before issue 12"
                f" ({before:,} persons/s, recorded: {SPEED_BEFORE_NOTE})"
            )
    print(f"\nTotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
