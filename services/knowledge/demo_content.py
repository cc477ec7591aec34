"""Demo content for the knowledge service: Dutch (and a few English) articles and questions with answers.

Everything here was written for Onderop as an example. Organisations, villages and people in case studies are
fictional, and every body ends with a line that says it is demo content; each item also carries `demo=True`.
Legal and financial rules are described as they stood when this was written; the articles tell readers to check
the current rules at the source.

People and collectives are placeholders, resolved by the seeder:

- `authors`, `asker` and `author` are indexes into the seeder's list of demo contributors: index ``n`` means "the
  n-th demo contributor" (0-based, ``0 <= n < DEMO_CONTRIBUTOR_SLOTS``; a seeder with fewer contributors takes the
  index modulo its list length). An answer's author is never the question's asker.
- `from_collective_kind` (articles) and `on_behalf_of_kind` (questions) name a collective kind; the seeder picks one
  of its demo collectives of that kind, or none when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_MARKER_NL = "_Demo-inhoud van Onderop, geschreven als voorbeeld._"
DEMO_MARKER_EN = "_Demo content from Onderop, written as an example._"
DEMO_CONTRIBUTOR_SLOTS = 12
DEFAULT_LICENSE = "CC-BY-SA-4.0"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    slug: str
    title: str
    summary: str
    body: str
    kind: str
    themes: tuple[str, ...]
    collective_kinds: tuple[str, ...]  # empty: applies to any kind
    stages: tuple[str, ...]  # empty: applies to any stage
    language: str
    authors: tuple[int, ...]
    from_collective_kind: str | None = None
    license: str = DEFAULT_LICENSE
    demo: bool = True


@dataclass(frozen=True, slots=True)
class DemoAnswer:
    body: str
    author: int
    accepted: bool = False
    demo: bool = True


@dataclass(frozen=True, slots=True)
class DemoQuestion:
    title: str
    body: str
    themes: tuple[str, ...]
    asker: int
    answers: tuple[DemoAnswer, ...]
    on_behalf_of_kind: str | None = None
    language: str = "nl"
    demo: bool = True


def _marked(body: str, language: str) -> str:
    marker = DEMO_MARKER_EN if language == "en" else DEMO_MARKER_NL
    return f"{body.strip()}\n\n{marker}\n"


def _article(
    *,
    slug: str,
    title: str,
    summary: str,
    kind: str,
    themes: tuple[str, ...],
    collective_kinds: tuple[str, ...] = (),
    stages: tuple[str, ...] = (),
    authors: tuple[int, ...],
    body: str,
    language: str = "nl",
    from_collective_kind: str | None = None,
) -> DemoArticle:
    return DemoArticle(
        slug=slug,
        title=title,
        summary=summary,
        body=_marked(body, language),
        kind=kind,
        themes=themes,
        collective_kinds=collective_kinds,
        stages=stages,
        language=language,
        authors=authors,
        from_collective_kind=from_collective_kind,
    )


def _answer(body: str, author: int, *, accepted: bool = False) -> DemoAnswer:
    return DemoAnswer(body=body.strip(), author=author, accepted=accepted)


_COOPERATIVES = (
    "village_cooperative",
    "neighbourhood_cooperative",
    "energy_cooperative",
    "care_cooperative",
    "housing_cooperative",
    "food_collective",
)

DEMO_ARTICLES: tuple[DemoArticle, ...] = (
    _article(
        slug="energiecooperatie-oprichten-van-idee-tot-eerste-zonnedak",
        title="Een energiecoöperatie oprichten: van idee tot eerste zonnedak",
        summary="Stap voor stap van een groepje enthousiaste buren naar een energiecoöperatie met een eigen zonnedak. "
        "Over de postcoderoos, de SCE-subsidie, ledenwerving en de inschrijving bij de KvK.",
        kind="guide",
        themes=("energy", "local_economy"),
        collective_kinds=("energy_cooperative", "village_cooperative", "residents_initiative"),
        stages=("idea", "startup"),
        authors=(0,),
        from_collective_kind="energy_cooperative",
        body="""
## Waarom een energiecoöperatie?

In een energiecoöperatie wekken bewoners samen duurzame energie op en blijft de opbrengst in de buurt. Een
Energie-coöperatie is bovendien een stevige gesprekspartner voor gemeente en netbeheerder.

## 1. Verken het idee

- Zoek drie tot vijf mensen die samen het kernteam willen vormen: iemand met verstand van techniek, iemand met
  financiële kennis en iemand die makkelijk mensen aanspreekt.
