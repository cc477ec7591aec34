"""Demo data for the registry: fictional Dutch collectives, the people in them, their umbrellas, impact and goals.

Every organisation and person here is invented and marked "(fictief)" or uses an example.org address. Records
refer to each other by stable string keys ("col-01", "con-01", "umb-01", "goal-01"); the seeder maps them to ids.
Everything is rebuilt on each call from fixed tables and a seeded generator, so two calls give equal data and
callers may mutate what they get.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date
from typing import Any

from services.registry.domain.goals import CollectiveFigures, RegisterMeasure, Scope, current_value
from services.registry.domain.impact import Indicator, ReportedFigures
from shared.contracts.vocabulary import CollectiveKind, LegalForm, MembershipRole, Stage, Theme, municipalities

Record = dict[str, Any]

_SEED = 2026

K = CollectiveKind
L = LegalForm
S = Stage
T = Theme

# key, name, website, kinds it federates, provinces it covers (None: national)
_UMBRELLAS: list[tuple[str, str, tuple[CollectiveKind, ...], tuple[str, ...] | None]] = [
    ("umb-01", "Landelijk Netwerk Dorpscoöperaties (fictief)", (K.village_cooperative, K.village_association), None),
    ("umb-02", "Federatie Lokale Energiecoöperaties (fictief)", (K.energy_cooperative,), None),
    ("umb-03", "Landelijke Vereniging Zorgcoöperaties (fictief)", (K.care_cooperative,), None),
    (
        "umb-04",
        "Netwerk Wijkbedrijven en Wijkcoöperaties (fictief)",
        (K.neighbourhood_enterprise, K.neighbourhood_cooperative),
        None,
    ),
    ("umb-05", "Platform Bewonersinitiatieven Nederland (fictief)", (K.residents_initiative, K.other), None),
    ("umb-06", "Federatie Wooncoöperaties (fictief)", (K.housing_cooperative,), None),
    ("umb-07", "Vereniging Lokale Fondsen Nederland (fictief)", (K.local_fund,), None),
    ("umb-08", "Netwerk Sociaal en Lokaal Ondernemen (fictief)", (K.social_enterprise, K.food_collective), None),
    ("umb-09", "Burgerkracht Noord (fictief)", tuple(CollectiveKind), ("PV20", "PV21", "PV22")),
]

# fmt: off
# name, kind, legal form, ANBI, municipality (as CBS spells it), postcode, stage, year founded, themes, description
_COLLECTIVES: list[tuple[str, CollectiveKind, LegalForm, bool, str, str, Stage, int, tuple[Theme, ...], str]] = [
    # Groningen
    (
        "Dorpscoöperatie Ons Wierden Warffum (fictief)", K.village_cooperative, L.cooperative, False,
        "Het Hogeland", "9989 AB", S.established, 2012, (T.liveability, T.social_cohesion, T.care),
        "Bewoners van Warffum runnen samen de dorpswinkel, een ontmoetingsplek en een vervoersdienst voor ouderen. "
        "Wat de coöperatie verdient, gaat terug naar het dorp.",
    ),
    (
        "Energiecoöperatie Zonnewierde Winsum (fictief)", K.energy_cooperative, L.cooperative, False,
        "Het Hogeland", "9951 AC", S.growth, 2018, (T.energy,),
        "Leden leggen samen zonnepanelen op boerenschuren rond Winsum. De opbrengst verlaagt de energierekening van "
        "de leden en vult een dorpsfonds.",
    ),
    (
        "Bewonersinitiatief Groene Oosterpoort (fictief)", K.residents_initiative, L.informal, False,
        "Groningen", "9724 CE", S.startup, 2024, (T.nature_and_green, T.social_cohesion),
        "Buurtbewoners vergroenen binnenplaatsen en geveltuinen in de Oosterpoort. Elke eerste zaterdag van de maand "
        "is er een klusochtend.",
    ),
    (
        "Zorgcoöperatie Westerkwartier Samen (fictief)", K.care_cooperative, L.cooperative, False,
        "Westerkwartier", "9801 LB", S.growth, 2019, (T.care, T.social_cohesion),
        "Een coöperatie van inwoners die elkaar helpen met vervoer, boodschappen en een luisterend oor, zodat ouderen "
        "langer thuis kunnen wonen.",
    ),
    (
        "Voedselcollectief Oogst van Veendam (fictief)", K.food_collective, L.informal, False,
        "Veendam", "9641 AK", S.idea, 2025, (T.food, T.local_economy),
        "Een groep inwoners onderzoekt of boeren uit de Veenkoloniën hun groente rechtstreeks aan buurtbewoners "
        "kunnen verkopen.",
    ),
    # Fryslân
    (
        "Dorpsbelang Oudemirdum (fictief)", K.village_association, L.association, False,
        "De Fryske Marren", "8567 JB", S.established, 1978, (T.liveability, T.culture),
        "De vereniging behartigt de belangen van het dorp bij de gemeente en organiseert de jaarlijkse dorpsfeesten. "
        "Ze beheert ook het speelveld aan de rand van het bos.",
    ),
    (
        "Energiecoöperatie Sinnestroom Leeuwarden (fictief)", K.energy_cooperative, L.cooperative, False,
        "Leeuwarden", "8911 BT", S.established, 2013, (T.energy, T.local_economy),
        "Sinnestroom wekt zonne-energie op met vier daken en een veldopstelling in de gemeente Leeuwarden. De "
        "coöperatie helpt leden ook hun huis te isoleren.",
    ),
    (
        "Wooncoöperatie De Hofstee Sneek (fictief)", K.housing_cooperative, L.cooperative, False,
        "Súdwest-Fryslân", "8601 EG", S.startup, 2023, (T.housing, T.social_cohesion),
        "Een groep starters en ouderen wil samen twaalf betaalbare huurwoningen rond een gedeelde hof bouwen. De "
        "coöperatie zoekt een kavel en financiering.",
    ),
    (
        "Dorpsfonds Ternaard (fictief)", K.local_fund, L.foundation, True,
        "Noardeast-Fryslân", "9145 RK", S.growth, 2016, (T.liveability, T.culture),
        "Het fonds geeft kleine bijdragen aan verenigingen en activiteiten in Ternaard. Het geld komt van inwoners, "
        "ondernemers en de opbrengst van een windturbine.",
    ),
    (
        "Fietswerkplaats Heerenveen (fictief)", K.social_enterprise, L.private_company, False,
        "Heerenveen", "8441 ES", S.growth, 2017, (T.mobility, T.local_economy),
        "Een fietsenmakerij waar mensen met een afstand tot de arbeidsmarkt het vak leren. Opgeknapte fietsen gaan "
        "tegen een kleine prijs naar gezinnen met een krappe beurs.",
    ),
    # Drenthe
    (
        "Dorpscoöperatie De Eendracht Westerbork (fictief)", K.village_cooperative, L.cooperative, False,
        "Midden-Drenthe", "9431 AH", S.established, 2014, (T.liveability, T.care, T.social_cohesion),
        "De Eendracht houdt Westerbork leefbaar: de coöperatie beheert het dorpshuis, regelt burenhulp en overlegt met "
        "de gemeente over zorg dicht bij huis.",
    ),
    (
        "Energiecoöperatie Zonnedak Assen (fictief)", K.energy_cooperative, L.cooperative, False,
        "Assen", "9401 HJ", S.established, 2014, (T.energy,),
        "Leden van Zonnedak Assen bezitten samen zonnepanelen op scholen en sporthallen. De coöperatie doet mee aan "
        "de regeling voor coöperatieve energieopwekking.",
    ),
    (
        "Energiecoöperatie Drentsche Aa Wind en Zon (fictief)", K.energy_cooperative, L.cooperative, False,
        "Tynaarlo", "9481 AE", S.growth, 2019, (T.energy, T.nature_and_green),
        "Inwoners van Vries en omstreken ontwikkelen een zonneveld met natuurlijke inpassing. Omwonenden krijgen "
        "voorrang bij het lidmaatschap.",
    ),
    (
        "Energiecoöperatie Hondsrug Zon (fictief)", K.energy_cooperative, L.cooperative, False,
        "Borger-Odoorn", "9531 GA", S.startup, 2024, (T.energy,),
        "Een jonge coöperatie in Borger die een eerste dak van 300 zonnepanelen voorbereidt. Het bestuur zoekt nog "
        "leden en een ontwikkellening.",
    ),
    (
        "Zorgcoöperatie Naoberzorg Hoogeveen (fictief)", K.care_cooperative, L.cooperative, False,
        "Hoogeveen", "7901 BS", S.growth, 2020, (T.care, T.social_cohesion),
        "Naoberzorg verbindt hulpvragers met vrijwilligers uit de buurt en heeft een contract met de gemeente voor "
        "dagbesteding in het dorpshuis.",
    ),
    # Overijssel
    (
        "Energiecoöperatie Zonnedak Zwolle (fictief)", K.energy_cooperative, L.cooperative, False,
        "Zwolle", "8011 CW", S.growth, 2017, (T.energy, T.local_economy),
        "Zonnedak Zwolle legt zonnepanelen op bedrijfsdaken en laat buurtbewoners meedelen in de opbrengst. De "
        "coöperatie geeft ook energieadvies aan huis.",
    ),
    (
        "Wijkcoöperatie Rivierenwijk Deventer (fictief)", K.neighbourhood_cooperative, L.cooperative, False,
        "Deventer", "7415 BK", S.startup, 2023, (T.social_cohesion, T.local_economy, T.liveability),
        "Bewoners van de Rivierenwijk nemen samen taken op zich zoals groenonderhoud en een buurtkamer. Met de "
        "inkomsten willen ze werk in de wijk houden.",
    ),
    (
        "Wijkbedrijf Velve-Lindenhof Enschede (fictief)", K.neighbourhood_enterprise, L.foundation, False,
        "Enschede", "7544 GJ", S.established, 2015, (T.local_economy, T.social_cohesion),
        "Het wijkbedrijf biedt klussendiensten, een wasserette en een buurtrestaurant. Bewoners werken er als "
        "vrijwilliger of met een leerwerkplek.",
    ),
    (
        "Noaberfonds Raalte (fictief)", K.local_fund, L.foundation, True,
        "Raalte", "8102 HE", S.growth, 2018, (T.social_cohesion, T.care),
        "Een lokaal fonds dat giften van inwoners en bedrijven inzet voor noaberschap: kleine projecten die mensen in "
        "Raalte met elkaar verbinden.",
    ),
    (
        "Zorgcoöperatie Salland Samen Olst (fictief)", K.care_cooperative, L.cooperative, False,
        "Olst-Wijhe", "8121 AB", S.established, 2014, (T.care,),
        "De coöperatie organiseert huishoudelijke hulp, maaltijden en vervoer voor leden in Olst en Wijhe. Leden "
        "betalen een kleine maandelijkse bijdrage.",
    ),
    # Flevoland
    (
        "Energiecoöperatie Polderzon Dronten (fictief)", K.energy_cooperative, L.cooperative, False,
        "Dronten", "8251 EW", S.growth, 2018, (T.energy, T.local_economy),
        "Polderzon bouwt zonnedaken op stallen en loodsen in de polder. Boeren en dorpsbewoners zijn samen eigenaar.",
    ),
    (
        "Voedselbos Oosterwold (fictief)", K.food_collective, L.association, False,
        "Almere", "1339 PA", S.startup, 2023, (T.food, T.nature_and_green, T.education),
        "Een vereniging die op twee hectare een voedselbos aanlegt. Leden oogsten samen en scholen komen er les "
        "krijgen over natuur en voedsel.",
    ),
    (
        "Bewonersinitiatief Zuiderzeewijk Doet Mee (fictief)", K.residents_initiative, L.informal, False,
        "Lelystad", "8224 AR", S.growth, 2020, (T.social_cohesion, T.education),
        "Buurtbewoners organiseren huiswerkbegeleiding, een taalcafé en buurtmaaltijden in de Zuiderzeewijk.",
    ),
    (
        "Wooncoöperatie Nieuw Land Almere (fictief)", K.housing_cooperative, L.informal, False,
        "Almere", "1315 RC", S.idea, 2025, (T.housing,),
        "Een groep Almeerders verkent of ze samen een woongebouw met gedeelde voorzieningen kunnen ontwikkelen en "
        "beheren.",
    ),
    (
        "Dorpsbelangen Marknesse (fictief)", K.village_association, L.association, True,
        "Noordoostpolder", "8316 GA", S.established, 1962, (T.liveability, T.mobility),
        "De vereniging zet zich in voor voorzieningen in Marknesse, zoals de buurtbus en het dorpshuis, en beheert "
        "een klein fonds voor dorpsactiviteiten.",
    ),
    # Gelderland
    (
        "Wijkbedrijf Presikhaaf Werkt (fictief)", K.neighbourhood_enterprise, L.foundation, False,
        "Arnhem", "6826 AB", S.growth, 2019, (T.local_economy, T.liveability),
        "Het wijkbedrijf voert groen- en schoonmaakopdrachten uit in Presikhaaf met bewoners uit de wijk. Een deel "
        "van de winst gaat naar buurtactiviteiten.",
    ),
    (
        "Zorgcoöperatie Lunteren (fictief)", K.care_cooperative, L.cooperative, False,
        "Ede", "6741 AL", S.established, 2016, (T.care, T.social_cohesion),
        "Inwoners van Lunteren regelen samen zorg en ondersteuning: van een maaltijdservice tot een "
        "ontmoetingsochtend voor mantelzorgers.",
    ),
    (
        "Energiecoöperatie Achterhoekse Zon Winterswijk (fictief)", K.energy_cooperative, L.cooperative, False,
        "Winterswijk", "7101 BM", S.established, 2013, (T.energy, T.nature_and_green),
        "De coöperatie beheert twee zonneparken en een windturbine. Een deel van de opbrengst gaat naar een fonds voor "
        "verduurzaming van verenigingsgebouwen.",
    ),
    (
        "Dorpscoöperatie Vorden Vooruit (fictief)", K.village_cooperative, L.cooperative, False,
        "Bronckhorst", "7251 BK", S.startup, 2024, (T.liveability, T.care),
        "Vorden Vooruit wil de dorpswinkel en een huisartsenpost in het dorp houden. De coöperatie werft nu leden.",
    ),
    (
        "De Nijmeegse Stadsmakers (fictief)", K.social_enterprise, L.private_company, False,
        "Nijmegen", "6511 PP", S.startup, 2023, (T.local_economy, T.education, T.digital),
        "Een sociale onderneming die met jongeren uit de wijk meubels maakt van restmateriaal en hen ondertussen "
        "digitale vaardigheden leert.",
    ),
    # Utrecht
    (
        "Wooncoöperatie Het Gemeenschapshof Utrecht (fictief)", K.housing_cooperative, L.cooperative, False,
        "Utrecht", "3521 AZ", S.growth, 2019, (T.housing, T.social_cohesion, T.energy),
        "Het Gemeenschapshof bouwt veertig betaalbare, energiezuinige huurwoningen die de bewoners samen beheren. De "
        "eerste bewoners trekken dit jaar in.",
    ),
    (
        "Energiecoöperatie Eemzon Amersfoort (fictief)", K.energy_cooperative, L.cooperative, False,
        "Amersfoort", "3811 LM", S.established, 2012, (T.energy,),
        "Eemzon is eigenaar van zonnedaken verspreid over Amersfoort en neemt deel aan een lokaal windproject. Leden "
        "beslissen op de jaarvergadering over nieuwe projecten.",
    ),
    (
        "Buurtfonds Zeist (fictief)", K.local_fund, L.foundation, True,
        "Zeist", "3701 GC", S.startup, 2024, (T.social_cohesion, T.liveability),
        "Een nieuw fonds dat kleine buurtinitiatieven in Zeist snel een bijdrage geeft, tot 1.500 euro per "
        "initiatief.",
    ),
    (
        "Oogstcoöperatie Amelisweerd (fictief)", K.food_collective, L.cooperative, False,
        "Bunnik", "3981 HA", S.growth, 2018, (T.food, T.nature_and_green),
        "Leden betalen vooraf voor een seizoen groente en oogsten zelf op de tuinderij. De coöperatie werkt zonder "
        "bestrijdingsmiddelen.",
    ),
    (
        "Bewonersinitiatief Speeltuin Kanaleneiland (fictief)", K.residents_initiative, L.informal, False,
        "Utrecht", "3526 KA", S.idea, 2025, (T.social_cohesion, T.liveability),
        "Ouders uit Kanaleneiland willen een verwaarloosd pleintje samen omvormen tot een speeltuin die ze zelf "
        "beheren.",
    ),
    # Noord-Holland
    (
        "Buurtcoöperatie Van der Pekbuurt (fictief)", K.neighbourhood_cooperative, L.cooperative, False,
        "Amsterdam", "1031 EA", S.growth, 2019, (T.social_cohesion, T.local_economy),
        "De buurtcoöperatie beheert een buurthuis met werkplaats en organiseert betaalde klussen voor bewoners in "
        "Amsterdam-Noord.",
    ),
    (
        "Energiecoöperatie Zon op Haarlem (fictief)", K.energy_cooperative, L.cooperative, False,
        "Haarlem", "2011 TB", S.growth, 2017, (T.energy,),
        "Zon op Haarlem legt zonnepanelen op daken van scholen en kerken en helpt huurders in de stad mee te doen met "
        "de energietransitie.",
    ),
    (
        "Dorpsraad Schermerhorn (fictief)", K.village_association, L.association, False,
        "Alkmaar", "1636 VD", S.established, 1995, (T.liveability, T.culture),
        "De dorpsraad is de stem van Schermerhorn richting de gemeente en organiseert jaarlijks de molendag.",
    ),
    (
        "Zorgcoöperatie Texel Samen (fictief)", K.care_cooperative, L.cooperative, False,
        "Texel", "1791 BV", S.startup, 2024, (T.care, T.mobility),
        "Eilanders organiseren samen vervoer naar het ziekenhuis aan de overkant en hulp bij thuiswonen.",
    ),
    (
        "Deelautocoöperatie Hilversum Rijdt Samen (fictief)", K.other, L.cooperative, False,
        "Hilversum", "1211 JL", S.growth, 2020, (T.mobility, T.energy),
        "Leden delen elektrische auto's die op zonnestroom van de buurt rijden. Er staan nu acht auto's in drie "
        "wijken.",
    ),
    # Zuid-Holland
    (
        "Wijkcoöperatie Carnisse Samen (fictief)", K.neighbourhood_cooperative, L.cooperative, False,
        "Rotterdam", "3083 CA", S.growth, 2018, (T.local_economy, T.social_cohesion, T.care),
        "Bewoners van Carnisse bieden elkaar zorg, klussen en een buurtkeuken aan. De coöperatie heeft contracten "
        "met de gemeente en een woningcorporatie.",
    ),
    (
        "Energiecoöperatie Leidse Zon (fictief)", K.energy_cooperative, L.cooperative, False,
        "Leiden", "2311 EZ", S.established, 2014, (T.energy,),
        "Leidse Zon bezit zonnepanelen op twaalf daken in de stad en werkt aan een warmtenet met een "
        "woningcorporatie.",
    ),
    (
        "Bewonersinitiatief Groen Transvaal (fictief)", K.residents_initiative, L.informal, False,
        "'s-Gravenhage", "2571 BL", S.startup, 2024, (T.nature_and_green, T.social_cohesion),
        "Bewoners van Transvaal vervangen tegels door groen en zetten boomspiegels vol bloemen. Ze willen de buurt "
        "koeler maken in de zomer.",
    ),
    (
        "Fietsenmakerij De Drechtse Spaak (fictief)", K.social_enterprise, L.private_company, False,
        "Dordrecht", "3311 KJ", S.established, 2015, (T.mobility, T.local_economy, T.education),
        "Een fietsenmakerij met leerwerkplekken voor jongeren zonder startkwalificatie. Samen met het mbo leiden ze "
        "rijwielhersteller op.",
    ),
    (
        "Voedselcollectief Delftse Stadsakker (fictief)", K.food_collective, L.association, False,
        "Delft", "2611 HL", S.startup, 2024, (T.food, T.education),
        "Studenten en buurtbewoners telen groente op een braakliggend terrein en koken wekelijks samen.",
    ),
    # Zeeland
    (
        "Dorpsraad Serooskerke (fictief)", K.village_association, L.association, False,
        "Veere", "4353 AT", S.established, 1988, (T.liveability,),
        "De dorpsraad overlegt met de gemeente Veere over verkeersveiligheid, woningbouw voor jongeren en het "
        "dorpshuis.",
    ),
    (
        "Energiecoöperatie Zeeuwse Wind Goes (fictief)", K.energy_cooperative, L.cooperative, False,
        "Goes", "4461 HV", S.growth, 2019, (T.energy,),
        "Inwoners van de Bevelanden zijn samen eigenaar van een windturbine bij Goes en sparen voor een tweede.",
    ),
    (
        "Zorgcoöperatie Zorg om Elkaar Schouwen (fictief)", K.care_cooperative, L.cooperative, False,
        "Schouwen-Duiveland", "4301 CE", S.startup, 2023, (T.care, T.social_cohesion),
        "Vrijwilligers en beroepskrachten in Zierikzee werken samen zodat ouderen op het eiland thuis kunnen blijven "
        "wonen.",
    ),
    (
        "Dorpscoöperatie Sas Samen (fictief)", K.village_cooperative, L.informal, False,
        "Terneuzen", "4551 EA", S.idea, 2025, (T.liveability, T.social_cohesion),
        "Inwoners van Sas van Gent onderzoeken of een dorpscoöperatie de bibliotheek en het buurthuis kan "
        "overnemen.",
    ),
    (
        "Walchers Buurtfonds Middelburg (fictief)", K.local_fund, L.foundation, True,
        "Middelburg", "4331 LN", S.established, 2010, (T.social_cohesion, T.culture),
        "Het fonds steunt initiatieven van bewoners op Walcheren met giften tot 5.000 euro en begeleidt hen bij het "
        "aanvragen.",
    ),
    # Noord-Brabant
    (
        "Energiecoöperatie Lichtstad Zon Eindhoven (fictief)", K.energy_cooperative, L.cooperative, False,
        "Eindhoven", "5611 AZ", S.growth, 2018, (T.energy, T.digital),
        "Lichtstad Zon combineert zonnedaken met slimme meters en een app waarmee leden hun verbruik afstemmen op de "
        "opwek.",
    ),
    (
        "Wooncoöperatie Bossche Hofjes (fictief)", K.housing_cooperative, L.cooperative, False,
        "'s-Hertogenbosch", "5211 JT", S.startup, 2024, (T.housing, T.care),
        "Vijftigplussers willen samen een hofje met levensloopbestendige woningen bouwen en elkaar helpen als dat "
        "nodig is.",
    ),
    (
        "Zorgcoöperatie Dorpszorg Boekel (fictief)", K.care_cooperative, L.cooperative, False,
        "Boekel", "5427 BA", S.established, 2011, (T.care, T.liveability),
        "Dorpszorg Boekel regelt zorg en welzijn voor ouderen in het dorp, met eigen zorgmedewerkers en ruim honderd "
        "vrijwilligers.",
    ),
    (
        "Wijkbedrijf Tilburg-Noord (fictief)", K.neighbourhood_enterprise, L.private_company, False,
        "Tilburg", "5045 KL", S.startup, 2023, (T.local_economy, T.liveability),
        "Een wijkbedrijf dat onderhoud van openbaar groen en kleine reparaties in huurwoningen uitvoert met mensen "
        "uit de wijk.",
    ),
    (
        "Streekmarktcoöperatie Meierij (fictief)", K.food_collective, L.cooperative, False,
        "Meierijstad", "5491 AB", S.growth, 2017, (T.food, T.local_economy),
        "Boeren en consumenten runnen samen een wekelijkse streekmarkt en een webwinkel met producten uit de Meierij.",
    ),
    # Limburg
    (
        "Dorpscoöperatie Mergelland Epen (fictief)", K.village_cooperative, L.cooperative, False,
        "Gulpen-Wittem", "6285 AC", S.established, 2015, (T.liveability, T.care, T.nature_and_green),
        "De coöperatie houdt voorzieningen in Epen overeind, van de dorpsbus tot onderhoud van holle wegen.",
    ),
    (
        "Energiecoöperatie Venlo Zonnig (fictief)", K.energy_cooperative, L.cooperative, False,
        "Venlo", "5911 JE", S.idea, 2025, (T.energy,),
        "Een kleine groep inwoners heeft de coöperatie net opgericht en zoekt een eerste geschikt dak.",
    ),
    (
        "Wijkbedrijf Meezenbroek (fictief)", K.neighbourhood_enterprise, L.foundation, False,
        "Heerlen", "6415 BA", S.growth, 2019, (T.local_economy, T.social_cohesion),
        "Het wijkbedrijf biedt leer-werkplekken in een buurtcafé en een kringloopwinkel in Meezenbroek.",
    ),
    (
        "Wijkfonds Maastricht-Oost (fictief)", K.local_fund, L.foundation, True,
        "Maastricht", "6221 BT", S.startup, 2024, (T.social_cohesion, T.education),
        "Een fonds van bewoners en ondernemers uit Maastricht-Oost dat buurtinitiatieven helpt met geld en advies.",
    ),
    (
        "Kringloop en Werk Roermond (fictief)", K.social_enterprise, L.private_company, False,
        "Roermond", "6041 CR", S.established, 2009, (T.local_economy, T.nature_and_green),
        "Een kringloopbedrijf waar veertig mensen met een afstand tot de arbeidsmarkt werken. Wat verkocht wordt, "
        "blijft uit de afvalverbranding.",
    ),
]

# fmt: on

# display name, municipality, expertise themes
_CONTRIBUTORS: list[tuple[str, str, tuple[Theme, ...]]] = [
    ("Anke Huizinga", "Het Hogeland", (T.liveability, T.care)),
    ("Bart Dijkstra", "Groningen", (T.energy, T.digital)),
    ("Yasmina El Idrissi", "Groningen", (T.social_cohesion, T.food)),
    ("Sietske de Boer", "Leeuwarden", (T.energy, T.local_economy)),
    ("Hylke Visser", "Súdwest-Fryslân", (T.housing,)),
    ("Marrit Hoekstra", "Noardeast-Fryslân", (T.liveability, T.culture)),
    ("Jan Mulder", "Midden-Drenthe", (T.liveability, T.care)),
    ("Gerda Lubbers", "Assen", (T.energy,)),
    ("Henk Zwiers", "Tynaarlo", (T.energy, T.nature_and_green)),
    ("Ineke Jalving", "Hoogeveen", (T.care, T.social_cohesion)),
    ("Thijs Nijhuis", "Zwolle", (T.energy, T.digital)),
    ("Fatma Yıldız", "Enschede", (T.local_economy, T.social_cohesion)),
    ("Wim ten Brinke", "Raalte", (T.care, T.liveability)),
    ("Priya Ramdin", "Almere", (T.food, T.nature_and_green)),
    ("Kees de Jong", "Dronten", (T.energy, T.mobility)),
    ("Naomi Kok", "Lelystad", (T.social_cohesion, T.education)),
    ("Ruud Jansen", "Arnhem", (T.local_economy,)),
    ("Lotte van Dijk", "Ede", (T.care,)),
    ("Gerrit Wolbrink", "Winterswijk", (T.energy,)),
    ("Esra Demir", "Nijmegen", (T.local_economy, T.education)),
    ("Maarten van der Linden", "Utrecht", (T.housing, T.digital)),
    ("Floor Verhoeven", "Amersfoort", (T.energy,)),
    ("Mohamed Amrani", "Utrecht", (T.social_cohesion, T.culture)),
    ("Joke Schouten", "Zeist", (T.liveability, T.social_cohesion)),
    ("Daan Vermeulen", "Amsterdam", (T.social_cohesion, T.local_economy)),
    ("Sanne de Vries", "Haarlem", (T.energy, T.mobility)),
    ("Pieter Kaan", "Texel", (T.care, T.nature_and_green)),
    ("Rosa Schipper", "Hilversum", (T.mobility,)),
    ("Kevin Tjon A Fong", "Rotterdam", (T.local_economy, T.social_cohesion)),
    ("Emma van Leeuwen", "Leiden", (T.energy,)),
    ("Samira Bouzid", "'s-Gravenhage", (T.nature_and_green, T.social_cohesion)),
    ("Johan Verbeek", "Dordrecht", (T.local_economy, T.education)),
    ("Marieke Cijsouw", "Veere", (T.liveability, T.culture)),
    ("Adriaan Boogaard", "Goes", (T.energy,)),
    ("Lieke Kodde", "Schouwen-Duiveland", (T.care,)),
    ("Bram van den Heuvel", "Eindhoven", (T.energy, T.digital)),
    ("Noor Smits", "'s-Hertogenbosch", (T.housing, T.care)),
    ("Harrie van de Ven", "Boekel", (T.care, T.liveability)),
    ("Mieke Hermans", "Gulpen-Wittem", (T.liveability, T.culture)),
    ("Luc Janssen", "Maastricht", (T.local_economy, T.social_cohesion)),
]

# Member counts of an established collective of each kind; foundations and companies have no members by law.
_MEMBERS_ESTABLISHED: dict[CollectiveKind, tuple[int, int]] = {
    K.residents_initiative: (15, 40),
    K.neighbourhood_cooperative: (80, 250),
    K.village_cooperative: (150, 450),
    K.village_association: (120, 500),
    K.local_fund: (0, 0),
    K.neighbourhood_enterprise: (0, 0),
    K.energy_cooperative: (350, 1400),
    K.care_cooperative: (150, 600),
    K.housing_cooperative: (25, 80),
    K.food_collective: (60, 220),
    K.social_enterprise: (0, 0),
    K.other: (60, 180),
}
_STAGE_SHARE: dict[Stage, float] = {S.startup: 0.25, S.growth: 0.6, S.established: 1.0}
_MEMBERLESS_FORMS = frozenset({L.foundation, L.private_company})


def _counts(kind: CollectiveKind, form: LegalForm, stage: Stage, rng: random.Random) -> tuple[int, int]:
    if stage is S.idea:
        initiators = rng.randint(3, 12)
        return (0 if form in _MEMBERLESS_FORMS else initiators), initiators
    share = _STAGE_SHARE[stage]
    if form in _MEMBERLESS_FORMS:
        return 0, round(rng.randint(10, 45) * max(share, 0.3))
    low, high = _MEMBERS_ESTABLISHED[kind]
    members = round(rng.randint(low, high) * share)
    if form is L.informal:
        # In an informal group nearly everyone who takes part also lends a hand.
        return members, max(3, round(members * rng.uniform(0.6, 1.0)))
    return members, max(3, round(members * rng.uniform(0.06, 0.25)))


def _municipality_code(name: str) -> str:
    matches = [m.code for m in municipalities().values() if m.name == name]
    if len(matches) != 1:
        raise LookupError(f"no single municipality named {name!r}")
    return matches[0]


def _ascii(text: str) -> str:
    text = text.replace("ı", "i")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(name: str) -> str:
    plain = _ascii(name.replace("(fictief)", "")).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _dutch_thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _key(prefix: str, number: int) -> str:
    return f"{prefix}-{number:02d}"


def umbrellas() -> list[Record]:
    return [
        {"key": key, "slug": _slug(name), "name": name, "website": f"https://{_slug(name)}.example.org"}
        for key, name, _, _ in _UMBRELLAS
    ]


def _umbrella_keys(kind: CollectiveKind, province_code: str, stage: Stage) -> list[str]:
    if stage is S.idea:
        return []
    return [
        key
        for key, _, kinds, covered in _UMBRELLAS
        if kind in kinds and (covered is None or (province_code in covered and stage is not S.startup))
    ]


def collectives() -> list[Record]:
    rng = random.Random(_SEED)
    records = []
    for number, (name, kind, form, anbi, place, postcode, stage, year, themes, description) in enumerate(
        _COLLECTIVES, start=1
    ):
        municipality_code = _municipality_code(place)
        member_count, volunteer_count = _counts(kind, form, stage, rng)
        slug = _slug(name)
        records.append(
            {
                "key": _key("col", number),
                "slug": slug,
                "name": name,
                "kind": kind.value,
                "legal_form": form.value,
                # A clearly fake range: real KvK numbers are not handed out from 990xxxxx.
                "kvk_number": None if form is L.informal else f"990{number:05d}",
                "anbi": anbi,
                "municipality_code": municipality_code,
                "province_code": municipalities()[municipality_code].province_code,
                "postcode": postcode,
                "founded_on": date(year, rng.randint(1, 12), rng.randint(1, 28)),
                "stage": stage.value,
                "member_count": member_count,
                "volunteer_count": volunteer_count,
                "themes": [theme.value for theme in themes],
                "description": description,
                "website": None if stage is S.idea else f"https://{slug}.example.org",
                "contact_email": f"info@{slug}.example.org",
                "umbrella_keys": _umbrella_keys(kind, municipalities()[municipality_code].province_code, stage),
                "status": "active",
            }
        )
    return records


def contributors() -> list[Record]:
    records = []
    for number, (display_name, place, expertise) in enumerate(_CONTRIBUTORS, start=1):
        local_part = re.sub(r"[^a-z]+", ".", _ascii(display_name).lower()).strip(".")
        records.append(
            {
                "key": _key("con", number),
                "display_name": display_name,
                "email": f"{local_part}@example.org",
                "expertise": [theme.value for theme in expertise],
                "municipality_code": _municipality_code(place),
                "status": "active",
            }
        )
    return records


def memberships() -> list[Record]:
    """Each collective gets a coordinator from its own province; legal entities past the idea stage also a board
    member; some collectives draw in an expert from elsewhere, so several people serve more than one collective."""
    rng = random.Random(_SEED)
    people = contributors()
    by_province: dict[str, list[str]] = {}
    for person in people:
        by_province.setdefault(municipalities()[person["municipality_code"]].province_code, []).append(person["key"])
    turn = dict.fromkeys(by_province, 0)

    records: list[Record] = []
    for collective in collectives():
        local = by_province[collective["province_code"]]
        start = turn[collective["province_code"]]
        turn[collective["province_code"]] += 1
        roles = {local[start % len(local)]: MembershipRole.coordinator}
        if collective["legal_form"] != L.informal and collective["stage"] != S.idea:
            roles.setdefault(local[(start + 1) % len(local)], MembershipRole.board)
        if rng.random() < 0.35:
            roles.setdefault(rng.choice(people)["key"], MembershipRole.member)
        records.extend(
            {"collective_key": collective["key"], "contributor_key": person, "role": role.value}
            for person, role in roles.items()
        )
    return records


def _figures_for(collective: Record, year: int, rng: random.Random) -> dict[str, int | float]:
    kind = CollectiveKind(collective["kind"])
    # The register holds today's counts (end of 2025); a year earlier most collectives were a little smaller.
    scale = 1.0 if year == 2025 else rng.uniform(0.8, 0.95)
    members = round(collective["member_count"] * scale)
    volunteers = max(1, round(collective["volunteer_count"] * scale))
    values: dict[str, int | float] = {
        Indicator.volunteers: volunteers,
        Indicator.volunteer_hours: volunteers * rng.randint(25, 90),
    }
    if members:
        values[Indicator.members] = members
    if kind is K.energy_cooperative:
        kwh = members * rng.randint(900, 2400)
        values[Indicator.renewable_kwh] = kwh
        # Roughly the Dutch grid's emission factor: about 0.34 kg CO₂ per kWh.
        values[Indicator.co2_avoided_tonnes] = round(kwh * 0.00034, 1)
        values[Indicator.households_reached] = members + rng.randint(0, members // 2 + 1)
        values[Indicator.euros_invested_locally_cents] = members * rng.randint(5_000, 25_000) * 100
    elif kind is K.care_cooperative:
        values[Indicator.care_hours] = members * rng.randint(8, 30) + rng.randint(0, 9) * 0.5
        values[Indicator.households_reached] = round(members * rng.uniform(0.5, 1.1))
    elif kind is K.housing_cooperative:
        values[Indicator.homes_realised] = 0 if collective["stage"] == S.startup else rng.randint(8, 40)
    elif kind in (K.village_cooperative, K.village_association, K.neighbourhood_cooperative, K.residents_initiative):
        values[Indicator.events_organised] = rng.randint(4, 40)
        values[Indicator.households_reached] = rng.randint(40, 900)
        if T.nature_and_green.value in collective["themes"]:
            values[Indicator.green_space_m2] = rng.randint(200, 6_000)
    elif kind is K.local_fund:
        values[Indicator.euros_invested_locally_cents] = rng.randint(8_000, 120_000) * 100
        values[Indicator.households_reached] = rng.randint(100, 2_000)
    elif kind in (K.neighbourhood_enterprise, K.social_enterprise):
        values[Indicator.work_placements] = rng.randint(4, 40)
        values[Indicator.euros_invested_locally_cents] = rng.randint(20_000, 400_000) * 100
    elif kind is K.food_collective:
        values[Indicator.local_food_kg] = rng.randint(1_500, 40_000)
        values[Indicator.green_space_m2] = rng.randint(2_000, 20_000)
    else:
        values[Indicator.households_reached] = rng.randint(30, 300)
    return {str(code): value for code, value in values.items()}


def impact_reports() -> list[Record]:
    """Reports for 2024 and 2025 from every collective past the idea stage that existed in that year, except a few
    that have not yet sent in 2025 — as in real life."""
    rng = random.Random(_SEED)
    records = []
    for number, collective in enumerate(collectives(), start=1):
        if collective["stage"] == S.idea:
            continue
        for year in (2024, 2025):
            if collective["founded_on"].year > year or (year == 2025 and number % 9 == 0):
                continue
            records.append(
                {"collective_key": collective["key"], "year": year, "values": _figures_for(collective, year, rng)}
            )
    return records


def _register_figures() -> list[CollectiveFigures]:
    return [
        CollectiveFigures(c["kind"], c["province_code"], c["member_count"], c["volunteer_count"])
        for c in collectives()
        if c["status"] == "active"
    ]


def _reported_figures() -> list[ReportedFigures]:
    by_key = {c["key"]: c for c in collectives()}
    return [
        ReportedFigures(
            by_key[r["collective_key"]]["kind"], by_key[r["collective_key"]]["province_code"], r["year"], r["values"]
        )
        for r in impact_reports()
    ]


def goals() -> list[Record]:
    """Three goals as umbrellas might agree them with ministries; baselines sit a little below today's demo figures
    so the dashboards show progress."""
    drenthe_energy = Scope(province_code="PV22", kind=K.energy_cooperative)
    drenthe_members = current_value(RegisterMeasure.members_total, drenthe_energy, _register_figures(), []).value
    drenthe_baseline = drenthe_members - 240

    reports_2024 = [r for r in _reported_figures() if r.year == 2024]
    hours_2024 = current_value(Indicator.volunteer_hours, Scope(), [], reports_2024).value
    hours_baseline = int(hours_2024 // 1_000 * 1_000)
    hours_target = hours_baseline * 3 // 2

    care = Scope(kind=K.care_cooperative)
    care_founded_before_2024 = sum(
        1 for c in collectives() if c["kind"] == K.care_cooperative and c["founded_on"] < date(2024, 1, 1)
    )
    care_target = care_founded_before_2024 + 10

    return [
        {
            "key": "goal-01",
            "title": "1.000 extra energiecoöperatie-leden in Drenthe in 2030",
            "description": "Voorbeelddoel (fictief): de Drentse energiecoöperaties groeien samen met duizend leden, "
            "zodat meer inwoners mede-eigenaar worden van de opwek in hun provincie.",
            "umbrella_key": "umb-02",
            "indicator": RegisterMeasure.members_total.value,
            "scope_province_code": drenthe_energy.province_code,
            "scope_kind": K.energy_cooperative.value,
            "baseline_value": drenthe_baseline,
            "target_value": drenthe_baseline + 1_000,
            "baseline_date": date(2024, 1, 1),
            "target_date": date(2030, 12, 31),
        },
        {
            "key": "goal-02",
            "title": "50% meer vrijwilligersuren in burgercollectieven in 2030",
            "description": "Voorbeelddoel (fictief): het aantal uren dat vrijwilligers per jaar in collectieven steken "
            f"groeit van {_dutch_thousands(hours_baseline)} naar {_dutch_thousands(hours_target)} uur.",
            "umbrella_key": "umb-05",
            "indicator": Indicator.volunteer_hours.value,
            "scope_province_code": None,
            "scope_kind": None,
            "baseline_value": hours_baseline,
            "target_value": hours_target,
            "baseline_date": date(2025, 1, 1),
            "target_date": date(2030, 12, 31),
        },
        {
            "key": "goal-03",
            "title": f"{care_target} zorgcoöperaties in het register in 2028",
            "description": "Voorbeelddoel (fictief): tien nieuwe zorgcoöperaties erbij, zodat inwoners in meer regio's "
            "zelf zorg en ondersteuning dicht bij huis kunnen organiseren.",
            "umbrella_key": "umb-03",
            "indicator": RegisterMeasure.collectives_count.value,
            "scope_province_code": None,
            "scope_kind": care.kind.value,
            "baseline_value": care_founded_before_2024,
            "target_value": care_target,
            "baseline_date": date(2024, 1, 1),
            "target_date": date(2028, 12, 31),
        },
    ]
