"""A demo catalogue of funders and instruments, modelled on the real kinds of Dutch financing for collectives.

Every organisation and instrument here is invented: each carries "(fictief)" in its name and `fictional=True`, and
`modelled_on` names the real instrument whose rules it imitates. Amounts and rules are examples based on the rules
of 2025 (see `shared/data/funding-facts-nl.md`); they are not advice. Application links point at example.org.

Ids are stable (UUID 5 from a fixed namespace and a key), so seeding twice gives the same rows. Opening windows are
laid out for a given year so the catalogue looks alive whenever it is seeded: most instruments are rolling, a few
have a yearly window, one is closed and one is still a draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from services.funding.domain.matching import FunderKind, InstrumentForm, InstrumentProfile, InstrumentStatus
from shared.contracts.vocabulary import CollectiveKind as K
from shared.contracts.vocabulary import LegalForm as L
from shared.contracts.vocabulary import Stage as S
from shared.contracts.vocabulary import Theme as T

RULES_YEAR = 2025
EXAMPLE_NOTE_NL = f"Voorbeeld, gebaseerd op de regels van {RULES_YEAR}; fictieve regeling."
EXAMPLE_NOTE_EN = f"Example, based on the rules of {RULES_YEAR}; a fictional instrument."
DEMO_NAMESPACE = UUID("6f1c2d1e-5b7a-4c1e-9a57-0a8d3e2f4b10")

EURO = 100

ZUID_HOLLAND, UTRECHT, LIMBURG, DRENTHE = "PV28", "PV26", "PV31", "PV22"
GELDERLAND, FRYSLAN = "PV25", "PV21"
ACHTERHOEK = frozenset(
    {
        "GM0197",  # Aalten
        "GM1859",  # Berkelland
        "GM1876",  # Bronckhorst
        "GM0222",  # Doetinchem
        "GM1955",  # Montferland
        "GM1586",  # Oost Gelre
        "GM1509",  # Oude IJsselstreek
        "GM0294",  # Winterswijk
    }
)
VEENENDAAL, UTRECHT_CITY, OPSTERLAND = "GM0345", "GM0344", "GM0086"

NEIGHBOURHOOD_GROUPS = frozenset(
    {K.residents_initiative, K.neighbourhood_cooperative, K.neighbourhood_enterprise, K.village_association}
)
VILLAGE_GROUPS = frozenset({K.village_cooperative, K.village_association, K.residents_initiative})
LEGAL_ENTITIES = frozenset({L.association, L.cooperative, L.foundation})
MEMBER_ORGANISATIONS = frozenset({L.association, L.cooperative})


def demo_id(kind: str, key: str) -> UUID:
    return uuid5(DEMO_NAMESPACE, f"{kind}:{key}")


@dataclass(frozen=True, slots=True)
class DemoFunder:
    key: str
    name: str
    kind: FunderKind
    description: str
    website: str
    fictional: bool = True

    @property
    def id(self) -> UUID:
        return demo_id("funder", self.key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "key": self.key,
            "name": self.name,
            "kind": self.kind.value,
            "description": self.description,
            "website": self.website,
            "fictional": self.fictional,
        }


@dataclass(frozen=True, slots=True)
class DemoInstrument:
    key: str
    funder_key: str
    name: str
    description: str
    form: InstrumentForm
    modelled_on: str
    amount_min_cents: int
    amount_max_cents: int | None
    collective_kinds: frozenset[str] = frozenset()
    legal_forms: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    national: bool = False
    provinces: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()
    requires_anbi: bool = False
    requires_kvk: bool = False
    min_members: int | None = None
    cofinancing_pct: int = 0
    opens_on: date | None = None
    closes_on: date | None = None
    status: InstrumentStatus = InstrumentStatus.open
    note_nl: str = EXAMPLE_NOTE_NL
    note_en: str = EXAMPLE_NOTE_EN
    fictional: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> UUID:
        return demo_id("instrument", self.key)

    @property
    def funder_id(self) -> UUID:
        return demo_id("funder", self.funder_key)

    @property
    def application_url(self) -> str:
        return f"https://example.org/onderop-demo/{self.funder_key}/{self.key}"

    def profile(self) -> InstrumentProfile:
        return InstrumentProfile(
            id=self.id,
            funder_id=self.funder_id,
            form=self.form,
            status=self.status,
            collective_kinds=self.collective_kinds,
            legal_forms=self.legal_forms,
            stages=self.stages,
            themes=self.themes,
            national=self.national,
            provinces=self.provinces,
            municipalities=self.municipalities,
            requires_anbi=self.requires_anbi,
            requires_kvk=self.requires_kvk,
            min_members=self.min_members,
            amount_min_cents=self.amount_min_cents,
            amount_max_cents=self.amount_max_cents,
            cofinancing_pct=self.cofinancing_pct,
            opens_on=self.opens_on,
            closes_on=self.closes_on,
            name=self.name,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "key": self.key,
            "funder_id": str(self.funder_id),
            "name": self.name,
            "description": self.description,
            "form": self.form.value,
            "status": self.status.value,
            "collective_kinds": sorted(str(v) for v in self.collective_kinds),
            "legal_forms": sorted(str(v) for v in self.legal_forms),
            "stages": sorted(str(v) for v in self.stages),
            "themes": sorted(str(v) for v in self.themes),
            "national": self.national,
            "provinces": sorted(self.provinces),
            "municipalities": sorted(self.municipalities),
            "requires_anbi": self.requires_anbi,
            "requires_kvk": self.requires_kvk,
            "min_members": self.min_members,
            "amount_min_cents": self.amount_min_cents,
            "amount_max_cents": self.amount_max_cents,
            "cofinancing_pct": self.cofinancing_pct,
            "opens_on": self.opens_on.isoformat() if self.opens_on else None,
            "closes_on": self.closes_on.isoformat() if self.closes_on else None,
            "application_url": self.application_url,
            "modelled_on": self.modelled_on,
            "note_nl": self.note_nl,
            "note_en": self.note_en,
            "fictional": self.fictional,
            **self.extra,
        }


def demo_funders() -> list[DemoFunder]:
    return [
        DemoFunder(
            "rijksdienst-lokale-energie",
            "Rijksdienst Lokale Energie (fictief)",
            FunderKind.national_government,
            "Voert landelijke regelingen uit voor coöperatieve energieopwekking.",
            "https://example.org/onderop-demo/rijksdienst-lokale-energie",
        ),
        DemoFunder(
            "ontwikkelfonds-energie-samen",
            "Ontwikkelfonds Samen Opwekken (fictief)",
            FunderKind.umbrella,
            "Revolverend fonds van rijk en deelnemende provincies, uitgevoerd door een koepel van "
            "energiecoöperaties met een groenfonds.",
            "https://example.org/onderop-demo/ontwikkelfonds-energie-samen",
        ),
        DemoFunder(
            "provincie-zuid-holland",
            "Provinciaal Initiatievenfonds Zuid-Holland (fictief)",
            FunderKind.province,
            "Voorbeeldregelingen van een provincie voor leefbaarheid, matchfunding en lokale energie.",
            "https://example.org/onderop-demo/provincie-zuid-holland",
        ),
        DemoFunder(
            "provincie-gelderland",
            "Gelders Gemeenschapsfonds (fictief)",
            FunderKind.province,
            "Voorbeeldregelingen voor kleine kernen en energiecoöperaties in Gelderland.",
            "https://example.org/onderop-demo/provincie-gelderland",
        ),
        DemoFunder(
            "provincie-fryslan",
            "Fûns foar de Mienskip (fictief)",
            FunderKind.province,
            "Voorbeeldregelingen voor dorpen en initiatieven in Fryslân.",
            "https://example.org/onderop-demo/provincie-fryslan",
        ),
        DemoFunder(
            "gemeente-veenendaal",
            "Wijkfonds Veenendaal (fictief)",
            FunderKind.municipality,
            "Voorbeeld van een gemeentelijk wijkbudget voor bewonersinitiatieven.",
            "https://example.org/onderop-demo/gemeente-veenendaal",
        ),
        DemoFunder(
            "gemeente-utrecht",
            "Initiatievenloket Utrecht (fictief)",
            FunderKind.municipality,
            "Voorbeeld van een stedelijk initiatievenfonds met matchfunding.",
            "https://example.org/onderop-demo/gemeente-utrecht",
        ),
        DemoFunder(
            "gemeente-opsterland",
            "Uitdaagloket Opsterland (fictief)",
            FunderKind.municipality,
            "Voorbeeld van het uitdaagrecht (Right to Challenge) onder de Wmo.",
            "https://example.org/onderop-demo/gemeente-opsterland",
        ),
        DemoFunder(
            "oranjerood-fonds",
            "Oranjerood Fonds (fictief)",
            FunderKind.private_fund,
            "Particulier fonds voor sociale samenhang en meedoen, met thema-rondes.",
            "https://example.org/onderop-demo/oranjerood-fonds",
        ),
        DemoFunder(
            "stichting-dorpskracht",
            "Stichting Dorpskracht (fictief)",
            FunderKind.private_fund,
            "Beloont dorpen en buurten die binnen een jaar samen iets voor elkaar krijgen.",
            "https://example.org/onderop-demo/stichting-dorpskracht",
        ),
        DemoFunder(
            "buurtbank",
            "Coöperatieve Buurtbank (fictief)",
            FunderKind.bank,
            "Maatschappelijke bank met sociale leningen en borgstellingen voor burgercollectieven.",
            "https://example.org/onderop-demo/buurtbank",
        ),
        DemoFunder(
            "voor-onze-buurt",
            "VoorOnzeBuurt.nl (fictief)",
            FunderKind.crowdfunding_platform,
            "Platform voor buurtcrowdfunding: alles-of-niets-campagnes van één tot twee maanden.",
            "https://example.org/onderop-demo/voor-onze-buurt",
        ),
        DemoFunder(
            "koepel-burgercollectieven",
            "Koepel Burgercollectieven (fictief)",
            FunderKind.umbrella,
            "Koepel die collectieven helpt bij ledenkapitaal, obligaties en het opstarten van zorg in het dorp.",
            "https://example.org/onderop-demo/koepel-burgercollectieven",
        ),
    ]


def demo_instruments(year: int) -> list[DemoInstrument]:
    """The catalogue with its yearly windows laid out in `year` (pass the year of seeding)."""
    return [
        # National energy: the "postcoderoos" subsidy and the large-scale scheme beside it.
        DemoInstrument(
            "regeling-cooperatieve-opwek",
            "rijksdienst-lokale-energie",
            "Regeling Coöperatieve Opwek (fictief)",
            "Subsidie per opgewekte kWh, 15 jaar lang, voor coöperaties (en VvE's) die zon op een dak in hun "
            "postcodegebied leggen: leden en installatie in hetzelfde gebied, minstens één lid per 5 kWp, één lid "
            "één stem, 15–500 kWp op een kleinverbruikaansluiting. Jaarlijks budget en openstelling. De installatie "
            "zelf financiert de coöperatie met ledenkapitaal, obligaties of een lening.",
            InstrumentForm.subsidy,
            "Subsidieregeling Coöperatieve Energieopwekking (SCE)",
            amount_min_cents=10_000 * EURO,
            amount_max_cents=750_000 * EURO,
            collective_kinds=frozenset({K.energy_cooperative}),
            legal_forms=frozenset({L.cooperative}),
            stages=frozenset({S.growth, S.established}),
            themes=frozenset({T.energy}),
            national=True,
            requires_kvk=True,
            min_members=3,
            cofinancing_pct=100,
            opens_on=date(year, 3, 1),
            closes_on=date(year, 12, 1),
            extra={"capacity_kwp": [15, 500], "members_per_kwp": "1 per 5 kWp", "years": 15},
        ),
        DemoInstrument(
            "regeling-grootschalige-opwek",
            "rijksdienst-lokale-energie",
            "Regeling Grootschalige Duurzame Energie (fictief)",
            "Exploitatiesubsidie voor grotere projecten, zoals een windturbine boven 1 MW, waar de coöperatieve "
            "regeling niet meer geldt.",
            InstrumentForm.subsidy,
            "SDE++",
            amount_min_cents=500_000 * EURO,
            amount_max_cents=10_000_000 * EURO,
            collective_kinds=frozenset({K.energy_cooperative}),
            legal_forms=frozenset({L.cooperative, L.private_company}),
            stages=frozenset({S.growth, S.established}),
            themes=frozenset({T.energy}),
            national=True,
            requires_kvk=True,
            cofinancing_pct=100,
            opens_on=date(year, 10, 1),
            closes_on=date(year, 12, 18),
        ),
        DemoInstrument(
            "regeling-digitale-buurten",
            "rijksdienst-lokale-energie",
            "Regeling Digitale Buurten (fictief)",
            "Nog in voorbereiding: ondersteuning voor buurtplatforms en digitale inclusie.",
            InstrumentForm.grant,
            "—",
            amount_min_cents=1_000 * EURO,
            amount_max_cents=20_000 * EURO,
            themes=frozenset({T.digital, T.education}),
            national=True,
            status=InstrumentStatus.draft,
        ),
        # The development fund: a revolving loan for the risky phase before permits.
        DemoInstrument(
            "ontwikkellening-energiecooperaties",
            "ontwikkelfonds-energie-samen",
            "Ontwikkellening Energiecoöperaties (fictief)",
            "Lening voor projectmedewerkers en studies in de risicovolle fase voor de vergunning. Bij financial "
            "close terugbetaald met een opslag; als het project niet doorgaat wordt de lening kwijtgescholden. "
            "Alleen in deelnemende regio's; het fonds loopt tot eind 2039.",
            InstrumentForm.revolving_fund,
            "Ontwikkelfonds voor energiecoöperaties (Energie Samen, Nationaal Groenfonds)",
            amount_min_cents=10_000 * EURO,
            amount_max_cents=350_000 * EURO,
            collective_kinds=frozenset({K.energy_cooperative}),
            legal_forms=frozenset({L.cooperative}),
            stages=frozenset({S.startup}),
            themes=frozenset({T.energy}),
            provinces=frozenset({ZUID_HOLLAND, UTRECHT, LIMBURG}),
            municipalities=ACHTERHOEK,
            requires_kvk=True,
            opens_on=date(2021, 1, 1),
            closes_on=date(2039, 12, 31),
        ),
        DemoInstrument(
            "ontwikkellening-drenthe",
            "ontwikkelfonds-energie-samen",
            "Ontwikkellening Drenthe (fictief)",
            "De Drentse variant van de ontwikkellening: alleen voor projecten met een investering van minstens "
            "€500.000.",
            InstrumentForm.revolving_fund,
            "Ontwikkelfonds voor energiecoöperaties, deelname Drenthe",
            amount_min_cents=25_000 * EURO,
            amount_max_cents=350_000 * EURO,
            collective_kinds=frozenset({K.energy_cooperative}),
            legal_forms=frozenset({L.cooperative}),
            stages=frozenset({S.startup}),
            themes=frozenset({T.energy}),
            provinces=frozenset({DRENTHE}),
            requires_kvk=True,
            opens_on=date(2021, 1, 1),
            closes_on=date(2039, 12, 31),
            extra={"minimum_project_investment_cents": 500_000 * EURO},
        ),
        # Zuid-Holland: match funding, liveability, energy.
        DemoInstrument(
            "matchfunding-zuid-holland",
            "provincie-zuid-holland",
            "Matchfunding Zuid-Holland (fictief)",
            "Voor elke euro die de buurt via crowdfunding ophaalt legt de provincie een euro bij, tot €5.000 per "
            "project. Een concreet project, een streefbedrag en een campagne van één tot twee maanden; alles of "
            "niets.",
            InstrumentForm.match_funding,
            "Provinciale matchfunding Zuid-Holland met Voor je Buurt",
            amount_min_cents=250 * EURO,
            amount_max_cents=5_000 * EURO,
            stages=frozenset({S.idea, S.startup}),
            provinces=frozenset({ZUID_HOLLAND}),
            cofinancing_pct=100,
            extra={"match_mechanism": "one_to_one", "all_or_nothing": True},
        ),
        DemoInstrument(
            "leefbaarheidsfonds-zuid-holland",
            "provincie-zuid-holland",
            "Leefbaarheidsfonds Zuid-Holland (fictief)",
            "Bijdrage aan projecten die een dorp of wijk leefbaarder maken; de provincie betaalt hooguit twee derde, "
            "de rest komt uit eigen middelen of andere fondsen.",
            InstrumentForm.grant,
            "Provinciale leefbaarheidsregelingen",
            amount_min_cents=5_000 * EURO,
            amount_max_cents=50_000 * EURO,
            collective_kinds=NEIGHBOURHOOD_GROUPS | VILLAGE_GROUPS,
            legal_forms=LEGAL_ENTITIES,
            stages=frozenset({S.startup, S.growth}),
            themes=frozenset({T.liveability, T.social_cohesion, T.nature_and_green}),
            provinces=frozenset({ZUID_HOLLAND}),
            cofinancing_pct=50,
            opens_on=date(year, 2, 1),
            closes_on=date(year, 12, 15),
        ),
        DemoInstrument(
            "leefbaarheidsfonds-zuid-holland-vorige-ronde",
            "provincie-zuid-holland",
            "Leefbaarheidsfonds Zuid-Holland, vorige ronde (fictief)",
            "De vorige ronde van het leefbaarheidsfonds; gesloten.",
            InstrumentForm.grant,
            "Provinciale leefbaarheidsregelingen",
            amount_min_cents=5_000 * EURO,
            amount_max_cents=50_000 * EURO,
            collective_kinds=NEIGHBOURHOOD_GROUPS | VILLAGE_GROUPS,
            legal_forms=LEGAL_ENTITIES,
            stages=frozenset({S.startup, S.growth}),
            themes=frozenset({T.liveability, T.social_cohesion}),
            provinces=frozenset({ZUID_HOLLAND}),
            cofinancing_pct=50,
            opens_on=date(year - 1, 2, 1),
            closes_on=date(year - 1, 12, 15),
            status=InstrumentStatus.closed,
        ),
        DemoInstrument(
            "energiefonds-zuid-holland",
            "provincie-zuid-holland",
            "Energiefonds Zuid-Holland (fictief)",
            "Lening tegen ongeveer 2% rente voor de realisatie van lokale energieprojecten; moet worden terugbetaald.",
            InstrumentForm.loan,
            "Provinciale energiefondsen",
            amount_min_cents=100_000 * EURO,
            amount_max_cents=2_500_000 * EURO,
            collective_kinds=frozenset({K.energy_cooperative}),
            legal_forms=frozenset({L.cooperative}),
            stages=frozenset({S.growth}),
            themes=frozenset({T.energy}),
            provinces=frozenset({ZUID_HOLLAND}),
            requires_kvk=True,
            extra={"interest_pct": 2.0},
        ),
        # Gelderland: energy fund, small villages, guarantee.
        DemoInstrument(
            "gelders-energiefonds",
            "provincie-gelderland",
            "Gelders Energiefonds (fictief)",
            "Lening of achtergestelde lening voor zon-, wind- en warmteprojecten van coöperaties.",
            InstrumentForm.loan,
            "Provinciale energiefondsen",
            amount_min_cents=50_000 * EURO,
            amount_max_cents=2_000_000 * EURO,
            collective_kinds=frozenset({K.energy_cooperative}),
            legal_forms=frozenset({L.cooperative}),
            stages=frozenset({S.growth, S.established}),
            themes=frozenset({T.energy}),
            provinces=frozenset({GELDERLAND}),
            requires_kvk=True,
            extra={"interest_pct": 2.0},
        ),
        DemoInstrument(
            "kleine-kernen-gelderland",
            "provincie-gelderland",
            "Kleine Kernen Fonds Gelderland (fictief)",
            "Bijdrage voor dorpen die zelf voorzieningen overeind houden: dorpshuis, zorg, ontmoeting. De helft "
            "van het bedrag moet uit andere bronnen komen.",
            InstrumentForm.grant,
            "Provinciale leefbaarheidsregelingen voor kleine kernen",
            amount_min_cents=2_500 * EURO,
            amount_max_cents=25_000 * EURO,
            collective_kinds=VILLAGE_GROUPS | {K.care_cooperative},
            legal_forms=LEGAL_ENTITIES,
            stages=frozenset({S.startup, S.growth}),
            themes=frozenset({T.liveability, T.social_cohesion, T.care}),
            provinces=frozenset({GELDERLAND}),
            cofinancing_pct=50,
        ),
        DemoInstrument(
            "garantstelling-gelderse-initiatieven",
            "provincie-gelderland",
            "Garantstelling Gelderse Initiatieven (fictief)",
            "De provincie staat borg voor een bankkrediet, zodat een collectief kan lenen voor een gebouw of "
            "installatie.",
            InstrumentForm.guarantee,
            "Provinciale borgstellingen",
            amount_min_cents=25_000 * EURO,
            amount_max_cents=500_000 * EURO,
            legal_forms=LEGAL_ENTITIES,
            stages=frozenset({S.growth, S.established}),
            provinces=frozenset({GELDERLAND}),
            requires_kvk=True,
            min_members=25,
        ),
        # Fryslân.
        DemoInstrument(
            "mienskipsregeling-fryslan",
            "provincie-fryslan",
            "Mienskipsregeling Fryslân (fictief)",
            "Bijdrage voor projecten van en voor de mienskip; de provincie draagt hooguit de helft van de kosten "
            "(de andere helft komt van elders, ook eigen inzet telt).",
            InstrumentForm.grant,
            "Iepen Mienskipsfûns",
            amount_min_cents=2_500 * EURO,
            amount_max_cents=50_000 * EURO,
            collective_kinds=VILLAGE_GROUPS | NEIGHBOURHOOD_GROUPS | {K.care_cooperative, K.local_fund},
            legal_forms=LEGAL_ENTITIES,
            stages=frozenset({S.startup, S.growth}),
            themes=frozenset({T.liveability, T.social_cohesion, T.culture, T.nature_and_green, T.care}),
            provinces=frozenset({FRYSLAN}),
            cofinancing_pct=100,
        ),
        DemoInstrument(
            "friese-dorpslening",
            "provincie-fryslan",
            "Friese Dorpslening (fictief)",
            "Zachte lening voor dorpscoöperaties die een voorziening overnemen, zoals een dorpswinkel.",
            InstrumentForm.loan,
            "Provinciale leningen voor maatschappelijke initiatieven",
            amount_min_cents=10_000 * EURO,
            amount_max_cents=150_000 * EURO,
            collective_kinds=frozenset({K.village_cooperative, K.neighbourhood_enterprise}),
            legal_forms=frozenset({L.cooperative, L.association}),
            stages=frozenset({S.startup, S.growth}),
            themes=frozenset({T.liveability, T.local_economy, T.food}),
            provinces=frozenset({FRYSLAN}),
            requires_kvk=True,
        ),
        # Municipal budgets.
        DemoInstrument(
            "wijkbudget-veenendaal",
            "gemeente-veenendaal",
            "Wijkbudget Veenendaal (fictief)",
            "Tot €5.000 voor een initiatief van bewoners dat de leefbaarheid of de sociale samenhang in de wijk "
            "versterkt; besluit binnen een maand. Voor een groep, niet voor één persoon; zonder winstoogmerk.",
            InstrumentForm.grant,
            "Gemeentelijk wijkbudget / initiatievenfonds (bijv. Veenendaal)",
            amount_min_cents=100 * EURO,
            amount_max_cents=5_000 * EURO,
            collective_kinds=NEIGHBOURHOOD_GROUPS | {K.food_collective, K.other},
            stages=frozenset({S.idea, S.startup}),
            themes=frozenset({T.liveability, T.social_cohesion}),
            municipalities=frozenset({VEENENDAAL}),
            extra={"decision_within_days": 30},
        ),
        DemoInstrument(
            "initiatievenfonds-utrecht",
            "gemeente-utrecht",
            "Initiatievenfonds Utrecht (fictief)",
            "Bijdrage voor bewonersinitiatieven in de stad. Vraag minstens acht weken vooraf aan en laat zien dat "
            "de buurt erachter staat, bijvoorbeeld met een handtekeningenlijst.",
            InstrumentForm.grant,
            "Gemeentelijke initiatievenfondsen (bijv. Harderwijk, Waddinxveen)",
            amount_min_cents=500 * EURO,
            amount_max_cents=25_000 * EURO,
            collective_kinds=NEIGHBOURHOOD_GROUPS | {K.food_collective, K.social_enterprise, K.other},
            stages=frozenset({S.idea, S.startup, S.growth}),
            municipalities=frozenset({UTRECHT_CITY}),
            cofinancing_pct=25,
            extra={"apply_weeks_ahead": 8, "support_shown_by": "handtekeningenlijst"},
        ),
        DemoInstrument(
            "matchfunding-utrecht",
            "gemeente-utrecht",
            "Buurtmatch Utrecht (fictief)",
            "De gemeente betaalt de helft van een project als de buurt de andere helft bij elkaar brengt, tot €10.000.",
            InstrumentForm.match_funding,
            "Gemeentelijke matchfunding (50%-model)",
            amount_min_cents=500 * EURO,
            amount_max_cents=10_000 * EURO,
            stages=frozenset({S.idea, S.startup, S.growth}),
            municipalities=frozenset({UTRECHT_CITY}),
            cofinancing_pct=100,
            extra={"match_mechanism": "one_to_one", "all_or_nothing": True},
        ),
        DemoInstrument(
            "uitdaagrecht-opsterland",
            "gemeente-opsterland",
            "Uitdaagrecht Opsterland (fictief)",
            "Een collectief neemt een taak van de gemeente over, met het budget dat erbij hoort. Voorwaarden: "
            "maatschappelijke meerwaarde, aantoonbaar draagvlak, initiatiefnemers zijn eigenaar, niet duurder en "
            "minstens even goed als de gemeente; commerciële partijen uitgesloten.",
            InstrumentForm.subsidy,
            "Right to Challenge (uitdaagrecht) onder de Wmo-modelverordening",
            amount_min_cents=10_000 * EURO,
            amount_max_cents=250_000 * EURO,
            collective_kinds=frozenset(
                {K.care_cooperative, K.village_cooperative, K.neighbourhood_cooperative, K.neighbourhood_enterprise}
            ),
            legal_forms=LEGAL_ENTITIES,
            stages=frozenset({S.growth, S.established}),
            themes=frozenset({T.care, T.liveability, T.nature_and_green, T.social_cohesion}),
            municipalities=frozenset({OPSTERLAND}),
            requires_kvk=True,
        ),
        # Private funds.
        DemoInstrument(
            "oranjerood-samen-met-ouderen",
            "oranjerood-fonds",
            "Thema-ronde Samen met ouderen (fictief)",
            "Bijdrage van €2.500 tot €35.000 voor projecten met ouderen. Voor stichtingen en verenigingen; een "
            "informele groep kan via een penvoerder. Geen kosten die al gemaakt zijn, geen gewone exploitatie, geen "
            "aankoop van vastgoed, geen eendaagse evenementen.",
            InstrumentForm.grant,
            "Oranje Fonds (thema-ronde)",
            amount_min_cents=2_500 * EURO,
            amount_max_cents=35_000 * EURO,
            legal_forms=frozenset({L.association, L.foundation}),
            stages=frozenset({S.startup, S.growth}),
            themes=frozenset({T.care, T.social_cohesion}),
            national=True,
            cofinancing_pct=25,
            opens_on=date(year, 9, 1),
            closes_on=date(year + 1, 1, 31),
            extra={"informal_groups": "via penvoerder"},
        ),
        DemoInstrument(
            "oranjerood-kleine-initiatieven",
            "oranjerood-fonds",
            "Kleine buurtinitiatieven (fictief)",
            "Bijdrage tot €5.000 voor activiteiten die mensen in de buurt samenbrengen. Informele groepen via een "
            "penvoerder die het geld beheert.",
            InstrumentForm.grant,
            "Oranje Fonds",
            amount_min_cents=500 * EURO,
            amount_max_cents=5_000 * EURO,
            legal_forms=frozenset({L.association, L.foundation, L.informal}),
            stages=frozenset({S.idea, S.startup, S.growth}),
            themes=frozenset({T.social_cohesion, T.culture, T.liveability}),
            national=True,
        ),
        DemoInstrument(
            "oranjerood-doorontwikkeling",
            "oranjerood-fonds",
            "Doorontwikkeling sociale initiatieven (fictief)",
            "Meerjarige bijdrage om een bewezen initiatief te verstevigen. Alleen voor instellingen met de "
            "ANBI-status; coöperaties kunnen die status niet krijgen.",
            InstrumentForm.grant,
            "Particuliere fondsen met een ANBI-eis",
            amount_min_cents=10_000 * EURO,
            amount_max_cents=75_000 * EURO,
            legal_forms=frozenset({L.association, L.foundation, L.cooperative}),
            stages=frozenset({S.growth}),
            themes=frozenset({T.social_cohesion, T.care, T.education, T.culture}),
            national=True,
            requires_anbi=True,
            cofinancing_pct=50,
        ),
        DemoInstrument(
            "dorpspit",
            "stichting-dorpskracht",
            "Dorpspit (fictief)",
            "€1.000 als de groep haar project binnen een jaar afrondt, plus een gratis adviseur. Alleen voor "
            "groepen, niet voor één persoon.",
            InstrumentForm.prize,
            "Kern met Pit (KNHM)",
            amount_min_cents=1_000 * EURO,
            amount_max_cents=1_000 * EURO,
            collective_kinds=VILLAGE_GROUPS | {K.neighbourhood_cooperative},
            stages=frozenset({S.idea, S.startup}),
            national=True,
            opens_on=date(year, 9, 1),
            closes_on=date(year + 1, 1, 31),
            extra={"completion_within_months": 12},
        ),
        DemoInstrument(
            "gouden-dorpspit",
            "stichting-dorpskracht",
            "Gouden Dorpspit (fictief)",
            "Een prijs van €3.000 voor het beste afgeronde Dorpspit-project van het jaar.",
            InstrumentForm.prize,
            "Gouden Pit (KNHM)",
            amount_min_cents=3_000 * EURO,
            amount_max_cents=3_000 * EURO,
            collective_kinds=VILLAGE_GROUPS | {K.neighbourhood_cooperative},
            stages=frozenset({S.startup, S.growth}),
            national=True,
            opens_on=date(year, 9, 1),
            closes_on=date(year + 1, 1, 31),
        ),
        DemoInstrument(
            "dorpsadviseur",
            "stichting-dorpskracht",
            "Dorpsadviseur (fictief)",
            "Een vrijwillige adviseur denkt een jaar lang mee; de waarde is geschat op €750.",
            InstrumentForm.in_kind,
            "Kern met Pit-adviseur (KNHM)",
            amount_min_cents=750 * EURO,
            amount_max_cents=750 * EURO,
            collective_kinds=VILLAGE_GROUPS | {K.neighbourhood_cooperative},
            stages=frozenset({S.idea, S.startup}),
            national=True,
        ),
        # Bank.
        DemoInstrument(
            "sociale-lening",
            "buurtbank",
            "Sociale lening burgerinitiatieven (fictief)",
            "Lening met een lage rente voor collectieven met een sluitende begroting.",
            InstrumentForm.loan,
            "Sociale leningen van maatschappelijke banken en fondsen",
            amount_min_cents=5_000 * EURO,
            amount_max_cents=250_000 * EURO,
            legal_forms=LEGAL_ENTITIES,
            stages=frozenset({S.growth, S.established}),
            national=True,
            requires_kvk=True,
            extra={"interest_pct": 3.0},
        ),
        DemoInstrument(
            "startlening-buurtondernemers",
            "buurtbank",
            "Startlening buurtondernemingen (fictief)",
            "Kleine lening om een wijkbedrijf, voedselcollectief of sociale onderneming op gang te helpen.",
            InstrumentForm.loan,
            "Startleningen voor maatschappelijke ondernemingen",
            amount_min_cents=2_500 * EURO,
            amount_max_cents=50_000 * EURO,
            collective_kinds=frozenset(
                {K.neighbourhood_enterprise, K.social_enterprise, K.food_collective, K.neighbourhood_cooperative}
            ),
            legal_forms=LEGAL_ENTITIES | {L.private_company},
            stages=frozenset({S.startup}),
            themes=frozenset({T.local_economy, T.food, T.social_cohesion}),
            national=True,
            requires_kvk=True,
        ),
        DemoInstrument(
            "borgstelling-buurtvoorzieningen",
            "buurtbank",
            "Borgstelling buurtvoorzieningen (fictief)",
            "De bank staat borg voor een lening bij een andere kredietverstrekker, voor collectieven met een "
            "brede ledenbasis.",
            InstrumentForm.guarantee,
            "Borgstellingen voor coöperaties",
            amount_min_cents=25_000 * EURO,
            amount_max_cents=500_000 * EURO,
            legal_forms=MEMBER_ORGANISATIONS,
            stages=frozenset({S.growth, S.established}),
            national=True,
            requires_kvk=True,
            min_members=50,
        ),
        # Crowdfunding platform.
        DemoInstrument(
            "buurtcrowdfunding",
            "voor-onze-buurt",
            "Buurtcrowdfunding (fictief)",
            "Haal geld op bij buren en fans met een campagne van één tot twee maanden. Alles of niets: wie het "
            "streefbedrag niet haalt, krijgt niets en de donateurs krijgen hun geld terug.",
            InstrumentForm.crowdfunding,
            "Voor je Buurt en lokale crowdfundingplatforms",
            amount_min_cents=500 * EURO,
            amount_max_cents=25_000 * EURO,
            stages=frozenset({S.idea, S.startup, S.growth}),
            national=True,
            extra={"all_or_nothing": True, "campaign_weeks": [4, 8]},
        ),
        DemoInstrument(
            "obligaties-via-platform",
            "voor-onze-buurt",
            "Obligatie-uitgifte voor coöperaties (fictief)",
            "Uitgifte van obligaties van bijvoorbeeld €100 nominaal met een looptijd van 5 of 10 jaar aan leden en "
            "omwonenden.",
            InstrumentForm.community_bonds,
            "Obligaties en participaties bij energiecoöperaties",
            amount_min_cents=50_000 * EURO,
            amount_max_cents=1_000_000 * EURO,
            collective_kinds=frozenset({K.energy_cooperative, K.housing_cooperative, K.village_cooperative}),
            legal_forms=frozenset({L.cooperative}),
            stages=frozenset({S.growth, S.established}),
            national=True,
            requires_kvk=True,
            extra={"nominal_cents": 100 * EURO, "term_years": [5, 10]},
        ),
        # Umbrella.
        DemoInstrument(
            "ledenkapitaal-begeleid",
            "koepel-burgercollectieven",
            "Ledenkapitaal ophalen met begeleiding (fictief)",
            "Begeleiding bij het ophalen van ledenkapitaal: ledenleningen, participaties (die in de statuten moeten "
            "staan) en certificaten.",
            InstrumentForm.member_capital,
            "Ledenkapitaal bij coöperaties",
            amount_min_cents=5_000 * EURO,
            amount_max_cents=500_000 * EURO,
            legal_forms=MEMBER_ORGANISATIONS,
            stages=frozenset({S.startup, S.growth, S.established}),
            national=True,
            requires_kvk=True,
            min_members=10,
        ),
        DemoInstrument(
            "startsubsidie-zorg-in-het-dorp",
            "koepel-burgercollectieven",
            "Startsubsidie Zorg in het Dorp (fictief)",
            "Voor dorpen en wijken die een zorgcoöperatie opzetten: kwartiermaker, eerste ledenwerving en afspraken "
            "met gemeente (Wmo) en zorgaanbieders.",
            InstrumentForm.grant,
            "Startregelingen voor zorgcoöperaties",
            amount_min_cents=5_000 * EURO,
            amount_max_cents=25_000 * EURO,
            collective_kinds=frozenset({K.care_cooperative, K.village_cooperative, K.neighbourhood_cooperative}),
            legal_forms=frozenset({L.cooperative, L.association, L.foundation, L.informal}),
            stages=frozenset({S.idea, S.startup}),
            themes=frozenset({T.care}),
            national=True,
            cofinancing_pct=25,
        ),
        DemoInstrument(
            "startfonds-wooncooperaties",
            "koepel-burgercollectieven",
            "Startfonds Wooncoöperaties (fictief)",
            "Revolverende lening voor de planfase van een wooncoöperatie; terug te betalen zodra de "
            "projectfinanciering rond is.",
            InstrumentForm.revolving_fund,
            "Startfondsen voor wooncoöperaties",
            amount_min_cents=10_000 * EURO,
            amount_max_cents=100_000 * EURO,
            collective_kinds=frozenset({K.housing_cooperative}),
            legal_forms=frozenset({L.cooperative, L.association}),
            stages=frozenset({S.startup}),
            themes=frozenset({T.housing}),
            national=True,
            requires_kvk=True,
        ),
    ]


def demo_profiles(year: int) -> list[InstrumentProfile]:
    return [instrument.profile() for instrument in demo_instruments(year)]