- Zoek een geschikt dak: groot (vanaf ongeveer 15 kWp, zo'n 40 panelen), stevig en met een eigenaar die wil
  verhuren voor 15 jaar of langer. Daken van sporthallen, boerenschuren en bedrijfspanden zijn vaak geschikt.
- Neem contact op met energiecooperaties in de buurt. Veel kennis is gratis te krijgen.

## 2. De postcoderoos en de SCE

Sinds 2021 is de oude postcoderoosregeling vervangen door de Subsidieregeling Coöperatieve Energieopwekking
(SCE) van RVO. De coöperatie krijgt 15 jaar lang een vergoeding per opgewekte kWh. Leden moeten wonen in de
postcoderoos: het viercijferige postcodegebied van het dak en de gebieden die daaraan grenzen. Controleer de
actuele voorwaarden en openstellingsrondes op [rvo.nl](https://www.rvo.nl).

## 3. Richt de coöperatie op

Een coöperatie richt je op bij de notaris. Kies bijna altijd voor een coöperatie U.A. (uitgesloten
aansprakelijkheid), zodat leden niet aansprakelijk zijn voor tekorten. De notaris schrijft de coöperatie in bij
de KvK; daarna registreer je de UBO's (bij een coöperatie meestal de bestuurders) en open je een zakelijke
rekening.

## 4. Ledenwerving

- Organiseer een informatieavond in het dorpshuis met een rekenvoorbeeld per paneel.
- Ga deur-aan-deur in de postcoderoos; persoonlijk contact werkt het best.
- Maak de drempel laag: een participatie van enkele honderden euro's per paneel.

## 5. Bouwen en beheren

Vraag minstens drie offertes aan, regel een verzekering en een onderhoudscontract, en spreek af hoe je de leden
jaarlijks informeert over opbrengst en uitkering.
""",
    ),
    _article(
        slug="sjabloon-ondernemingsplan-dorpscooperatie",
        title="Sjabloon: ondernemingsplan voor een dorpscoöperatie",
        summary="Een invulbaar ondernemingsplan voor een dorpscoöperatie, met per hoofdstuk de vragen die een "
        "gemeente, fonds of bank zal stellen.",
        kind="template",
        themes=("local_economy", "liveability"),
        collective_kinds=("village_cooperative", "village_association", "neighbourhood_cooperative"),
        stages=("idea", "startup"),
        authors=(1,),
        body="""
Gebruik dit sjabloon als kapstok. Houd het plan kort: tien pagina's is genoeg. Vervang de vragen door jullie
antwoorden.

## 1. Samenvatting

Wat gaat de coöperatie doen, voor wie, en wat is ervoor nodig? Schrijf dit hoofdstuk als laatste.

## 2. Het dorp en de vraag

- Hoeveel inwoners en huishoudens heeft het dorp, en hoe ontwikkelt dat zich?
- Welke voorzieningen verdwenen of dreigen te verdwijnen (winkel, school, huisarts, bus)?
- Welke behoefte blijkt uit de dorpsvisie, een enquête of gesprekken aan de keukentafel?

## 3. Wat we gaan doen

Beschrijf de diensten, bijvoorbeeld een dorpswinkel, een klussendienst, vervoer voor ouderen of beheer van het
dorpshuis. Geef per dienst aan wie de klant is en wat die ervoor betaalt.

## 4. Organisatie

- Rechtsvorm (coöperatie U.A.) en waarom.
- Bestuur, werkgroepen en het aantal vrijwilligers; wie doet wat?
- Samenwerkingspartners: gemeente, woningcorporatie, zorgaanbieder, ondernemers.

## 5. Leden

Hoeveel leden verwacht je in jaar 1, 2 en 3? Wat is de contributie en wat krijgen leden ervoor?

## 6. Financiën

| Post | Jaar 1 | Jaar 2 | Jaar 3 |
| --- | ---: | ---: | ---: |
| Contributies | | | |
| Omzet diensten | | | |
| Subsidies en fondsen | | | |
| Personeel en vergoedingen | | | |
| Huisvesting | | | |
| Resultaat | | | |

Voeg een startbegroting toe: welke eenmalige investeringen zijn nodig en hoe worden die gefinancierd
(ledenkapitaal, lening, subsidie, crowdfunding)?

## 7. Risico's

Noem de drie grootste risico's en wat je doet als ze optreden, zoals te weinig vrijwilligers of een tegenvallende
omzet.

## 8. Mijlpalen

Zet de eerste achttien maanden in een tijdlijn: oprichting, ledenwerving, start van de eerste dienst en de
eerste evaluatie met de leden.
""",
    ),
    _article(
        slug="zorgcooperatie-de-linde-ellerveld",
        title="Zorgcoöperatie De Linde: hoe Ellerveld de zorg voor ouderen zelf organiseerde",
        summary="Een fictief praktijkverhaal over een dorp van 2.100 inwoners dat een zorgcoöperatie oprichtte, "
        "nadat de laatste verzorgingsplek was verdwenen.",
        kind="case_study",
        themes=("care", "social_cohesion"),
        collective_kinds=("care_cooperative", "village_cooperative"),
        stages=("growth", "established"),
        authors=(2, 3),
        from_collective_kind="care_cooperative",
        body="""
_Ellerveld en Zorgcoöperatie De Linde zijn verzonnen voor dit voorbeeld._

## De aanleiding

Toen in 2016 het kleine verzorgingshuis in Ellerveld sloot, moesten ouderen die niet meer thuis konden wonen
naar de stad, twintig kilometer verderop. Een groep bewoners, onder wie een gepensioneerde wijkverpleegkundige,
belegde een dorpsavond. Er kwamen 180 mensen.

## Wat ze deden

De bewoners richtten een zorgcoöperatie op. Leden betalen 20 euro per huishouden per jaar. Na drie jaar had De
Linde 640 leden en 85 vrijwilligers. De coöperatie biedt:

- een **dorpsondersteuner** (24 uur per week) die hulpvragen ophaalt en de weg wijst; de gemeente betaalt deze
  functie uit het Wmo-budget;
- een **huiskamer** drie dagen per week, met een warme maaltijd;
- **vervoer** naar het ziekenhuis en de huisarts door vrijwillige chauffeurs;
- kleine klussen en boodschappen via een vrijwilligerspool.

Voor de persoonlijke verzorging werkt De Linde samen met een thuiszorgorganisatie die een vast team in het dorp
inzet.

## Wat werkte

- Het gesprek begon bij de vraag van ouderen, niet bij een plan van buitenaf.
- De gemeente werd vanaf het begin meegenomen; de dorpsondersteuner werd eerst twee jaar als pilot gefinancierd.
- Vrijwilligers kregen een duidelijke taak en een vast aanspreekpunt.

## Wat lastig bleef

De grens tussen vrijwillige hulp en professionele zorg vraagt steeds aandacht. De Linde maakte een
protocol: vrijwilligers verzorgen niet en geven geen medicijnen. Ook de opvolging van het bestuur kostte moeite;
nu wordt elk nieuw bestuurslid een jaar lang ingewerkt door een vertrekkend lid.

## Cijfers na vijf jaar

| | |
| --- | ---: |
| Leden (huishoudens) | 640 |
| Vrijwilligers | 85 |
| Ritten per jaar | 1.900 |
| Maaltijden per jaar | 6.200 |
""",
    ),
    _article(
        slug="checklist-aanvraag-initiatievenbudget-gemeente",
        title="Checklist: een aanvraag bij het initiatievenbudget van je gemeente",
        summary="Veel gemeenten hebben een budget voor bewonersinitiatieven. Met deze checklist vergeet je niets "
        "en vergroot je de kans op een snelle toekenning.",
        kind="checklist",
        themes=("liveability", "social_cohesion"),
        collective_kinds=("residents_initiative", "village_association", "neighbourhood_cooperative"),
        stages=("idea", "startup"),
        authors=(4,),
        body="""
Gemeenten noemen het anders: initiatievenbudget, buurtbudget, leefbaarheidsbudget of wijkbudget. De spelregels
verschillen, maar de vragen lijken op elkaar.

## Voor je begint

- [ ] Lees de regeling: wie mag aanvragen, hoe hoog is het maximum, wat wordt niet vergoed?
- [ ] Check of een informele groep mag aanvragen of dat je een stichting of vereniging nodig hebt.
- [ ] Bel de wijkcoördinator of het wijkteam. Een kort gesprek vooraf voorkomt een afwijzing.
- [ ] Kijk naar de deadline; sommige gemeenten beslissen per kwartaal, andere doorlopend.

## Het plan

- [ ] Wat is het probleem of de kans in de buurt, in twee zinnen?
- [ ] Wat ga je doen, wanneer en waar?
- [ ] Wie doet mee? Noem het aantal betrokken bewoners en vrijwilligers.
- [ ] Hoe merken buurtbewoners dat het iets oplevert?
- [ ] Hoe blijkt draagvlak? Voeg handtekeningen, reacties of een foto van de buurtavond toe.

## De begroting

- [ ] Alle kosten per post, met offertes bij grotere bedragen.
- [ ] Eigen bijdrage, ook in uren of materiaal.
- [ ] Andere financiers: fondsen, sponsors, crowdfunding.
- [ ] Geen kosten die de regeling uitsluit, zoals vergoedingen voor de eigen organisatie of alcohol.

## Praktisch

- [ ] Bankrekening op naam van de organisatie, of een afspraak over een penvoerder.
- [ ] Vergunningen voor evenementen of gebruik van de openbare ruimte.
- [ ] Verzekering: vaak dekt de vrijwilligersverzekering van de gemeente al veel.

## Na toekenning

- [ ] Bewaar alle bonnen.
- [ ] Maak foto's en noteer het aantal deelnemers.
- [ ] Lever op tijd een korte verantwoording in; dan ben je volgend jaar weer welkom.
""",
    ),
    _article(
        slug="anbi-status-uitgelegd-en-waarom-een-cooperatie-die-niet-krijgt",
        title="ANBI-status uitgelegd, en waarom een coöperatie die niet krijgt",
        summary="Wat de ANBI-status oplevert, welke eisen de Belastingdienst stelt en waarom coöperaties erbuiten "
        "vallen. Met de gebruikelijke oplossing: een aparte stichting.",
        kind="regulation_explainer",
        themes=("local_economy", "social_cohesion"),
        stages=("startup", "growth", "established"),
        authors=(5,),
        body="""
## Wat is een ANBI?

Een ANBI is een algemeen nut beogende instelling. De Belastingdienst kent de status toe aan organisaties die zich
voor minstens 90 procent inzetten voor het algemeen belang. Voorbeelden zijn stichtingen voor natuurbehoud,
cultuur of hulp aan mensen in armoede.

## Wat levert het op?

- Donateurs mogen hun giften aftrekken van de inkomstenbelasting of vennootschapsbelasting.
- De instelling betaalt geen schenk- of erfbelasting over giften en erfenissen die ze voor het algemeen nut
  gebruikt.
- Veel fondsen en sommige gemeenten vragen om de status, als bewijs van betrouwbaarheid.

## De belangrijkste eisen

- Het doel en de feitelijke activiteiten dienen het algemeen nut.
- De instelling heeft geen winstoogmerk.
- Geen enkele bestuurder beslist alleen over het vermogen.
- Bestuurders krijgen hooguit een onkostenvergoeding of vacatiegeld.
- Er is een actueel beleidsplan en het vermogen blijft beperkt tot wat nodig is.
- Een batig saldo bij opheffing gaat naar een ANBI met een vergelijkbaar doel.
- De instelling publiceert op een website onder meer haar RSIN, bestuur, beleidsplan, beloningsbeleid, een
  activiteitenverslag en de financiële verantwoording.

## Waarom een coöperatie het niet krijgt

Een coöperatie is volgens het Burgerlijk Wetboek (artikel 2:53) een vereniging die voorziet in stoffelijke
behoeften van haar leden. Het doel is dus in de eerste plaats het belang van de leden, en een coöperatie mag
winst aan leden uitkeren. Dat botst met de eis dat een ANBI bijna uitsluitend het algemeen nut dient en geen
winstoogmerk heeft. Ook als een energie- of zorgcoöperatie veel voor het dorp doet, valt ze daarom buiten de
regeling.

## De gebruikelijke oplossing

Veel coöperaties richten naast de coöperatie een **stichting** op, bijvoorbeeld een dorpsfonds of een
stichting die een deel van de opbrengst van een zonnedak besteedt aan de buurt. Die stichting kan wel ANBI
worden, mits statuten en praktijk aan de eisen voldoen. Houd bestuur en geldstromen van beide organisaties goed
gescheiden.

Controleer de actuele voorwaarden op [belastingdienst.nl](https://www.belastingdienst.nl).
""",
    ),
    _article(
        slug="right-to-challenge-het-uitdaagrecht-uitgelegd",
        title="Right to Challenge: het uitdaagrecht uitgelegd",
        summary="Met het uitdaagrecht nemen bewoners een taak van de gemeente over als ze die beter, goedkoper of "
        "met meer betrokkenheid kunnen uitvoeren. Zo werkt het en zo bereid je je voor.",
        kind="regulation_explainer",
        themes=("liveability", "nature_and_green"),
        stages=("growth", "established"),
        authors=(6,),
        body="""
## Wat is het?

Het uitdaagrecht, of Right to Challenge, komt uit het Verenigd Koninkrijk. Bewoners mogen de gemeente uitdagen:
"Wij kunnen deze taak beter of goedkoper doen." Als de gemeente het voorstel overtuigend vindt, krijgen de
bewoners de taak én het budget dat daarbij hoort.

Bekende voorbeelden zijn het onderhoud van het openbaar groen, het beheer van een sportpark of buurthuis en
vervoer voor ouderen.

## Is het geregeld in mijn gemeente?

Er is geen landelijk recht dat elke gemeente dwingt taken over te dragen. Steeds meer gemeenten nemen het
uitdaagrecht op in hun participatieverordening of in apart beleid. Zoek op de website van je gemeente naar
"uitdaagrecht" of "right to challenge", of vraag het na bij de griffie.

## Hoe verloopt een uitdaging meestal?

1. **Verkennen**: vraag bij de gemeente op welke taak en welk budget het gaat, en hoe het nu is georganiseerd.
2. **Voorstel**: beschrijf wat jullie doen, met welke kwaliteit, voor welk bedrag en wat het de buurt extra
   oplevert, zoals werk voor buurtbewoners of meer contact tussen bewoners.
3. **Toets**: de gemeente beoordeelt kwaliteit, kosten, draagvlak en risico's.
4. **Afspraken**: een overeenkomst voor een vaste periode, met prestatieafspraken en een evaluatie.

## Waar moet je op letten?

- **Rechtsvorm**: de gemeente sluit een overeenkomst met een rechtspersoon, vaak een coöperatie of stichting.
- **Aanbesteding**: bij grotere bedragen kunnen de aanbestedingsregels een rol spelen; vraag de gemeente hoe zij
  dat oplost.
- **Werkgeverschap**: als er betaalde krachten nodig zijn, word je werkgever. Reken loonkosten en verzekeringen
  goed door.
- **Continuïteit**: wat gebeurt er als vrijwilligers stoppen? Leg een terugvaloptie vast.

## Tip

Begin klein, met een afgebakende taak zoals het maaien van een park, en bouw vertrouwen op voordat je een groter
budget overneemt.
""",
    ),
    _article(
        slug="ledenkapitaal-en-obligaties-geld-ophalen-bij-je-leden",
        title="Ledenkapitaal en obligaties: geld ophalen bij je eigen leden",
        summary="Hoe een coöperatie investeringen financiert met geld van leden en omwonenden: participaties, "
        "ledenleningen en obligaties, en de regels van de AFM.",
        kind="guide",
        themes=("local_economy", "energy", "housing"),
        collective_kinds=(
            "energy_cooperative",
            "village_cooperative",
            "housing_cooperative",
            "neighbourhood_cooperative",
        ),
        stages=("startup", "growth"),
        authors=(0, 5),
        body="""
Geld ophalen bij je eigen leden is vaak de snelste en goedkoopste manier om een zonnedak, een dorpswinkel of een
woonproject te financieren. Bovendien maakt het leden mede-eigenaar, en dat vergroot de betrokkenheid.

## Drie vormen

| Vorm | Wat is het? | Rendement | Let op |
| --- | --- | --- | --- |
| Participatie | Inbreng in het kapitaal van de coöperatie | Deel van de winst | Regel het in de statuten |
| Ledenlening | Een lid leent geld aan de coöperatie | Vaste rente | Vaak achtergesteld bij de bank |
| Obligatie | Verhandelbare schuld, ook voor niet-leden | Vaste rente, vaste looptijd | Regels van de AFM |

## Regels van de AFM

Obligaties zijn effecten. Wie ze aan het publiek aanbiedt, heeft in beginsel een door de AFM goedgekeurd
prospectus nodig. Voor kleinere aanbiedingen bestaan uitzonderingen, bijvoorbeeld een totaalbedrag onder een
wettelijke grens per twaalf maanden; je meldt de aanbieding dan bij de AFM en maakt een
informatiedocument. Lidmaatschapsrechten van een coöperatie die niet vrij verhandelbaar zijn, vallen meestal
niet onder de prospectusplicht. Laat je structuur altijd toetsen door een jurist of een koepelorganisatie.

## Praktische tips

- Houd het bedrag per participatie laag, zodat iedereen kan meedoen.
- Leg in een reglement vast hoe leden kunnen uittreden en wanneer zij hun inleg terugkrijgen.
- Wees eerlijk over risico's: een ledenlening is geen spaarrekening en valt niet onder het
  depositogarantiestelsel.
- Combineer ledenkapitaal met een bankfinanciering; banken zien eigen inbreng van leden als teken van
  draagvlak.
- Rapporteer jaarlijks over opbrengst, rente en aflossing.

## Voorbeeld

Een energiecoöperatie heeft 240.000 euro nodig voor een zonnedak. Ze haalt 90.000 euro op met participaties van
250 euro, 50.000 euro met een ledenlening tegen 3 procent en leent de rest bij een duurzame bank.
""",
    ),
    _article(
        slug="crowdfunding-met-matchfunding",
        title="Crowdfunding met matchfunding van gemeente of fonds",
        summary="Hoe je een crowdfundingcampagne opzet waarbij de gemeente, provincie of een fonds iedere "
        "opgehaalde euro aanvult.",
        kind="guide",
        themes=("local_economy", "social_cohesion", "culture"),
        stages=("startup", "growth"),
        authors=(7,),
        body="""
## Wat is matchfunding?

Bij matchfunding verdubbelt een financier, zoals de gemeente, provincie of een fonds, het bedrag dat je via
crowdfunding ophaalt, vaak tot een maximum. De financier ziet de campagne als bewijs van draagvlak: als honderd
buren meebetalen, is het project kennelijk gewenst.

## Zo pak je het aan

1. **Kies een concreet doel**: een speeltuin, een buurtmoestuin, een elektrische bus. "Steun onze vereniging" werkt
   minder goed dan "Help ons 12 bankjes te plaatsen".
2. **Zoek de matchfunder**: vraag bij gemeente en provincie of zij matchfunding bieden, en bekijk welke
   crowdfundingplatforms met lokale fondsen samenwerken.
3. **Lees de voorwaarden**: vaak moet een minimumpercentage uit de crowd komen, of een minimumaantal donateurs.
4. **Maak een realistisch doelbedrag**: liever een haalbaar bedrag met een tweede doel erbovenop dan een
   campagne die strandt.
5. **Zorg voor een vliegende start**: vraag je eigen kring de eerste dag te doneren. Campagnes die in de eerste
   week 30 procent halen, slagen meestal.

## De campagne

- Een korte video of foto met de mensen achter het project.
- Tegenprestaties die bij het project passen: een naambordje, een rondleiding, een oogstpakket.
- Vaste momenten om updates te sturen, ook als het even stilvalt.
- Offline acties: een kraam op de markt, flyers, een oproep in de dorpskrant.

## Doneren of investeren?

Deze gids gaat over crowdfunding met giften. Wil je geld lenen of aandelen uitgeven via een platform, dan gelden
de regels voor beleggingscrowdfunding en moet het platform een vergunning hebben.

## Na afloop

Bedank iedereen persoonlijk, laat zien wat er met het geld gebeurd is en houd de lijst met donateurs bij (met
toestemming), want zij zijn je eerste supporters bij een volgend project.
""",
    ),
    _article(
        slug="vrijwilligers-werven-inwerken-en-vasthouden",
        title="Vrijwilligers werven, inwerken en vasthouden",
        summary="Praktische tips voor vrijwilligersmanagement in een kleine organisatie: van de eerste oproep tot "
        "een goed afscheid.",
        kind="guide",
        themes=("social_cohesion", "education"),
        stages=("startup", "growth", "established"),
        authors=(3, 8),
        body="""
Vrijwilligers zijn het kapitaal van elk burgercollectief. Toch gaat er veel mis: mensen haken af omdat hun taak
onduidelijk is, of omdat een kleine groep alles doet.

## Werven

- **Vraag persoonlijk.** De meeste mensen worden vrijwilliger omdat iemand het ze vroeg.
- **Bied kleine taken aan.** "Eén keer per maand de nieuwsbrief rondbrengen" is makkelijker om ja tegen te zeggen
  dan "lid van de werkgroep communicatie".
- **Maak taken zichtbaar.** Een lijst met klussen op de website en in het dorpshuis helpt.
- **Denk aan nieuwe groepen**: jongeren die een maatschappelijke stage zoeken, nieuwe bewoners, statushouders die
  willen meedoen.

## Inwerken

- Wijs elke nieuwe vrijwilliger een vast aanspreekpunt toe.
- Leg afspraken vast in een korte vrijwilligersovereenkomst: taak, tijd, vergoeding en verzekering.
- Vraag een Verklaring Omtrent het Gedrag (VOG) aan voor werk met kinderen of kwetsbare mensen. Via de regeling
  Gratis VOG kan dat vaak kosteloos.
- Check of de gemeente een vrijwilligersverzekering heeft; die dekt vaak aansprakelijkheid en ongevallen.

## Vasthouden

- Geef waardering, niet alleen met een jaarlijks etentje maar ook met een persoonlijk bedankje tussendoor.
- Vraag twee keer per jaar hoe het gaat en of de taak nog past.
- Verdeel het werk: niemand zou meer dan één zware taak moeten hebben.
- Bied leren aan: een cursus EHBO, een training vergadertechniek of een workshop sociale media.

## Afscheid

Vrijwilligers stoppen, en dat is normaal. Houd een exitgesprek, bedank iemand zichtbaar en vraag of diegene
beschikbaar blijft voor af en toe een klus. Zo blijft de kennis in de buurt.
""",
    ),
    _article(
        slug="avg-voor-kleine-verenigingen-en-cooperaties",
        title="De AVG voor kleine verenigingen en coöperaties",
        summary="Wat de privacywet (AVG) betekent voor een vereniging of coöperatie met vrijwilligers, en welke "
        "vijf dingen je in elk geval moet regelen.",
        kind="regulation_explainer",
        themes=("digital",),
        authors=(9,),
        body="""
De Algemene verordening gegevensbescherming (AVG) geldt ook voor kleine organisaties. Een ledenlijst, een
mailinglijst met vrijwilligers of een fotoalbum van het buurtfeest: het zijn allemaal persoonsgegevens.

## De vijf basisregels

1. **Verzamel alleen wat je nodig hebt.** Voor de ledenadministratie zijn naam, adres, e-mailadres en
   bankgegevens meestal genoeg. Een geboortedatum vraag je alleen als je die echt gebruikt.
2. **Vertel wat je ermee doet.** Zet een korte privacyverklaring op de website en verwijs ernaar op het
   aanmeldformulier.
3. **Leg vast wat je verwerkt.** Een eenvoudig register met welke gegevens, waarvoor, hoe lang en wie er toegang
   heeft.
4. **Beveilig de gegevens.** Gebruik een gedeelde map met toegangsbeheer in plaats van spreadsheets in
   iemands privémail. Gebruik sterke wachtwoorden en tweestapsverificatie.
5. **Ruim op.** Verwijder gegevens van oud-leden na een vaste termijn, behalve wat je voor de boekhouding zeven
   jaar moet bewaren.

## Veelgemaakte fouten

- Een mail aan alle leden met alle adressen zichtbaar in het aan-veld. Gebruik BCC of een nieuwsbriefdienst.
- Foto's van kinderen publiceren zonder toestemming van ouders.
- Geen verwerkersovereenkomst met de leverancier van het ledenadministratiepakket of de nieuwsbriefdienst.
- Oude ledenlijsten op een usb-stick in een la.

## Datalek?

Is er een datalek, zoals een gestolen laptop met de ledenlijst of een mail naar de verkeerde lijst, en is er
risico voor de mensen om wie het gaat? Meld het dan binnen 72 uur bij de Autoriteit Persoonsgegevens en
informeer zo nodig de betrokkenen. Houd ook kleine incidenten bij in een logboek.

## Wie is verantwoordelijk?

Het bestuur. Wijs wel één bestuurslid aan dat privacy in portefeuille heeft en jaarlijks nagaat of de afspraken
nog kloppen. Meer informatie staat op
[autoriteitpersoonsgegevens.nl](https://www.autoriteitpersoonsgegevens.nl).
""",
    ),
    _article(
        slug="wbtr-bestuur-en-toezicht-bij-verenigingen-en-stichtingen",
        title="WBTR: de regels voor bestuur en toezicht bij verenigingen, coöperaties en stichtingen",
        summary="Sinds 1 juli 2021 gelden de regels van de Wet bestuur en toezicht rechtspersonen. Wat ze betekenen "
        "voor het bestuur van een burgercollectief.",
        kind="regulation_explainer",
        themes=("social_cohesion", "local_economy"),
        stages=("startup", "growth", "established"),
        authors=(5,),
        body="""
De Wet bestuur en toezicht rechtspersonen (WBTR) is sinds 1 juli 2021 van kracht. De wet maakt de regels voor
verenigingen, coöperaties en stichtingen duidelijker en lijkt daarmee meer op de regels voor bv's.

## De belangrijkste punten

**Tegenstrijdig belang.** Een bestuurder die een persoonlijk belang heeft dat botst met het belang van de
organisatie, neemt niet deel aan het besluit. Denk aan een bestuurder wiens bedrijf een offerte uitbrengt voor
het zonnedak. Leg zo'n situatie vast in de notulen.

**Belet en ontstentenis.** De statuten moeten regelen wie besluit als alle bestuurders (tijdelijk) wegvallen,
bijvoorbeeld door ziekte. Dat mag je toevoegen bij de eerstvolgende statutenwijziging.

**Geen doorslaggevende stem.** Eén bestuurder mag niet meer stemmen hebben dan alle andere bestuurders samen.

**Aansprakelijkheid.** Bestuurders zijn aansprakelijk als zij hun taak ernstig verwaarlozen en de organisatie
daardoor schade lijdt, of bij een faillissement door kennelijk onbehoorlijk bestuur. Sinds de WBTR geldt dat ook
voor verenigingen en stichtingen die geen onderneming drijven.

**Toezicht.** Heeft je organisatie een raad van toezicht of raad van commissarissen, dan regelt de wet duidelijker
wat die doet.

## Wat moet je doen?

- Loop de statuten na met een notaris of koepelorganisatie.
- Neem bij de volgende statutenwijziging een regeling voor belet en ontstentenis op.
- Spreek in een bestuursreglement af hoe je omgaat met tegenstrijdige belangen.
- Zorg voor een goede administratie en verslaglegging: dat is je beste bescherming tegen aansprakelijkheid.
- Overweeg een bestuurdersaansprakelijkheidsverzekering als de organisatie grotere risico's loopt.

## Geldt dit ook voor een informele groep?

Een groep zonder rechtsvorm valt niet onder de WBTR, maar daar zijn de deelnemers zelf persoonlijk aansprakelijk.
Dat is een reden te meer om bij groei een vereniging, coöperatie of stichting op te richten.
""",
    ),
    _article(
        slug="rekenhulp-terugverdientijd-zonnedak",
        title="Rekenhulp: de terugverdientijd van een coöperatief zonnedak",
        summary="Een eenvoudig rekenmodel om te zien of een zonnedak voor de coöperatie rendabel is, met een "
        "uitgewerkt voorbeeld.",
        kind="tool",
        themes=("energy",),
        collective_kinds=("energy_cooperative", "village_cooperative"),
        stages=("idea", "startup"),
        authors=(10,),
        body="""
Gebruik deze rekenhulp voor een eerste inschatting, voordat je offertes opvraagt. Vul de gele velden in een
spreadsheet in met de formules hieronder.

## Invoer

| Gegeven | Voorbeeld |
| --- | ---: |
| Vermogen (kWp) | 100 |
| Opbrengst per kWp per jaar (kWh) | 900 |
| Investering per kWp (euro) | 800 |
| Vergoeding per kWh (subsidie plus verkoop, euro) | 0,11 |
| Vaste kosten per jaar (euro) | 2.500 |
| Afname opbrengst per jaar | 0,5% |

## Formules

- Jaaropbrengst in kWh = vermogen x opbrengst per kWp
- Inkomsten per jaar = jaaropbrengst x vergoeding per kWh
- Netto kasstroom = inkomsten - vaste kosten
- Eenvoudige terugverdientijd = investering ÷ netto kasstroom

## Uitgewerkt

- Jaaropbrengst: 100 x 900 = 90.000 kWh
- Inkomsten: 90.000 x 0,11 = 9.900 euro
- Netto kasstroom: 9.900 - 2.500 = 7.400 euro
- Investering: 100 x 800 = 80.000 euro
- Terugverdientijd: 80.000 ÷ 7.400 ≈ 10,8 jaar

## Vuistregels

- Ligt de terugverdientijd ruim onder de looptijd van de subsidie (15 jaar), dan is het project kansrijk.
- Reken vaste kosten niet te laag: verzekering, onderhoud, huur van het dak, administratie, meetkosten en een
  reservering voor een nieuwe omvormer na 10 à 15 jaar.
- Reken met een voorzichtige opbrengst. Schaduw van bomen of een oost-westligging scheelt al snel 10 procent.
- Vraag de netbeheerder vroeg of er ruimte is op het net; netcongestie kan een project maanden vertragen.

## Beperkingen

Deze rekenhulp houdt geen rekening met rente, btw, belastingen en inflatie. Gebruik hem om projecten met elkaar te
vergelijken, niet als vervanging van een ondernemingsplan.
""",
    ),
    _article(
        slug="maatschappelijke-impact-meten-in-vijf-indicatoren",
        title="Maatschappelijke impact meten in vijf indicatoren",
        summary="Een lichte methode om te laten zien wat je collectief oplevert, zonder dure onderzoekers. Met vijf "
        "indicatoren die gemeenten en fondsen herkennen.",
        kind="tool",
        themes=("social_cohesion", "liveability"),
        stages=("growth", "established"),
        authors=(4, 11),
        body="""
Fondsen, gemeenten en ministeries vragen steeds vaker: wat levert het op? Met vijf indicatoren kun je dat
laten zien, elk jaar op dezelfde manier.

## De vijf indicatoren

| Indicator | Hoe meet je het? | Bron |
| --- | --- | --- |
| Bereik | Aantal huishoudens dat minstens één keer gebruikmaakte van een activiteit | Deelnemerslijsten |
| Inzet | Aantal vrijwilligers en vrijwillige uren | Urenregistratie of schatting per taak |
| Eigen kracht | Inkomsten uit contributie, omzet en giften als deel van de begroting | Jaarrekening |
| Verbinding | Deel van de deelnemers dat nieuwe mensen leerde kennen | Korte enquête |
| Specifiek effect | Eén cijfer dat bij jullie doel past, zoals kWh, ritten of maaltijden | Eigen registratie |

## Zo werkt het

1. Kies in het bestuur het specifieke effect dat het beste bij jullie doel past.
2. Spreek af wie wat bijhoudt. Maak het zo makkelijk mogelijk: een turflijst bij de koffie is prima.
3. Houd de enquête kort: drie vragen, op papier en online, één keer per jaar.
4. Zet de cijfers naast die van vorig jaar en schrijf er een paar zinnen uitleg bij.
5. Voeg één verhaal toe van een bewoner. Cijfers overtuigen, verhalen blijven hangen.

## Wat kost het?

Reken op één vrijwilliger die er een paar uur per maand aan besteedt. Gebruik dezelfde cijfers voor het
jaarverslag, subsidieaanvragen en de ledenvergadering.

## Valkuilen

- Te veel willen meten. Vijf indicatoren die je echt bijhoudt, zeggen meer dan twintig die half ingevuld zijn.
- Alleen tellen wat makkelijk is. Vraag ook naar wat mensen anders doen of ervaren.
- Claimen wat niet van jou is. Werk je samen, vermeld dan ook de partners.
""",
    ),
    _article(
        slug="model-huishoudelijk-reglement-vereniging",
        title="Model: huishoudelijk reglement voor een buurt- of dorpsvereniging",
        summary="Een modelreglement dat de statuten aanvult met praktische afspraken over lidmaatschap, "
        "vergaderingen, werkgroepen en geld.",
        kind="template",
        themes=("social_cohesion", "liveability"),
        collective_kinds=("village_association", "residents_initiative", "neighbourhood_cooperative"),
        stages=("startup", "growth"),
        authors=(1,),
        body="""
Het huishoudelijk reglement werkt de statuten uit. Het mag niet in strijd zijn met de statuten of de wet. De
algemene ledenvergadering stelt het vast en kan het wijzigen. Pas de tekst tussen haken aan.

## Artikel 1: Lidmaatschap

1. Lid kan worden iedere inwoner van [dorp of wijk] van 16 jaar of ouder.
2. Aanmelden gaat schriftelijk of via de website bij de secretaris.
3. Het lidmaatschap loopt per kalenderjaar en wordt stilzwijgend verlengd.
4. Opzeggen kan tot [1 december] voor het volgende jaar.

## Artikel 2: Contributie

1. De ledenvergadering stelt de contributie jaarlijks vast bij de begroting.
2. Leden betalen de contributie voor [1 maart]. Wie dat niet kan, kan met de penningmeester een regeling
   afspreken; daarover wordt vertrouwelijk gesproken.

## Artikel 3: Bestuur

1. Het bestuur bestaat uit ten minste [drie] leden: een voorzitter, secretaris en penningmeester.
2. Bestuursleden worden benoemd voor [drie] jaar en kunnen twee keer worden herbenoemd.
3. Het bestuur maakt een rooster van aftreden, zodat niet alle bestuursleden tegelijk vertrekken.
4. Uitgaven boven [1.000] euro vragen de handtekening van twee bestuursleden.

## Artikel 4: Ledenvergadering

1. Het bestuur roept de ledenvergadering ten minste [twee] weken van tevoren bijeen, met agenda en stukken.
2. Besluiten vallen bij gewone meerderheid, tenzij de statuten anders bepalen.
3. Een lid kan een ander lid schriftelijk machtigen om namens hem te stemmen; een lid stemt voor hooguit één ander.

## Artikel 5: Werkgroepen

1. Het bestuur kan werkgroepen instellen voor een taak of project, met een eigen budget.
2. Elke werkgroep heeft een contactpersoon die het bestuur op de hoogte houdt.

## Artikel 6: Kascommissie

1. De ledenvergadering benoemt jaarlijks twee leden in de kascommissie die geen bestuurslid zijn.
2. De kascommissie controleert de jaarrekening en brengt verslag uit aan de ledenvergadering.

## Artikel 7: Slot

In gevallen waarin dit reglement niet voorziet, beslist het bestuur.
""",
    ),
    _article(
        slug="sjabloon-vrijwilligersovereenkomst",
        title="Sjabloon: vrijwilligersovereenkomst",
        summary="Een korte, vriendelijke overeenkomst die de afspraken met een vrijwilliger vastlegt: taak, "
        "begeleiding, vergoeding, verzekering en privacy.",
        kind="template",
        themes=("social_cohesion", "care"),
        authors=(8,),
        body="""
Een vrijwilligersovereenkomst is geen arbeidscontract. Het is een manier om verwachtingen helder te maken. Houd
de toon vriendelijk en de tekst kort. Vul de velden tussen haken in.

## Partijen

[Naam organisatie], gevestigd te [plaats], hierna "de organisatie", en [naam vrijwilliger], wonend te [plaats],
hierna "de vrijwilliger".

## 1. Taak

De vrijwilliger helpt bij [omschrijving van de taak], gemiddeld [aantal] uur per [week/maand]. De vrijwilliger
kan de taak in overleg aanpassen of beëindigen.

## 2. Begeleiding

[Naam contactpersoon] is het vaste aanspreekpunt. Twee keer per jaar is er een gesprek over hoe het gaat.

## 3. Vergoeding

- Gemaakte kosten worden vergoed op basis van bonnetjes, na overleg vooraf.
- [Indien van toepassing] De vrijwilliger ontvangt een vrijwilligersvergoeding van [bedrag] euro per [maand],
  binnen de fiscale grenzen.

## 4. Verzekering

De vrijwilliger is tijdens de werkzaamheden verzekerd via [de vrijwilligersverzekering van de gemeente / de
verzekering van de organisatie]. Schade of ongevallen meldt de vrijwilliger direct bij de contactpersoon.

## 5. VOG

[Indien van toepassing] Omdat de vrijwilliger werkt met [kinderen / ouderen / mensen met een beperking], vraagt
de organisatie een Verklaring Omtrent het Gedrag aan. De kosten zijn voor de organisatie.

## 6. Vertrouwelijkheid en privacy

De vrijwilliger gaat vertrouwelijk om met wat hij of zij hoort over deelnemers. De organisatie bewaart de
gegevens van de vrijwilliger alleen zolang dat nodig is en volgens de privacyverklaring.

## 7. Einde

Beide partijen kunnen de overeenkomst op elk moment beëindigen, bij voorkeur met [twee weken] bedenktijd en een
afsluitend gesprek.

Plaats en datum: [ ]

Handtekening organisatie: [ ]  Handtekening vrijwilliger: [ ]
""",
    ),
    _article(
        slug="checklist-cooperatie-oprichten-bij-de-notaris",
        title="Checklist: een coöperatie oprichten bij de notaris",
        summary="Alles wat je moet regelen voor en na de oprichting van een coöperatie, van de statuten tot de "
        "bankrekening en het UBO-register.",
        kind="checklist",
        themes=("local_economy",),
        collective_kinds=_COOPERATIVES,
        stages=("idea", "startup"),
        authors=(6,),
        body="""
Een coöperatie is een vereniging die bij notariële akte wordt opgericht. Je hebt minstens twee oprichters nodig.

## Voor de notaris

- [ ] Doel van de coöperatie, in een paar zinnen: welke stoffelijke behoeften van de leden ga je vervullen?
- [ ] Naam, met "coöperatie" erin, en de vestigingsplaats.
- [ ] Keuze voor aansprakelijkheid: U.A. (uitgesloten), B.A. (beperkt) of W.A. (wettelijk). Bijna alle
      burgercoöperaties kiezen U.A.
- [ ] Wie worden de eerste bestuurders? Vraag hun gegevens en een kopie van hun identiteitsbewijs op.
- [ ] Hoe worden leden toegelaten, en kunnen ook niet-leden klant zijn?
- [ ] Regeling voor belet en ontstentenis van het bestuur (verplicht sinds de WBTR).
- [ ] Bestemming van winst en van een batig saldo bij opheffing.
- [ ] Vraag modelstatuten op bij een koepelorganisatie; dat scheelt notariskosten.
- [ ] Vraag twee of drie notarissen om een offerte; prijzen lopen flink uiteen.

## Bij de notaris

- [ ] Bespreek het concept van de statuten met alle oprichters voordat je tekent.
- [ ] Alle oprichters tekenen de akte, of laten zich bij volmacht vertegenwoordigen.

## Na de oprichting

- [ ] Inschrijving in het Handelsregister van de KvK (de notaris regelt dit meestal).
- [ ] UBO's registreren; bij de meeste coöperaties zijn dat de bestuurders.
- [ ] Zakelijke bankrekening openen.
- [ ] Btw: aanmelden bij de Belastingdienst als de coöperatie leveringen of diensten verkoopt.
- [ ] Verzekeringen: aansprakelijkheid, en eventueel bestuurdersaansprakelijkheid.
- [ ] Huishoudelijk reglement opstellen en laten vaststellen in de eerste ledenvergadering.
- [ ] Ledenregister opzetten, met een privacyverklaring.
- [ ] Een eenvoudige boekhouding inrichten en een kascommissie benoemen.
""",
    ),
    _article(
        slug="checklist-algemene-ledenvergadering-voorbereiden",
        title="Checklist: de algemene ledenvergadering voorbereiden",
        summary="Een jaarlijkse ledenvergadering die klopt met de statuten, en waar leden ook nog graag naartoe komen.",
        kind="checklist",
        themes=("social_cohesion",),
        stages=("growth", "established"),
        authors=(1, 9),
        body="""
De algemene ledenvergadering (ALV) is het hoogste orgaan van een vereniging of coöperatie. Goed voorbereid is het
ook een feestje van de club.

## Zes weken van tevoren

- [ ] Datum en locatie vastleggen; kies een tijd die ook werkende ouders past.
- [ ] Statuten nalezen: termijn voor de oproep, quorum, wie mag stemmen, en mag er digitaal vergaderd worden?
- [ ] Jaarverslag en jaarrekening afronden.
- [ ] Kascommissie inplannen om de jaarrekening te controleren.
- [ ] Rooster van aftreden bekijken: welke bestuursleden treden af, wie stelt zich herkiesbaar en zijn er
      kandidaten?

## Drie weken van tevoren

- [ ] Oproep versturen met agenda, jaarverslag, jaarrekening, begroting en voorstellen.
- [ ] Leden uitnodigen om vooraf vragen te stellen.
- [ ] Volmachtformulier meesturen.

## Een vaste agenda

1. Opening en vaststellen van de agenda
2. Notulen van de vorige vergadering
3. Jaarverslag
4. Jaarrekening en verslag van de kascommissie; decharge van het bestuur
5. Begroting en contributie voor het komende jaar
6. Bestuursverkiezing
7. Plannen en voorstellen
8. Rondvraag en sluiting

## Op de avond

- [ ] Presentielijst en volmachten bijhouden.
- [ ] Iemand die notuleert, en iemand die de tijd bewaakt.
- [ ] Iets om te vieren: een presentatie van een geslaagd project, een bedankje voor vrijwilligers.

## Daarna

- [ ] Notulen binnen vier weken naar de leden.
- [ ] Wijzigingen in het bestuur doorgeven aan de KvK.
- [ ] Besluiten en nieuwe taken verdelen.
""",
    ),
    _article(
        slug="checklist-buurtfeest-of-evenement-organiseren",
        title="Checklist: een buurtfeest of evenement organiseren",
        summary="Van vergunning tot opruimploeg: alles om een veilig en gezellig buurtfeest te organiseren.",
        kind="checklist",
        themes=("culture", "social_cohesion"),
        collective_kinds=("residents_initiative", "village_association", "neighbourhood_cooperative"),
        authors=(7,),
        body="""
## Drie maanden van tevoren

- [ ] Werkgroep van minstens vier mensen; wijs een eindverantwoordelijke aan.
- [ ] Datum kiezen en checken of er die dag niets anders in de buurt is.
- [ ] Bij de gemeente navragen of een melding volstaat of dat een evenementenvergunning nodig is. Dat hangt af van
      het aantal bezoekers, muziek, het afsluiten van de straat en de schenktijden.
- [ ] Begroting maken en financiering zoeken: buurtbudget, een lokaal fonds, sponsoring door de bakker.

## Zes weken van tevoren

- [ ] Vergunning of melding indienen; voor het afsluiten van een straat is vaak een verkeersbesluit nodig.
- [ ] Drank schenken? Voor alcohol is meestal een ontheffing nodig, met iemand die een verklaring sociale
      hygiëne heeft of een cursus heeft gevolgd.
- [ ] Verzekering: check de vrijwilligersverzekering van de gemeente en de aansprakelijkheidsverzekering van
      de vereniging.
- [ ] Programma rond maken: iets voor kinderen, voor ouderen en voor nieuwe buren.

## Twee weken van tevoren

- [ ] Uitnodiging in de bus bij alle adressen, ook bij mensen die je nog niet kent.
- [ ] Buren die overlast kunnen hebben persoonlijk informeren.
- [ ] Rooster van vrijwilligers: opbouw, bar, spelletjes, EHBO, afbouw.
- [ ] Materiaal regelen: tafels, partytent, stroom, afvalbakken, toiletten.

## Op de dag

- [ ] EHBO-koffer en een telefoonlijst met contactpersonen.
- [ ] Vluchtwegen en doorgang voor hulpdiensten vrijhouden.
- [ ] Foto's: vraag toestemming, zeker bij kinderen.

## Na afloop

- [ ] Opruimen, ook de zijstraten.
- [ ] Vrijwilligers bedanken.
- [ ] Kort verslag met bonnen naar de financier.
- [ ] Evaluatie: wat houden we, wat doen we volgend jaar anders?
""",
    ),
    _article(
        slug="wooncooperatie-starten-eerste-stappen",
        title="Een wooncoöperatie starten: de eerste stappen",
        summary="In een wooncoöperatie beheren bewoners samen hun woningen. Een overzicht van de route van idee "
        "tot sleuteloverdracht.",
        kind="guide",
        themes=("housing",),
        collective_kinds=("housing_cooperative",),
        stages=("idea", "startup"),
        authors=(2,),
        body="""
In een wooncoöperatie zijn de bewoners samen eigenaar of beheerder van hun woningen. Ze beslissen zelf over
onderhoud, huur en nieuwe bewoners. Sinds 2015 heeft de wooncoöperatie een plek in de Woningwet.

## Twee routes

- **Bestaande huurwoningen overnemen**: huurders van een woningcorporatie nemen samen het beheer of het eigendom
  over. De corporatie moet meewerken.
- **Nieuw bouwen of een gebouw verbouwen**: een groep start een nieuw project, bijvoorbeeld op een kavel van
  de gemeente of in een leegstaand schoolgebouw.

## Stap 1: de groep

Begin met een kerngroep van vijf tot tien huishoudens met een gedeeld beeld. Bespreek vroeg de moeilijke
vragen: hoe beslissen we, wat mag het kosten, hoe gaan we om met verschillende inkomens?

## Stap 2: de plek en het plan

Zoek samen met de gemeente naar locaties. Laat een haalbaarheidsstudie maken: hoeveel woningen, welke
bouwkosten, welke huren. Begeleiders met ervaring in collectief bouwen zijn hier goud waard.

## Stap 3: de financiering

Dit is de lastigste stap. Een typische opbouw:

| Bron | Deel van de investering |
| --- | ---: |
| Hypothecaire lening van een bank | 60-75% |
| Lening of garantie van gemeente, provincie of een landelijk fonds | 10-25% |
| Inbreng van bewoners | 5-10% |
| Achtergestelde leningen van sympathisanten | 0-10% |

Informeer bij gemeente en provincie naar leningen en garantieregelingen voor wooncoöperaties.

## Stap 4: de organisatie

Richt een vereniging of coöperatie op. Leg in de statuten vast dat de woningen betaalbaar blijven, ook na
verkoop van een lidmaatschap; zo voorkom je dat een volgende generatie bewoners de winst opstrijkt.

## Stap 5: bouwen en wonen

Spreek af wie namens de groep met architect en aannemer praat. Denk na over gedeelde ruimtes, zoals een
tuin, een logeerkamer of een werkplaats. En plan tijd in voor het samenleven zelf: dat gaat niet vanzelf.
""",
    ),
    _article(
        slug="dorpswinkel-in-eigen-beheer-westerhoeve",
        title="Dorpswinkel in eigen beheer: de coöperatieve supermarkt van Westerhoeve",
        summary="Een fictief praktijkverhaal over een dorp dat de verdwenen supermarkt terugbracht als coöperatie "
        "met 450 leden en een vaste kern van vrijwilligers.",
        kind="case_study",
        themes=("local_economy", "food", "liveability"),
        collective_kinds=("village_cooperative", "neighbourhood_enterprise"),
        stages=("growth", "established"),
        authors=(11,),
        from_collective_kind="village_cooperative",
        body="""
_Westerhoeve en de Dorpswinkel Westerhoeve zijn verzonnen voor dit voorbeeld._

## De aanleiding

Toen de supermarkt in Westerhoeve (1.400 inwoners) in 2019 sloot, moesten ouderen zonder auto met de bus naar de
stad voor hun boodschappen. De dorpsraad organiseerde een enquête: 70 procent van de huishoudens zou in een
eigen winkel kopen.

## De aanpak

- De dorpsraad richtte een coöperatie op. 450 huishoudens werden lid met een inleg van 100 euro.
- Een groothandel voor kleine supermarkten levert het assortiment en helpt met kassasysteem en inrichting.
- De gemeente verhuurt het oude pand tegen een lage huur voor tien jaar.
- Twee betaalde bedrijfsleiders (samen 1,4 fte) worden ondersteund door 60 vrijwilligers voor de kassa,
  vakkenvullen en bezorging.

## De cijfers

| | Jaar 1 | Jaar 3 |
| --- | ---: | ---: |
| Omzet | 610.000 euro | 780.000 euro |
| Leden | 450 | 520 |
| Vrijwilligers | 60 | 72 |
| Resultaat | -14.000 euro | +9.000 euro |

## Wat werkte

- Een lokaal assortiment: brood van de bakker uit het buurdorp, groente van twee boeren, honing uit het dorp.
- Een koffiehoek in de winkel. De winkel werd een ontmoetingsplek.
- Een bezorgdienst voor ouderen, samen met de zorgcoöperatie.

## Wat lastig was

- Het eerste jaar was verliesgevend; een reserve uit de ledeninleg ving dat op.
- Vrijwilligers roosteren kost veel tijd. Een planningsapp en een vaste roostermaker losten dat op.
- De concurrentie van de supermarkt in de stad blijft. De winkel kiest bewust niet voor de laagste prijs, maar
  voor gemak en ontmoeting.

## Tip van het bestuur

"Begin met de vraag wie er gaat kopen, niet met de inrichting van de winkel. De enquête en de ledenwerving
waren ons beste marktonderzoek."
""",
    ),
    _article(
        slug="elektrische-deelauto-voor-het-dorp",
        title="Een elektrische deelauto voor het dorp",
        summary="Hoe een dorp of wijk samen elektrische deelauto's organiseert: vraag peilen, een model kiezen, "
        "afspraken over gebruik en kosten.",
        kind="guide",
        themes=("mobility", "energy"),
        collective_kinds=("village_cooperative", "energy_cooperative", "residents_initiative", "village_association"),
        stages=("startup", "growth"),
        authors=(10, 0),
        body="""
Een deelauto bespaart huishoudens geld en ruimte, en in combinatie met zonnepanelen rijd je op stroom uit
het eigen dorp. Steeds meer energiecooperaties bieden daarom naast zonnestroom ook deelauto's aan.

## Peil de vraag

Vraag in een korte enquête wie een (tweede) auto zou wegdoen, hoe vaak mensen een auto nodig hebben en voor
welke ritten. Een vuistregel: een deelauto werkt goed vanaf ongeveer 15 tot 25 actieve gebruikers per auto.

## Drie modellen

| Model | Hoe werkt het? | Voor wie? |
| --- | --- | --- |
| Zelf beheren | De coöperatie koopt of leaset de auto's en regelt boekingen | Groepen met veel vrijwilligers |
| Met een aanbieder | Een deelautobedrijf plaatst de auto's, de coöperatie werft gebruikers | Wie snel wil starten |
| Tussenvorm | De coöperatie bezit de auto's, een platform doet boekingen en verzekering | De meeste dorpen |

## Afspraken die je vastlegt

- Tarief per uur en per kilometer, en eventueel een maandelijks abonnement.
- Wat te doen bij schade; wie betaalt het eigen risico?
- Laden: de auto gaat altijd terug aan de laadpaal.
- Schoonmaken en het melden van gebreken.
- Wie mag rijden: leden met een rijbewijs van minimaal een jaar, bijvoorbeeld.

## Kosten en financiering

Een elektrische auto kost in lease of afschrijving, verzekering, onderhoud en laadpaal al snel enkele honderden
euro's per maand. Die kosten moeten uit de ritten komen. Sommige provincies en gemeenten steunen de start met
een subsidie voor de laadpaal of de eerste maanden.

## Tips

- Begin met één auto en breid uit als hij vaak geboekt is.
- Kies een zichtbare, centrale plek, bijvoorbeeld bij het dorpshuis.
- Laat nieuwe gebruikers een proefrit maken met een ervaren gebruiker.
""",
    ),
    _article(
        slug="buurtbus-op-vrijwilligers-ellerveld",
        title="Buurtbus op vrijwilligers: de lijn naar het ziekenhuis",
        summary="Een fictief praktijkverhaal over een dorpsvereniging die met vrijwillige chauffeurs een buurtbus "
        "en een belbus laat rijden.",
        kind="case_study",
        themes=("mobility", "care"),
        collective_kinds=("village_association", "residents_initiative"),
        stages=("established",),
        authors=(3,),
        from_collective_kind="village_association",
        body="""
_De Buurtbusvereniging Ellerveld-Hoogmade is verzonnen voor dit voorbeeld._

## Het begin

Toen de vervoerder de busverbinding tussen Ellerveld en de stad in 2012 schrapte, zat een deel van de ouderen
zonder vervoer naar het ziekenhuis. De dorpsvereniging sprak met de provincie en de vervoerder over een
buurtbus: een kleine bus met acht zitplaatsen, gereden door vrijwilligers.

## Hoe het werkt

- De vervoerder levert de bus, regelt verzekering, onderhoud en kaartverkoop, en betaalt de brandstof.
- De provincie betaalt mee als onderdeel van het openbaar vervoer.
- De vereniging werft, roostert en begeleidt de chauffeurs. Die hebben een rijbewijs B en een medische keuring.
- Op werkdagen rijdt de bus elk uur, van 7 tot 19 uur.

Naast de vaste lijn rijdt een **belbus** voor ritten naar de huisarts en de fysiotherapeut, op afspraak.

## De mensen

De vereniging heeft 42 chauffeurs, de meesten tussen 60 en 75 jaar oud. Elke chauffeur rijdt gemiddeld twee
diensten per maand. Een planner maakt het rooster; invallers staan op een aparte lijst.

## Wat goed ging

- De bus werd een ontmoetingsplek; chauffeurs kennen hun passagiers.
- Door de provincie en de vervoerder ligt het financiële risico niet bij de vereniging.

## Aandachtspunten

- Nieuwe, jongere chauffeurs vinden is lastig. De vereniging werft nu ook onder mensen die net met pensioen
  gaan, via de werkgevers in de regio.
- Sommige passagiers hebben hulp nodig bij instappen. Chauffeurs kregen een training van de
  thuiszorgorganisatie.

## In cijfers

| | |
| --- | ---: |
| Ritten per jaar (lijn) | 14.000 |
| Ritten per jaar (belbus) | 2.300 |
| Chauffeurs | 42 |
""",
    ),
    _article(
        slug="voedselbos-of-pluktuin-beginnen",
        title="Een voedselbos of pluktuin beginnen",
        summary="Van braakliggend veldje naar een buurtvoedselbos: grond vinden, ontwerpen, planten en het beheer "
        "met vrijwilligers organiseren.",
        kind="guide",
        themes=("food", "nature_and_green"),
        collective_kinds=("food_collective", "residents_initiative", "neighbourhood_cooperative"),
        stages=("idea", "startup"),
        authors=(8,),
        body="""
Een voedselbos is een aangeplant bos met eetbare bomen, struiken en planten in lagen, van notenbomen tot
aardbeien. Het vraagt na een paar jaar weinig onderhoud en is goed voor de biodiversiteit. Een pluktuin is
kleiner en sneller productief.

## 1. Grond

- Vraag de gemeente naar snippergroen, braakliggende kavels of parkranden. Veel gemeenten geven grond in
  bruikleen of tegen een symbolische huur.
- Een boer, kerk of school heeft soms een stuk grond over.
- Leg afspraken over gebruik, looptijd en aansprakelijkheid vast. Een voedselbos heeft tijd nodig: vraag
  minstens tien jaar.
- Laat de bodem onderzoeken op vervuiling, zeker in de stad.

## 2. Ontwerp

- Begin met een rondgang: waar valt zon en schaduw, waar blijft water staan, waar lopen mensen?
- Kies soorten die passen bij bodem en klimaat: hazelaar, walnoot, appel, peer, vlier, bes, kruiden.
- Plan paden, een verzamelplek en een plek voor gereedschap.
- Laat het ontwerp toetsen door iemand met ervaring; fouten met bomen zie je pas na jaren.

## 3. Planten

De beste plantperiode loopt van november tot maart. Maak er een feest van: een plantdag met de buurt en de
school levert vaak ook nieuwe vrijwilligers op.

## 4. Beheer

- Maak een jaarkalender: snoeien in de winter, mulchen in het voorjaar, water geven in droge zomers.
- Verdeel de tuin in vakken met een vaste "peetouder".
- Spreek af hoe de oogst verdeeld wordt: vrij plukken voor iedereen, of eerst voor de vrijwilligers?

## 5. Financiering

Plantmateriaal en gereedschap kosten voor een voedselbos van een halve hectare al snel enkele duizenden euro's.
Natuur- en groenfondsen, het buurtbudget en crowdfunding zijn logische bronnen. Vraag kwekers om korting; ze
vinden zo'n project vaak mooi.
""",
    ),
    _article(
        slug="oogstdelen-csa-tuin-met-120-huishoudens",
        title="Oogstdelen: een CSA-tuin met 120 huishoudens",
        summary="Een fictief praktijkverhaal over een tuin waar huishoudens vooraf een oogstaandeel kopen en een "
        "tuinder een vast inkomen heeft.",
        kind="case_study",
        themes=("food", "local_economy"),
        collective_kinds=("food_collective",),
        stages=("growth",),
        authors=(9,),
        from_collective_kind="food_collective",
        body="""
_Oogsttuin De Wilgenhoek is verzonnen voor dit voorbeeld._

## Het idee

Bij Community Supported Agriculture (CSA), in Nederland ook wel oogstdelen genoemd, betalen deelnemers aan
het begin van het seizoen voor een aandeel in de oogst. De tuinder heeft zo zekerheid, en de deelnemers delen
in goede en slechte jaren.

## Hoe De Wilgenhoek werkt

- Op 1,2 hectare verbouwt een tuinder ruim veertig soorten groente en kruiden.
- 120 huishoudens betalen per seizoen (april tot december) 420 euro voor een heel aandeel of 260 euro voor een
  half aandeel.
- Deelnemers oogsten twee keer per week zelf, volgens een bord dat aangeeft wat en hoeveel.
- De tuin is een vereniging; de tuinder is in dienst van de vereniging.

## De begroting

| Post | Per jaar |
| --- | ---: |
| Bijdragen deelnemers | 45.000 euro |
| Loon tuinder (0,8 fte) | 34.000 euro |
| Zaden, planten, mest | 5.500 euro |
| Pacht, water, verzekering | 4.000 euro |
| Reservering gereedschap | 1.500 euro |

## Wat werkte

- Een solidariteitsregeling: wie meer kan betalen, betaalt 10 procent extra, zodat anderen met korting
  mee kunnen doen.
- Werkdagen met de deelnemers, drie keer per seizoen. Die leveren veel hulp en veel gezelligheid op.
- Een wachtlijst, zodat vertrekkende deelnemers snel worden vervangen.

## Wat lastig was

- Het eerste seizoen was te ambitieus: te veel soorten, te weinig handen. Nu teelt de tuinder minder soorten
  in grotere hoeveelheden.
- Deelnemers die op vakantie gaan, laten hun aandeel liggen. Een deelsysteem met buren loste dat op.

## Tip

Betrek de tuinder vanaf het begin bij het bestuur. Het is zijn of haar bestaan.
""",
    ),
    _article(
        slug="groen-beheren-in-je-wijk-groenadoptie",
        title="Groen beheren in je wijk: groenadoptie en bewonersbeheer",
        summary="Hoe bewoners het beheer van plantsoenen, boomspiegels en parkjes overnemen, en welke afspraken je "
        "met de gemeente maakt.",
        kind="guide",
        themes=("nature_and_green", "liveability"),
        collective_kinds=("residents_initiative", "neighbourhood_cooperative", "village_association"),
        stages=("idea", "startup"),
        authors=(6, 4),
        body="""
Veel gemeenten laten bewoners stukjes openbaar groen adopteren. Dat levert mooiere straten, meer biodiversiteit
en contact tussen buren op.

## Drie niveaus

1. **Adopteren**: je onderhoudt een boomspiegel of een plantsoen, de gemeente blijft eigenaar en doet het grote
   werk zoals snoeien van bomen.
2. **Ontwerpen en beheren**: je richt een stuk groen opnieuw in, bijvoorbeeld met inheemse planten, en
   onderhoudt het.
3. **Overnemen met budget**: een buurtcollectief neemt het onderhoud van een heel park over, met het budget dat
   de gemeente ervoor uittrekt. Zie ook het artikel over het uitdaagrecht.

## Afspraken met de gemeente

- Welk stuk groen, precies? Een kaartje voorkomt misverstanden.
- Wat mag je veranderen, en wat niet (kabels en leidingen in de grond, zichtlijnen voor verkeer)?
- Wie levert planten, compost en gereedschap, en wie voert groenafval af?
- Ben je verzekerd tijdens het werk? Vaak via de vrijwilligersverzekering van de gemeente.
- Hoe lang loopt de afspraak, en wat gebeurt er als de groep stopt?

## Tips voor het beheer

- Kies planten die weinig water nodig hebben en bloeien voor bijen en vlinders.
- Plan een vaste werkochtend, bijvoorbeeld de eerste zaterdag van de maand, met koffie.
- Zet een bordje bij het groen met wie het onderhoudt en hoe je mee kunt doen.
- Geef kinderen een eigen vak of taak.

## Tegels eruit, groen erin

Combineer groenadoptie met een actie om tegels uit voortuinen te halen. Veel gemeenten helpen daarbij met een
tegelophaaldienst of gratis plantjes. Dat helpt ook tegen wateroverlast bij hevige buien.
""",
    ),
    _article(
        slug="lokaal-fonds-oprichten",
        title="Een lokaal fonds oprichten",
        summary="Een lokaal fonds verzamelt geld in de buurt en geeft het uit aan projecten in de buurt. Zo richt je "
        "er een op en houd je het draaiende.",
        kind="guide",
        themes=("local_economy", "social_cohesion"),
        collective_kinds=("local_fund",),
        stages=("idea", "startup"),
        authors=(5, 7),
        from_collective_kind="local_fund",
        body="""
Een lokaal fonds, ook wel dorpsfonds of buurtfonds, verzamelt geld van inwoners, ondernemers en organisaties en
verdeelt dat over kleine projecten in de buurt. Het fonds is vaak de eerste financier van een initiatief.

## Waar komt het geld vandaan?

- Jaarlijkse donaties van inwoners ("Vrienden van het fonds").
- Een deel van de opbrengst van een energiecoöperatie of windpark in de buurt; omgevingsfondsen van windparken
  zijn een bekende bron.
- Legaten en schenkingen.
- Acties zoals een jaarlijkse veiling of loop.

## Rechtsvorm en ANBI

Een stichting is de gebruikelijke vorm. Vraag de ANBI-status aan, zodat donateurs hun giften kunnen aftrekken en
het fonds geen schenkbelasting betaalt. Dat vraagt wel om een beleidsplan en openheid over bestuur en
financiën op de website.

## Spelregels voor toekenning

Stel vooraf eenvoudige regels op en publiceer die:

- Wie mag aanvragen: inwoners, verenigingen, scholen?
- Welk maximumbedrag, en hoeveel keer per jaar?
- Welke criteria: voor de buurt, met draagvlak, met eigen inzet?
- Wat het fonds niet betaalt, zoals structurele loonkosten of activiteiten met winstoogmerk.

Laat een kleine commissie van drie of vier inwoners beslissen, niet het bestuur alleen, en zorg dat leden zich
terugtrekken bij een aanvraag waar ze zelf bij betrokken zijn.

## Snel en eenvoudig

Het grootste voordeel van een lokaal fonds is snelheid. Een aanvraagformulier van één pagina en een besluit
binnen vier weken maken het verschil met grotere fondsen.

## Laat zien wat het oplevert

Publiceer elk jaar welke projecten steun kregen, met een foto en een paar zinnen. Dat is de beste reclame voor
nieuwe donateurs.
""",
    ),
    _article(
        slug="dorpshuis-exploiteren-zonder-verlies",
        title="Het dorpshuis exploiteren zonder verlies",
        summary="Hoe een dorpshuis of buurthuis financieel gezond blijft: de inkomstenbronnen, de kosten en de "
        "keuzes die het bestuur moet maken.",
        kind="guide",
        themes=("liveability", "culture", "social_cohesion"),
        collective_kinds=("village_association", "village_cooperative", "neighbourhood_cooperative"),
        stages=("growth", "established"),
        authors=(11, 1),
        body="""
Het dorpshuis is in veel kleine kernen de laatste gemeenschappelijke voorziening. Het beheer rust meestal op een
stichting met vrijwilligers, en de exploitatie is een jaarlijkse zorg.

## Inkomsten

| Bron | Tip |
| --- | --- |
| Zaalverhuur aan verenigingen | Vaste tarieven per dagdeel, jaarlijks geïndexeerd |
| Verhuur voor feesten en uitvaarten | Een aparte, hogere prijs dan voor dorpsverenigingen |
| Bar en catering | Meestal de grootste bron; let op vergunningen |
| Vaste huurders | Fysiotherapeut, consultatiebureau, bibliotheekpunt |
| Exploitatiesubsidie gemeente | Maak meerjarige afspraken |
| Vriendenclub | Inwoners die jaarlijks een vast bedrag geven |

## Kosten

De grootste kostenposten zijn energie, onderhoud en verzekeringen. Isoleren en zonnepanelen verdienen zich vaak
snel terug; vraag naar regelingen voor verduurzaming van maatschappelijk vastgoed bij gemeente en provincie.
Maak een meerjarenonderhoudsplan, zodat een nieuw dak of een nieuwe cv-ketel geen verrassing is.

## Keuzes voor het bestuur

- **Openingstijden**: elke dag open kost vrijwilligers; een vaste weekplanning met twee drukke dagen werkt vaak
  beter.
- **Beheerder**: een betaalde beheerder voor een paar uur per week ontlast vrijwilligers, maar moet betaald worden
  uit extra verhuur.
- **Samenwerken**: met school, zorg en bibliotheek samen één gebouw exploiteren spreidt de kosten.

## Signalen dat het misgaat

- Twee jaar op rij een tekort.
- De reserve voor groot onderhoud wordt aangesproken voor gewone kosten.
- Steeds dezelfde vijf vrijwilligers doen alles.

Ga dan tijdig in gesprek met de gemeente en het dorp. Een dorpsavond over de toekomst van het dorpshuis levert
vaak nieuwe ideeën en nieuwe handen op.
""",
    ),
    _article(
        slug="btw-en-vennootschapsbelasting-voor-een-energiecooperatie",
        title="Btw en vennootschapsbelasting voor een energiecoöperatie",
        summary="Een energiecoöperatie die stroom levert, is btw-ondernemer en valt onder de "
        "vennootschapsbelasting. Wat dat betekent en waar je op moet letten.",
        kind="regulation_explainer",
        themes=("energy", "local_economy"),
        collective_kinds=("energy_cooperative",),
        stages=("startup", "growth"),
        authors=(10,),
        body="""
Belastingen zijn voor veel besturen van een energiecoöperatie een ver-van-mijn-bedshow, tot de eerste aangifte.
Een overzicht van de hoofdlijnen; laat de uitwerking altijd controleren door een adviseur.

## Btw

Een energiecoöperatie die opgewekte stroom verkoopt aan een energieleverancier, drijft een onderneming voor de
btw. Dat betekent:

- de coöperatie meldt zich aan bij de Belastingdienst en krijgt een btw-identificatienummer;
- over de verkochte stroom wordt btw berekend;
- de btw op de investering, zoals panelen, omvormers en installatie, kan de coöperatie terugvragen. Bij een
  investering van tonnen is dat een flink bedrag, dus regel dit vóór de aanschaf.

Houd verschillende activiteiten goed uit elkaar: voor voorlichting of buurtactiviteiten zonder vergoeding kun je
de btw op kosten meestal niet aftrekken.

## Vennootschapsbelasting

Een coöperatie valt onder de vennootschapsbelasting, net als een bv. Over de winst betaalt zij dus belasting. In
de praktijk is de fiscale winst in de eerste jaren vaak laag of negatief, omdat de panelen worden afgeschreven.

Let op het verschil met stichtingen en verenigingen: die betalen alleen vennootschapsbelasting als zij een
onderneming drijven, en kennen een vrijstelling voor kleine winsten. Voor coöperaties geldt die vrijstelling
niet.

## Uitkeringen aan leden

Keert de coöperatie winst uit aan leden, dan kan dat gevolgen hebben voor de leden zelf, bijvoorbeeld in box 3.
Leg in de jaarlijkse ledeninformatie uit wat leden moeten opgeven.

## Administratie

- Houd een aparte administratie bij per project.
- Bewaar de administratie zeven jaar.
- Plan de aangiftes in de jaarkalender van de penningmeester.

## Energiecoöperaties en de SCE

De subsidie uit de Subsidieregeling Coöperatieve Energieopwekking is voor de coöperatie een opbrengst. Neem haar
mee in de begroting en de winstberekening.
""",
    ),
    _article(
        slug="vrijwilligersvergoeding-wat-mag-je-betalen",
        title="Vrijwilligersvergoeding: wat mag je betalen?",
        summary="De fiscale regels voor het vergoeden van vrijwilligers: onkostenvergoeding, de vaste "
        "vrijwilligersvergoeding en wanneer een vergoeding loon wordt.",
        kind="regulation_explainer",
        themes=("social_cohesion", "care"),
        authors=(8, 3),
        body="""
Veel vrijwilligers willen niets ontvangen, maar soms is een vergoeding een terecht gebaar of zelfs nodig om
mensen met een kleine beurs mee te laten doen. De Belastingdienst kent twee manieren.

## 1. Vergoeding van werkelijke kosten

Je vergoedt de kosten die een vrijwilliger echt maakt, zoals reiskosten of materialen, op basis van bonnetjes of
een kilometeradministratie. Daar zit geen maximum aan, zolang de kosten echt gemaakt zijn en redelijk zijn.

## 2. Vaste vrijwilligersvergoeding

Je betaalt een vast bedrag zonder bonnetjes. Dat is onbelast zolang het binnen de grenzen blijft. In 2025 was dat
voor vrijwilligers van 21 jaar en ouder:

- maximaal 5 euro per uur;
- maximaal 210 euro per maand;
- maximaal 2.100 euro per jaar.

Voor jongere vrijwilligers is het uurbedrag lager. De bedragen worden regelmatig aangepast; controleer het actuele
maximum bij de Belastingdienst.

## Wanneer is het loon?

Een vergoeding boven de grenzen, of een vergoeding die in verhouding staat tot de prestatie, kan als loon worden
gezien. Dan moet de organisatie loonheffing afdragen en ontstaat mogelijk een arbeidsrelatie. Let daar vooral op
bij een vaste beheerder, coördinator of chauffeur.

## Vrijwilligers met een uitkering

Vrijwilligers met een bijstandsuitkering moeten een vrijwilligersvergoeding melden bij de gemeente. Tot een
bepaald bedrag heeft de vergoeding geen gevolgen voor de uitkering, maar de regels verschillen per uitkering. Wijs
vrijwilligers erop dat ze dit navragen.

## Tips

- Leg in een vrijwilligersbeleid vast wie welke vergoeding krijgt en waarom.
- Registreer per vrijwilliger wat er is uitbetaald.
- Combineer de vaste vergoeding niet ongemerkt met andere betalingen aan dezelfde persoon.
""",
    ),
    _article(
        slug="ubo-register-wie-moet-je-inschrijven",
        title="Het UBO-register: wie moet je inschrijven?",
        summary="Verenigingen, stichtingen en coöperaties moeten hun uiteindelijk belanghebbenden registreren. Bij "
        "de meeste burgercollectieven zijn dat de bestuurders.",
        kind="regulation_explainer",
        themes=("local_economy", "digital"),
        stages=("startup", "growth", "established"),
        authors=(9,),
        body="""
## Wat is het UBO-register?

UBO staat voor ultimate beneficial owner, de uiteindelijk belanghebbende. Het register is onderdeel van het
Handelsregister van de KvK en is bedoeld om witwassen en terrorismefinanciering tegen te gaan. Sinds een
uitspraak van het Europese Hof in 2022 is het register niet meer vrij in te zien door iedereen, maar de plicht
om in te schrijven bleef.

## Wie moet inschrijven?

Onder meer verenigingen met volledige rechtsbevoegdheid, coöperaties, stichtingen en bv's. Een vereniging
zonder notariële statuten moet het doen als ze een onderneming drijft; vraag het bij twijfel na bij de KvK.

## Wie is de UBO?

Een UBO is iemand die meer dan 25 procent eigendom of zeggenschap heeft, of op een andere manier feitelijk de
dienst uitmaakt.

- **Stichting**: vaak is er niemand met meer dan 25 procent zeggenschap. Dan schrijf je de bestuurders in als
  "pseudo-UBO".
- **Vereniging of coöperatie**: bij een ledenorganisatie met veel leden heeft niemand meer dan 25 procent van de
  stemmen. Ook dan worden de bestuurders als pseudo-UBO ingeschreven.
- Heeft één lid wel meer dan 25 procent van de stemmen, bijvoorbeeld bij een kleine coöperatie met drie leden,
  dan is dat lid UBO.

## Hoe doe je het?

Een bestuurder schrijft de UBO's online in via de KvK, met DigiD of eHerkenning. Je geeft onder meer naam,
geboortedatum, woonland en de aard van het belang op, en levert een document aan dat dat belang onderbouwt,
zoals de statuten.

## Wanneer bijwerken?

Bij elke bestuurswissel. Zet het op de checklist na de ledenvergadering, naast het doorgeven van de nieuwe
bestuurders aan de KvK.

## En een informele groep?

Een groep zonder rechtsvorm en zonder inschrijving bij de KvK heeft geen UBO-plicht. Banken vragen bij het
openen van een rekening wel om vergelijkbare gegevens.
""",
    ),
    _article(
        slug="digicafe-digitale-inclusie-in-de-buurt",
        title="Een digicafé: digitale hulp in de buurt",
        summary="Veel bewoners lopen vast met DigiD, online bankieren of een videogesprek met de huisarts. Zo start "
        "je een wekelijks digicafé met vrijwilligers.",
        kind="guide",
        themes=("digital", "education", "social_cohesion"),
        collective_kinds=(
            "residents_initiative",
            "neighbourhood_cooperative",
            "social_enterprise",
            "village_association",
        ),
        stages=("idea", "startup"),
        authors=(4,),
        body="""
Steeds meer zaken regel je online: de belastingaangifte, een afspraak in het ziekenhuis, toeslagen. Wie dat
niet kan, raakt achter. Een digicafé is een laagdrempelige plek waar buurtbewoners met vragen terechtkunnen.

## Opzet

- **Plek**: het buurthuis, de bibliotheek of de kantine van de school, met goede wifi.
- **Tijd**: een vast moment, bijvoorbeeld elke dinsdagochtend van 10 tot 12 uur.
- **Vrijwilligers**: twee of drie digimaatjes per ochtend, met geduld en basiskennis.
- **Koffie**: het café is net zo belangrijk als het digi.

## Wat vrijwilligers wel en niet doen

Vrijwilligers leggen uit en kijken mee. Ze doen het niet voor de bezoeker. Spreek af:

- nooit wachtwoorden, pincodes of DigiD-gegevens van bezoekers noteren of onthouden;
- niet zelf inloggen op iemands account;
- geen financieel of juridisch advies geven, maar doorverwijzen naar bijvoorbeeld het Informatiepunt Digitale
  Overheid in de bibliotheek of de sociaal raadslieden.

## Samenwerken

De bibliotheek heeft vaak cursusmateriaal en training voor vrijwilligers. Ook ouderenbonden en welzijnswerk
helpen met werving. Scholieren die een maatschappelijke stage zoeken, zijn vaak goede digimaatjes.

## Apparatuur

Bezoekers nemen hun eigen telefoon of laptop mee. Houd één of twee leenlaptops achter de hand voor wie geen
apparaat heeft. Ingezamelde oude laptops kun je, na het veilig wissen, ook weggeven aan mensen die er een nodig
hebben.

## Meten en verbeteren

Houd bij hoeveel mensen komen en met welke vragen. Zo zie je welke workshops nuttig zijn, bijvoorbeeld "veilig
online bankieren" of "herken nepberichten".
""",
    ),
    _article(
        slug="stakeholderkaart-wie-heb-je-nodig-in-de-gemeente",
        title="Stakeholderkaart: wie heb je nodig in en rond de gemeente?",
        summary="Een werkvorm om in één avond in kaart te brengen welke mensen en organisaties je initiatief kunnen "
        "maken of breken, en hoe je ze benadert.",
        kind="tool",
        themes=("liveability", "social_cohesion"),
        stages=("idea", "startup", "growth"),
        authors=(6,),
        body="""
Een stakeholderkaart helpt een kerngroep om te bepalen met wie ze eerst moet praten. Je hebt een groot vel
papier, post-its en anderhalf uur nodig.

## Stap 1: verzamelen (20 minuten)

Schrijf alle mensen en organisaties op die iets met het initiatief te maken hebben, één per post-it. Denk aan:

- gemeente: wethouder, raadsleden, wijkcoördinator, beleidsmedewerkers, de afdeling vergunningen;
- maatschappelijke partners: woningcorporatie, welzijnsorganisatie, zorgaanbieders, school;
- de buurt: dorpsraad, verenigingen, kerken, ondernemers, de lokale krant;
- geldgevers: fondsen, provincie, bank;
- koepels en netwerken die kennis hebben.

## Stap 2: plaatsen (30 minuten)

Teken een assenkruis. Op de horizontale as: hoeveel invloed heeft deze partij op het slagen? Op de verticale as:
hoe staat deze partij tegenover het initiatief, van tegen tot voor?

| Kwadrant | Betekenis | Aanpak |
| --- | --- | --- |
| Veel invloed, positief | Bondgenoten | Betrek ze actief, vraag om steun |
| Veel invloed, kritisch of onbekend | Sleutelpersonen | Ga eerst met hen in gesprek |
| Weinig invloed, positief | Supporters | Houd ze op de hoogte, vraag om hulp |
| Weinig invloed, kritisch | Aandachtspunt | Luister en neem zorgen serieus |

## Stap 3: plannen (40 minuten)

Kies de vijf belangrijkste post-its. Spreek per post-it af: wie van ons kent iemand daar, wat willen we van
ze, en wanneer nemen we contact op?

## Tips

- Herhaal de oefening elk half jaar; de kaart verandert.
- Schrijf namen op, niet alleen functies. "De gemeente" bestaat niet; mensen wel.
- Wees eerlijk over tegenstanders. Wie je zorgen serieus neemt, wordt soms je beste adviseur.
""",
    ),
    _article(
        slug="sjabloon-subsidieaanvraag-provinciaal-fonds",
        title="Sjabloon: subsidieaanvraag bij een provinciaal of particulier fonds",
        summary="Een opzet voor een projectaanvraag die de vragen van de meeste fondsen beantwoordt, met per "
        "onderdeel een richtlijn voor de lengte.",
        kind="template",
        themes=("local_economy", "liveability"),
        stages=("startup", "growth"),
        authors=(7, 5),
        body="""
Fondsen en provincies gebruiken elk hun eigen formulier, maar de vragen lijken sterk op elkaar. Schrijf de tekst
één keer goed en pas hem per aanvraag aan. Lees altijd eerst de criteria van het fonds.

## 1. Samenvatting (maximaal 150 woorden)

Wie zijn jullie, wat gaan jullie doen, voor wie, wat kost het en welk bedrag vraag je aan?

## 2. De organisatie (maximaal 200 woorden)

- Rechtsvorm, oprichtingsjaar, KvK-nummer en, indien aanwezig, ANBI-status.
- Aantal leden, vrijwilligers en betaalde krachten.
- Twee of drie eerdere resultaten.

## 3. Aanleiding (maximaal 300 woorden)

Welk probleem of welke kans is er, en hoe weet je dat? Gebruik cijfers van de gemeente of CBS en citaten van
bewoners.

## 4. Het project (maximaal 500 woorden)

- Doel: wat is er na afloop anders?
- Activiteiten en planning, in een tabel per kwartaal.
- Doelgroep en bereik, in aantallen.
- Samenwerkingspartners en hun rol.

## 5. Resultaten en meting (maximaal 200 woorden)

Welke resultaten beloof je, en hoe meet je ze? Kies er maximaal vijf.

## 6. Begroting en dekking

| Kosten | Bedrag | Dekking | Bedrag | Status |
| --- | ---: | --- | ---: | --- |
| Materiaal | | Eigen bijdrage | | toegezegd |
| Inhuur | | Gemeente | | aangevraagd |
| Communicatie | | Dit fonds | | aangevraagd |
| Onvoorzien (5%) | | Crowdfunding | | gepland |
| **Totaal** | | **Totaal** | | |

## 7. Continuïteit (maximaal 200 woorden)

Hoe gaat het verder als de subsidie stopt? Fondsen willen zien dat je niet afhankelijk blijft van één bron.

## Bijlagen

Statuten, laatste jaarrekening, begroting van de organisatie, bankafschrift of kopie bankpas en eventueel
steunbetuigingen.
""",
    ),
    _article(
        slug="energie-cooperatie-zonnedorp-van-40-naar-400-leden",
        title="Energie-coöperatie Zonnedorp: van 40 naar 400 leden",
        summary="Een fictief praktijkverhaal over een energiecoöperatie die in zes jaar groeide van één zonnedak "
        "naar vier projecten, een energieloket en een eigen fonds voor het dorp.",
        kind="case_study",
        themes=("energy", "local_economy", "social_cohesion"),
        collective_kinds=("energy_cooperative",),
        stages=("growth",),
        authors=(0, 10),
        from_collective_kind="energy_cooperative",
        body="""
_Energie-coöperatie Zonnedorp en het dorp Oostermeer zijn verzonnen voor dit voorbeeld._

## Het begin

In 2018 richtten veertig inwoners van Oostermeer een energiecoöperatie op. Het eerste project was een zonnedak
van 120 kWp op de stal van een melkveehouder, gefinancierd met participaties van 300 euro.

## De groei

| Jaar | Project | Leden |
| --- | --- | ---: |
| 2018 | Zonnedak melkveebedrijf (120 kWp) | 40 |
| 2020 | Zonnedak sporthal (180 kWp) | 150 |
| 2022 | Energieloket en isolatieacties | 280 |
| 2024 | Zonnedaken school en dorpshuis | 400 |

## Wat de groei mogelijk maakte

- **Een vaste vrijwilliger per project.** Nieuwe projecten kregen een eigen trekker, zodat het bestuur niet
  alles zelf hoefde te doen.
- **Eerlijke communicatie.** Een tegenvallend jaar door een kapotte omvormer werd open besproken op de
  ledenvergadering. Dat gaf vertrouwen.
- **Verbreding.** Met het energieloket hielp de coöperatie ook huurders en mensen zonder geschikt dak, met
  isolatieadvies en gratis radiatorfolie. Daardoor werd de energiecoöperatie van het hele dorp.
- **Samenwerking.** Met andere energiecooperaties in de regio deelt Zonnedorp een administrateur en inkoop.

## Een fonds voor het dorp

Een deel van de opbrengst gaat naar een aparte stichting die projecten in het dorp steunt. Die stichting heeft
de ANBI-status; de coöperatie zelf kan die niet krijgen. Het dorpsfonds steunde onder meer een AED, een
jeugdvoetbaltoernooi en de isolatie van het dorpshuis.

## Lessen

- Begin klein en laat eerst zien dat het werkt.
- Professionaliseer de administratie vroeg; met honderden leden is een spreadsheet niet meer genoeg.
- Netcongestie vertraagde het laatste project met een jaar. Vraag de netbeheerder zo vroeg mogelijk om
  capaciteit.
- Een Energie-coöperatie is ook een sociale organisatie: de jaarlijkse zonnepanelenborrel trekt meer leden dan
  de ledenvergadering.
""",
    ),
    _article(
        slug="wijkbedrijf-opzetten-werk-en-diensten-uit-de-buurt",
        title="Een wijkbedrijf opzetten: werk en diensten uit de buurt",
        summary="Een wijkbedrijf verbindt werk dat in de buurt moet gebeuren met bewoners die werk zoeken. Over het "
        "verdienmodel, opdrachtgevers en begeleiding.",
        kind="guide",
        themes=("local_economy", "social_cohesion", "liveability"),
        collective_kinds=("neighbourhood_enterprise", "social_enterprise", "neighbourhood_cooperative"),
        stages=("idea", "startup"),
        authors=(11, 2),
        body="""
In veel wijken ligt werk voor het oprapen: groenonderhoud, kleine reparaties, schoonmaak van portieken,
boodschappen voor ouderen, catering bij buurtactiviteiten. Tegelijk zoeken bewoners werk, een opstap of een
zinvolle dag. Een wijkbedrijf brengt die twee bij elkaar.

## Het verdienmodel

Een wijkbedrijf verdient geld met opdrachten, niet met subsidie alleen. Mogelijke opdrachtgevers:

- de woningcorporatie: schoonmaak, kleine reparaties, bewonersconsulent;
- de gemeente: groenonderhoud, zwerfafval, beheer van een buurthuis, soms via social return in aanbestedingen;
- zorg- en welzijnsorganisaties: maaltijden, vervoer, klusjes;
- bewoners en ondernemers: een klussendienst of wasserette tegen een buurtprijs.

## Mensen en begeleiding

Wie werkt er? Vaak een mix van betaalde krachten, mensen met een uitkering die werkervaring opdoen en
vrijwilligers. Goede begeleiding is essentieel. Maak afspraken met de gemeente over werkervaringsplekken,
loonkostensubsidie of re-integratietrajecten, zodat begeleiding ook betaald wordt.

## Rechtsvorm

Veel wijkbedrijven zijn een coöperatie van bewoners of een stichting, soms met een bv voor de commerciële
activiteiten. Kies een vorm die past bij wie er zeggenschap moet hebben: de bewoners, de werkenden of een
onafhankelijk bestuur.

## Starten

1. Breng in kaart welk werk er in de wijk is en wie het nu doet.
2. Zoek één of twee vaste opdrachtgevers die het eerste jaar willen garanderen.
3. Begin met twee of drie diensten die je goed kunt leveren.
4. Stel een bedrijfsleider aan die zowel ondernemer als buurtwerker is.
5. Laat resultaten zien: gewerkte uren, mensen die doorstroomden naar betaald werk, tevreden opdrachtgevers.

## Valkuil

Concurreer niet met lokale ondernemers op gewone markten. Werk liever samen, bijvoorbeeld door mensen op te leiden
voor de schilder of hovenier uit de buurt.
""",
    ),
    _article(
        slug="samenwerken-met-de-gemeente-van-subsidie-naar-partnerschap",
        title="Samenwerken met de gemeente: van subsidierelatie naar partnerschap",
        summary="Hoe een burgercollectief een gelijkwaardige partner wordt van de gemeente, met vaste "
        "aanspreekpunten, meerjarige afspraken en wederzijds begrip.",
        kind="guide",
        themes=("liveability", "social_cohesion"),
        stages=("growth", "established"),
        authors=(1, 6),
        body="""
Veel collectieven beginnen als aanvrager van een kleine subsidie. Wie groeit, wil meer: meedenken over beleid,
taken overnemen, meerjarige afspraken. Dat vraagt een andere relatie.

## Begrijp hoe de gemeente werkt

- **Raad en college**: de raad stelt kaders en budgetten vast, het college voert uit. Een idee dat in de
  begroting moet landen, moet vóór de zomer bij raadsleden liggen.
- **Ambtenaren**: zij schrijven de voorstellen. Een goede relatie met één vaste beleidsmedewerker is goud waard.
- **Regels**: subsidieregels, aanbesteding en staatssteun beperken wat een gemeente mag. Vraag wat er wél kan.

## Wat helpt

1. **Eén vast aanspreekpunt** aan beide kanten, met een vast overleg per kwartaal.
2. **Cijfers en verhalen**: laat zien wat het collectief oplevert, in taal die past bij de doelen van het
   gemeentelijke beleid.
3. **Meerjarige afspraken**: een convenant of prestatieafspraak voor drie jaar geeft rust en ruimte om te
   investeren.
4. **Samen leren**: organiseer een werkbezoek voor raadsleden en ambtenaren.
5. **Koepels**: een regionale of landelijke koepel kan helpen met voorbeelden uit andere gemeenten.

## Participatie en de Omgevingswet

Sinds de Omgevingswet in 2024 in werking trad, moeten initiatiefnemers bij een aanvraag laten weten of en hoe ze
omwonenden hebben betrokken. Gemeenten leggen in hun participatiebeleid vast hoe inwoners meedoen. Collectieven
kunnen hier een rol spelen als gesprekspartner of als organisator van participatie.

## Wanneer het schuurt

- De gemeente vraagt te veel verantwoording voor kleine bedragen. Stel voor om verantwoording te laten aansluiten
  bij wat je toch al meet.
- Beleid verandert na verkiezingen. Zorg voor draagvlak bij meerdere partijen.
- Het collectief wordt gezien als goedkope uitvoerder. Benoem de eigen waarde: zeggenschap van bewoners en
  verbinding in de buurt.
""",
    ),
    _article(
        slug="ledenadministratie-in-een-spreadsheet",
        title="Ledenadministratie in een spreadsheet: kolommen en afspraken",
        summary="Een eenvoudige, AVG-bewuste opzet voor de ledenadministratie van een kleine vereniging of "
        "coöperatie, met de kolommen die je echt nodig hebt.",
        kind="tool",
        themes=("digital",),
        collective_kinds=(
            "village_association",
            "residents_initiative",
            "neighbourhood_cooperative",
            "food_collective",
        ),
        stages=("idea", "startup"),
        authors=(9,),
        body="""
Tot een paar honderd leden is een goed opgezette spreadsheet vaak genoeg. Daarboven is een ledenadministratiepakket
handiger. Deze opzet helpt om het vanaf het begin goed te doen.

## De kolommen

| Kolom | Waarom |
| --- | --- |
| Lidnummer | Een vast, uniek nummer; nooit hergebruiken |
| Voornaam, achternaam | Voor aanschrijven en de presentielijst |
| Adres, postcode, plaats | Voor de postcoderoos of het werkgebied |
| E-mailadres | Voor uitnodigingen en nieuwsbrief |
| Telefoon (optioneel) | Alleen als je het gebruikt |
| Datum lid sinds | Voor jubilea en stemrecht |
| Contributie betaald (per jaar) | Eén kolom per jaar |
| Toestemming foto's | Ja/nee, met datum |
| Datum opzegging | Leeg zolang iemand lid is |

Bankrekeningnummers voor automatische incasso bewaar je bij voorkeur alleen in de bankomgeving of het
incassosysteem, niet in de spreadsheet.

## Afspraken

- **Eén bron**: er is één ledenlijst, in een gedeelde map met toegangsbeheer. Geen kopieën in mailboxen.
- **Wie heeft toegang**: secretaris en penningmeester. Anderen krijgen alleen een uittreksel als ze het nodig
  hebben, bijvoorbeeld een lijst met namen voor de presentielijst.
- **Tweestapsverificatie** op het account waarin de lijst staat.
- **Opschonen**: één keer per jaar, na de ledenvergadering. Oud-leden verwijderen na twee jaar, behalve wat voor de
  boekhouding moet blijven.
- **Wijzigingen**: leden geven wijzigingen door aan de secretaris, die ze binnen twee weken verwerkt.

## Handige formules

- Aantal actieve leden: tel de rijen zonder datum van opzegging.
- Openstaande contributie: filter op leden zonder betaling in de kolom van dit jaar.

## Overstappen

Groeit de vereniging, exporteer de lijst dan naar een pakket. Maak met de leverancier een verwerkersovereenkomst
en verwijder daarna de oude spreadsheet.
""",
    ),
    _article(
        slug="taalcafe-of-huiswerkbegeleiding-opzetten",
        title="Een taalcafé of huiswerkbegeleiding opzetten",
        summary="Hoe bewoners met vrijwilligers een wekelijks taalcafé of huiswerkclub organiseren, samen met "
        "school, bibliotheek en welzijnswerk.",
        kind="guide",
        themes=("education", "social_cohesion"),
        collective_kinds=("residents_initiative", "neighbourhood_cooperative", "social_enterprise"),
        stages=("idea", "startup"),
        authors=(3, 4),
        body="""
Een taalcafé helpt nieuwkomers en anderstaligen om Nederlands te oefenen in een ontspannen sfeer. Een
huiswerkclub helpt kinderen die thuis weinig ondersteuning krijgen. Beide draaien goed op vrijwilligers uit de
buurt.

## Taalcafé

- **Vorm**: een vaste avond of ochtend per week, aan tafels van vier tot zes mensen met één vrijwilliger.
- **Onderwerpen**: alledaagse situaties, zoals de huisarts bellen, een gesprek met de leraar of boodschappen
  doen. Een thema per week helpt.
- **Niveau**: het taalcafé is geen cursus. Deelnemers die les willen, verwijs je naar het taalhuis of de
  bibliotheek.
- **Vrijwilligers**: je hoeft geen docent te zijn. Geduld, luisteren en langzaam praten zijn belangrijker.

## Huiswerkclub

- **Samen met school**: vraag leerkrachten welke kinderen baat hebben bij begeleiding en wat ze oefenen.
- **Vaste begeleiders**: kinderen hebben baat bij een vast gezicht. Vraag vrijwilligers zich voor een
  schooljaar te binden.
- **VOG**: vrijwilligers die met kinderen werken, hebben een Verklaring Omtrent het Gedrag nodig. Via de regeling
  Gratis VOG is die vaak kosteloos.
- **Ouders**: nodig ouders een paar keer per jaar uit. Zo leren zij wat hun kind doet en hoe ze thuis kunnen
  helpen.

## Praktisch

- Een rustige ruimte met tafels, wifi en een paar laptops.
- Koffie, thee en iets lekkers; voor kinderen fruit.
- Een eenvoudige registratie van deelnemers, met aandacht voor privacy.

## Financiering

De kosten zijn laag: ruimte, materiaal en een vrijwilligersuitje. Gemeenten, lokale fondsen en het
onderwijsbudget van een school dragen vaak bij. Een taalcafé kan ook samenwerken met werkgevers die nieuwkomers
in dienst hebben.

## Effect laten zien

Tel deelnemers en bijeenkomsten, en vraag twee keer per jaar wat deelnemers nu beter kunnen dan eerst. Een
uitspraak als "ik bel nu zelf de huisarts" zegt meer dan een cijfer.
""",
    ),
    _article(
        slug="dorpsfestival-door-en-voor-bewoners",
        title="Een dorpsfestival door en voor bewoners",
        summary="Een fictief voorbeeld van een jaarlijks cultuurfestival dat volledig door vrijwilligers wordt "
        "georganiseerd, met de begroting en de lessen van tien edities.",
        kind="case_study",
        themes=("culture", "social_cohesion", "liveability"),
        collective_kinds=("village_association", "residents_initiative"),
        stages=("established",),
        authors=(7,),
        from_collective_kind="village_association",
        body="""
_Festival Op 't Erf in het dorp Hoogmade is verzonnen voor dit voorbeeld._

## Het festival

Eén weekend per jaar verandert het dorp in een podium. Op boerenerven, in de kerk en in huiskamers treden muzikanten,
dichters en toneelgroepen op. Ruim de helft van de artiesten komt uit de regio. Het festival trekt zo'n 3.000
bezoekers.

## De organisatie

- Een stichting met vijf bestuursleden en een programmeringsgroep van zes mensen.
- 150 vrijwilligers, van kinderen die flyers rondbrengen tot ouderen die de kassa doen.
- Erfeigenaren stellen hun erf gratis beschikbaar en krijgen een vrijwilligersdiner.

## De begroting

| Inkomsten | | Uitgaven | |
| --- | ---: | --- | ---: |
| Kaartverkoop | 38.000 | Artiesten | 32.000 |
| Bar en eten | 21.000 | Techniek en tenten | 18.000 |
| Fondsen en gemeente | 12.000 | Vergunningen en beveiliging | 6.000 |
| Sponsors uit het dorp | 8.000 | Communicatie | 5.000 |
| | | Vrijwilligers en reserve | 18.000 |
| **Totaal** | **79.000** | **Totaal** | **79.000** |

## Lessen uit tien edities

- **Het dorp eerst.** Bewoners krijgen korting en een voorverkoop. Dat houdt het draagvlak hoog.
- **Een reserve.** Een regenachtige editie kostte eens 15.000 euro. Sindsdien gaat elk jaar geld naar een
  reserve en zijn er tenten voor de grootste podia.
- **Overdracht.** Elk bestuurslid heeft een schaduw die het werk leert. Zo kon de oprichter na acht jaar stoppen
  zonder dat het festival wankelde.
- **Vergunningen op tijd.** De evenementenvergunning wordt een half jaar van tevoren aangevraagd, na overleg
  met gemeente, brandweer en politie.

## Meer dan een festival

De jaarlijkse voorbereiding zorgt ervoor dat nieuwe inwoners snel mensen leren kennen. Meerdere vrijwilligers
zijn later in het bestuur van de dorpsvereniging of het dorpshuis terechtgekomen.
""",
    ),
    _article(
        slug="starting-a-community-energy-cooperative-in-the-netherlands",
        title="Starting a community energy cooperative in the Netherlands",
        summary="An overview for newcomers and international residents who want to join or start a Dutch "
        "energiecoöperatie: how it works, what the SCE subsidy does and what to expect.",
        kind="guide",
        themes=("energy",),
        collective_kinds=("energy_cooperative", "residents_initiative"),
        stages=("idea", "startup"),
        language="en",
        authors=(10,),
        body="""
The Netherlands has hundreds of community energy cooperatives (*energiecoöperaties*). Residents jointly own
solar roofs, solar parks or wind turbines and share the proceeds. This guide explains the basics for people who
do not (yet) read Dutch regulations comfortably.

## How it works

A cooperative (*coöperatie U.A.*) is set up by a notary and registered with the Chamber of Commerce (KvK). The
"U.A." means members are not liable for the cooperative's debts. Members buy shares in a project, often a few
hundred euros each, and receive a return from the sale of the electricity.

## The SCE subsidy

Since 2021 the national *Subsidieregeling Coöperatieve Energieopwekking* (SCE), run by the Netherlands
Enterprise Agency (RVO), pays cooperatives a subsidy per kWh for 15 years. Members must live in the *postcoderoos*:
the four-digit postcode area of the installation and the areas bordering it. Conditions change, so always check
the current rules on rvo.nl.

## Steps

1. Find a core team and a suitable roof, for example a sports hall or a farm building.
2. Talk to an existing energy cooperative nearby; most are happy to share their experience.
3. Set up the cooperative with model articles of association from an umbrella organisation.
4. Check grid capacity with the network operator early. Grid congestion is a real bottleneck.
5. Recruit members with information evenings and door-to-door visits.
6. Apply for the SCE, sign the roof lease and order the installation.

## Tips for international residents

- Information evenings are usually in Dutch, but organisers are often happy to answer questions in English.
- Many cooperatives welcome help with communication, finance or technology. Volunteering is a good way to get to
  know your neighbours.
- Shares are an investment with risk; read the information document before you buy.
""",
    ),
    _article(
        slug="legal-forms-for-dutch-citizen-collectives",
        title="Legal forms for Dutch citizen collectives: association, cooperative or foundation?",
        summary="A comparison of the legal forms Dutch citizen collectives use, with what each means for members, "
        "liability, funding and tax.",
        kind="regulation_explainer",
        themes=("local_economy", "social_cohesion"),
        stages=("idea", "startup"),
        language="en",
        authors=(5,),
        body="""
Many citizen collectives start informally: a group of neighbours with a shared plan. Once money, contracts or
employees are involved, a legal entity becomes important. Dutch law offers three common options.

| | Association (*vereniging*) | Cooperative (*coöperatie*) | Foundation (*stichting*) |
| --- | --- | --- | --- |
| Members | Yes | Yes | No |
| Highest body | General meeting | General meeting | Board |
| Notary needed | For full legal capacity | Always | Always |
| Profit distribution | Not to members | Allowed | Not allowed |
| Public-benefit status (ANBI) | Possible | In practice not | Possible |

## Association

Members decide together at the general meeting. An association can be set up without a notary, but then the
board members can be personally liable. With articles of association drawn up by a notary it has full legal
capacity.

## Cooperative

A cooperative is an association with a commercial purpose: serving its members' material needs, for example by
supplying energy, groceries or care. It can distribute profits to members. Most citizen cooperatives choose
*U.A.*, which excludes members' liability.

## Foundation

A foundation has a board but no members. It suits local funds and organisations that manage a building or a
fund. Residents can be involved through an advisory council or a friends' club, but they do not have a formal
vote.

## Combinations

A common set-up is a cooperative for the activity (for example a solar roof) plus a foundation with ANBI status
that receives part of the proceeds and spends them on the village. Donations to the foundation are then
tax-deductible.

## Whatever you choose

Since 2021 the WBTR rules on governance apply to associations, cooperatives and foundations. Register the
entity with the KvK, register the ultimate beneficial owners, and keep proper minutes and accounts.
""",
    ),
    _article(
        slug="neighbourhood-care-network-case-study",
        title="A neighbourhood care network in a Dutch city",
        summary="A fictional case study of residents in a city neighbourhood who organised practical help for "
        "older neighbours, in cooperation with the municipality and a home-care provider.",
        kind="case_study",
        themes=("care", "social_cohesion"),
        collective_kinds=("care_cooperative", "neighbourhood_cooperative", "residents_initiative"),
        stages=("startup", "growth"),
        language="en",
        authors=(2,),
        from_collective_kind="care_cooperative",
        body="""
_The neighbourhood and the Buurtzorgnetwerk Kanaalzijde are invented for this example._

## The situation

Kanaalzijde is a neighbourhood of 6,000 residents in a mid-sized Dutch city. One in four residents is over 65,
and many live alone. Professional home care was available, but small things fell through the cracks: a lift to
the hospital, changing a light bulb, someone to talk to.

## What residents did

A group of twelve residents started a neighbourhood cooperative in 2021. Within two years it had 310 member
households and 70 volunteers. The cooperative offers:

- a phone number, staffed on weekdays, where residents can ask for help;
- a pool of volunteers for lifts, small jobs and shopping;
- a weekly lunch in the community centre;
- "neighbourhood buddies" who visit lonely residents.

## Working with professionals

The municipality funds a part-time coordinator from its social support (Wmo) budget. A home-care provider
refers clients who need practical help and trains volunteers in recognising when professional care is needed.
Volunteers do not provide personal care or medication.

## Results after two years

| | |
| --- | ---: |
| Member households | 310 |
| Volunteers | 70 |
| Requests for help per year | 2,400 |
| Lunch guests per week | 45 |

## Lessons

- Start with what older residents ask for, not with a plan from outside.
- A paid coordinator makes a volunteer network reliable.
- Agree on the boundary between volunteer help and professional care, and write it down.
- Celebrate volunteers: the annual summer party is the best recruitment event.
""",
    ),
    _article(
        slug="gdpr-checklist-for-volunteer-groups",
        title="GDPR checklist for volunteer groups",
        summary="A short checklist to help small associations and residents' initiatives handle personal data "
        "responsibly under the GDPR (in Dutch: AVG).",
        kind="checklist",
        themes=("digital",),
        collective_kinds=(
            "residents_initiative",
            "village_association",
            "neighbourhood_cooperative",
            "food_collective",
        ),
        language="en",
        authors=(9,),
        body="""
The General Data Protection Regulation (GDPR, in Dutch *AVG*) applies to every organisation that keeps personal
data, including a small volunteer group with a mailing list. This checklist covers the basics.

## What you collect

- [ ] We only collect data we actually use (name, email address, address if needed).
- [ ] We know why we collect each item and have written that down.
- [ ] We ask for consent before publishing photos, and parents' consent for children.

## What you tell people

- [ ] We have a short privacy statement on our website or sign-up form.
- [ ] It says who we are, what we collect, why, how long we keep it and how to contact us.
- [ ] People can ask to see, correct or delete their data, and we respond within a month.

## How you store it

- [ ] Member and volunteer lists are kept in one shared location with access control, not in private
      mailboxes.
- [ ] Accounts use strong passwords and two-factor authentication.
- [ ] Only the people who need the data have access.
- [ ] We have a data processing agreement with suppliers such as our newsletter service.

## How you send it

- [ ] Group emails use BCC or a newsletter tool, so addresses are not visible to everyone.
- [ ] We do not share member lists with sponsors or other organisations without consent.

## Clearing up

- [ ] We delete data of former members after a fixed period, except what the accounts require.
- [ ] Old paper lists are shredded.

## When something goes wrong

- [ ] We know that a data breach with a risk for people must be reported to the Dutch Data Protection Authority
      (Autoriteit Persoonsgegevens) within 72 hours.
- [ ] We keep a simple log of incidents, even small ones.
- [ ] One board member is responsible for privacy and reviews this checklist every year.
""",
    ),
)

DEMO_QUESTIONS: tuple[DemoQuestion, ...] = (
    DemoQuestion(
        title="Hoe vinden we genoeg leden binnen de postcoderoos?",
        body="""
Onze energiecoöperatie wil een zonnedak van 150 kWp leggen op de sporthal. Daarvoor hebben we ongeveer 180
deelnemers nodig, maar onze postcoderoos is klein: het dorp en twee buurtschappen. Na twee informatieavonden
staan we op 70. Wie heeft tips om meer mensen over de streep te trekken?
""".strip(),
        themes=("energy", "social_cohesion"),
        asker=1,
        on_behalf_of_kind="energy_cooperative",
        answers=(
            _answer(
                """
Wij zaten in dezelfde situatie. Wat het verschil maakte: **deur-aan-deur**. Met tien vrijwilligers zijn we in
twee weekenden bij elk huis langs geweest, met een flyer en een rekenvoorbeeld per paneel. Ongeveer één op de
vijf huishoudens deed mee. Tweede tip: verlaag de instap, bijvoorbeeld een halve participatie. En vraag de
voetbalclub, die in de sporthal speelt, om het onder de eigen leden te promoten.
""",
                author=0,
                accepted=True,
            ),
            _answer(
                """
Check ook of ondernemers en verenigingen in de postcoderoos mee mogen doen; dat hangt af van de voorwaarden van
de regeling. Bij ons nam de plaatselijke bakker tien participaties en hing hij een poster in de winkel.
""",
                author=10,
            ),
        ),
    ),
    DemoQuestion(
        title="Mogen we de beheerder van het dorpshuis een vrijwilligersvergoeding geven?",
        body="""
Onze beheerder is er vier dagen per week, zo'n 25 uur. Hij is vrijwilliger, maar we willen hem iets
teruggeven. Kan dat met de vrijwilligersvergoeding, of wordt het dan loon?
""".strip(),
        themes=("social_cohesion", "liveability"),
        asker=11,
        on_behalf_of_kind="village_association",
        answers=(
            _answer(
                """
Bij 25 uur per week is het uurbedrag geen probleem, maar je zit snel aan het maandmaximum van de
vrijwilligersvergoeding. Belangrijker: als iemand vaste uren draait en een vaste taak heeft, kan de
Belastingdienst het als een dienstbetrekking zien. Leg in een vrijwilligersovereenkomst vast dat hij vrij is in
zijn uren en taken, blijf binnen de fiscale grenzen en overweeg een betaalde parttime aanstelling als het echt
een baan is geworden. Zie ook het artikel over de vrijwilligersvergoeding in de kennisbank.
""",
                author=8,
                accepted=True,
            ),
        ),
    ),
    DemoQuestion(
        title="Ervaring met het uitdaagrecht voor groenonderhoud?",
        body="""
Onze buurtvereniging onderhoudt nu al drie plantsoenen via groenadoptie. We willen het hele parkje overnemen,
inclusief het budget. Heeft iemand dat met het Right to Challenge gedaan? Hoe reageerde de gemeente?
""".strip(),
        themes=("nature_and_green", "liveability"),
        asker=4,
        on_behalf_of_kind="residents_initiative",
        answers=(
            _answer(
                """
Wij hebben het gedaan voor een park van twee hectare. De gemeente was positief, maar wilde een rechtspersoon als
tegenpartij, dus we hebben eerst een coöperatie opgericht. Vraag vooraf precies welk budget er nu naar het park
gaat en wat daarvoor gebeurt; dat was bij ons lastig te achterhalen. We kregen een contract voor drie jaar met
een evaluatie na het eerste jaar.
""",
                author=6,
                accepted=True,
            ),
            _answer(
                """
Let op het grote werk: bomen snoeien en vellen bleef bij ons bij de gemeente, vanwege veiligheid en
aansprakelijkheid. Maak daar duidelijke afspraken over.
""",
                author=2,
            ),
        ),
    ),
    DemoQuestion(
        title="Welke verzekering hebben we nodig voor een buurtfeest?",
        body="""
We organiseren voor het eerst een straatfeest met een springkussen en een barbecue. We zijn een informele groep
zonder vereniging. Wat moeten we regelen qua verzekering?
""".strip(),
        themes=("culture", "social_cohesion"),
        asker=7,
        answers=(
            _answer(
                """
Kijk eerst of je gemeente een vrijwilligersverzekering heeft; veel gemeenten hebben die, en vaak dekt die ook
informele groepen. Voor het springkussen: huur het bij een verhuurder die het plaatst, met een begeleider en een
eigen verzekering. Vraag het verzekeringsbewijs op. En zorg dat er iemand met EHBO-kennis is.
""",
                author=3,
                accepted=True,
            ),
            _answer(
                """
Aanvulling: bij een afgesloten straat heb je vaak een ontheffing of vergunning nodig. Vraag bij de gemeente ook
of zij eisen stellen aan de verzekering van de organisatoren.
""",
                author=9,
            ),
        ),
    ),
    DemoQuestion(
        title="Mag onze vrijwilligersgroep een WhatsApp-groep gebruiken?",
        body="""
Onze voedselbank-ploeg heeft een WhatsApp-groep met 40 vrijwilligers. Iemand zei dat dit niet mag vanwege de
AVG. Klopt dat, en wat is een alternatief?
""".strip(),
        themes=("digital", "food"),
        asker=9,
        on_behalf_of_kind="food_collective",
        answers=(
            _answer(
                """
Het mag wel, maar let op twee dingen. Iedereen in de groep ziet elkaars telefoonnummer, dus vraag
vrijwilligers of ze daarmee akkoord zijn. En deel nooit gegevens van klanten of cliënten in de groep. Voor
roosters en gevoelige informatie kun je beter een tool met een verwerkersovereenkomst gebruiken. Een
community-functie waarin nummers verborgen blijven, is ook een optie.
""",
                author=5,
                accepted=True,
            ),
        ),
    ),
    DemoQuestion(
        title="Stichting of coöperatie voor ons zorginitiatief?",
        body="""
We zijn met een groep bewoners begonnen met vervoer en boodschappen voor ouderen. Nu willen we een rechtsvorm
kiezen. De gemeente wil mogelijk een dorpsondersteuner financieren. Wat raden jullie aan: stichting of
coöperatie?
""".strip(),
        themes=("care", "social_cohesion"),
        asker=3,
        on_behalf_of_kind="care_cooperative",
        answers=(
            _answer(
                """
Wij kozen voor een coöperatie, omdat we wilden dat de inwoners eigenaar zijn: leden kiezen het bestuur en
beslissen mee. Dat gaf veel draagvlak. Een stichting is eenvoudiger en kan ANBI worden, maar inwoners hebben dan
formeel geen stem. Voor de gemeente maakte het niet uit; die wilde vooral een betrouwbare partner met een goede
administratie.
""",
                author=2,
                accepted=True,
            ),
            _answer(
                """
Je kunt ook allebei doen: een coöperatie voor de activiteiten en een kleine stichting met ANBI-status voor giften
en legaten. Begin wel met één organisatie; twee besturen vullen is in een dorp lastig.
""",
                author=5,
            ),
            _answer(
                """
Vraag een koepel van zorgcoöperaties om modelstatuten. Dat scheelt tijd en notariskosten.
""",
                author=11,
            ),
        ),
    ),
    DemoQuestion(
        title="Wie heeft een voorbeeld van een gebruikersreglement voor een deelauto?",
        body="""
Onze energiecoöperatie start met twee elektrische deelauto's. We zoeken een voorbeeld van een reglement: wat
gebeurt er bij schade, te laat terugbrengen of een lege accu?
""".strip(),
        themes=("mobility", "energy"),
        asker=10,
        on_behalf_of_kind="energy_cooperative",
        answers=(
            _answer(
                """
Ons reglement heeft deze onderdelen: wie mag rijden (leden met minimaal een jaar rijbewijs), reserveren en
annuleren, tarieven, laden (altijd terug aan de paal, minimaal 30 procent accu), schoonmaak, schade (melden
binnen 24 uur, eigen risico tot 250 euro voor de gebruiker) en boetes bij te laat terugbrengen. Stuur me een
bericht, dan deel ik het.
""",
                author=0,
                accepted=True,
            ),
        ),
    ),
    DemoQuestion(
        title="Hoe rekenen we de terugverdientijd van een zonnedak op de school uit?",
        body="""
De school in ons dorp wil het dak beschikbaar stellen. Het dak is 600 m², plat en naar het zuiden gericht. Hoe
maken we een eerste inschatting of het rendabel is voordat we offertes vragen?
""".strip(),
        themes=("energy", "education"),
        asker=6,
        answers=(
            _answer(
                """
Op een plat dak passen met een oost-westopstelling ruwweg 100 tot 120 kWp op 600 m², afhankelijk van de
randafstand en installaties op het dak. Gebruik de rekenhulp in de kennisbank: vermogen x opbrengst per kWp x
vergoeding per kWh, min vaste kosten, en deel de investering daardoor. Laat wel eerst een constructeur kijken of
het dak de extra belasting aankan; dat is bij oudere scholen vaak het knelpunt.
""",
                author=10,
                accepted=True,
            ),
            _answer(
                """
Vergeet de netaansluiting niet. Een school heeft vaak een kleine aansluiting; verzwaren kost geld en tijd.
""",
                author=0,
            ),
        ),
    ),
    DemoQuestion(
        title="Waar vinden we startkapitaal voor een wooncoöperatie?",
        body="""
We zijn een groep van twaalf huishoudens en willen een oud schoolgebouw ombouwen tot woningen. De bank wil
financieren, maar pas als we 25 procent eigen geld hebben. Wie heeft ervaring met het vinden van dat deel?
""".strip(),
        themes=("housing", "local_economy"),
        asker=2,
        on_behalf_of_kind="housing_cooperative",
        answers=(
            _answer(
                """
Wij hebben het gat gedicht met een combinatie: een inbreng van de bewoners (gemiddeld 10.000 euro per
huishouden), een lening van de gemeente onder voorwaarden en achtergestelde leningen van vrienden en familie. Dat
laatste leverde meer op dan we dachten. Leg alles goed vast en laat de structuur toetsen, zeker als je leningen
aan mensen buiten de groep vraagt.
""",
                author=1,
                accepted=True,
            ),
            _answer(
                """
Vraag bij de provincie ook naar regelingen voor herbestemming van leegstaand vastgoed. Soms is er een
haalbaarheidsbijdrage voor de eerste fase.
""",
                author=7,
            ),
        ),
    ),
    DemoQuestion(
        title="Hoe betrekken we jonge gezinnen bij de dorpsraad?",
        body="""
In onze dorpsraad zitten vooral gepensioneerden. Jonge gezinnen komen wel naar activiteiten, maar willen niet
in het bestuur of in werkgroepen. Hoe hebben anderen dat aangepakt?
""".strip(),
        themes=("social_cohesion", "education"),
        asker=11,
        on_behalf_of_kind="village_association",
        answers=(
            _answer(
                """
Vraag jonge ouders niet voor het bestuur, maar voor een project met een begin en een eind, zoals het opknappen
van de speeltuin. Vergader bij de school na het brengen, niet op dinsdagavond om acht uur. En laat ze meteen iets
beslissen; niemand wil alleen maar meepraten.
""",
                author=4,
            ),
            _answer(
                """
Wij hebben een jongerenraad naast de dorpsraad opgericht, met een eigen budget. Twee van die jongeren zitten nu
ook in het bestuur van de dorpsraad.
""",
                author=8,
            ),
        ),
    ),
)
