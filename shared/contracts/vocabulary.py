"""The closed vocabularies every service and every event share, with Dutch and English labels.

They live in the contracts because events carry these values: a consumer must be able to rely on the same list.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data"


class CollectiveKind(StrEnum):
    residents_initiative = "residents_initiative"
    neighbourhood_cooperative = "neighbourhood_cooperative"
    village_cooperative = "village_cooperative"
    village_association = "village_association"
    local_fund = "local_fund"
    neighbourhood_enterprise = "neighbourhood_enterprise"
    energy_cooperative = "energy_cooperative"
    care_cooperative = "care_cooperative"
    housing_cooperative = "housing_cooperative"
    food_collective = "food_collective"
    social_enterprise = "social_enterprise"
    other = "other"


class LegalForm(StrEnum):
    informal = "informal"
    association = "association"
    cooperative = "cooperative"
    foundation = "foundation"
    private_company = "private_company"
    other = "other"


class Stage(StrEnum):
    idea = "idea"
    startup = "startup"
    growth = "growth"
    established = "established"


class Theme(StrEnum):
    energy = "energy"
    care = "care"
    housing = "housing"
    nature_and_green = "nature_and_green"
    mobility = "mobility"
    food = "food"
    culture = "culture"
    social_cohesion = "social_cohesion"
    local_economy = "local_economy"
    liveability = "liveability"
    digital = "digital"
    education = "education"


class MembershipRole(StrEnum):
    member = "member"
    board = "board"
    coordinator = "coordinator"


LABELS: dict[type[StrEnum], dict[str, tuple[str, str]]] = {
    CollectiveKind: {
        "residents_initiative": ("bewonersinitiatief", "residents' initiative"),
        "neighbourhood_cooperative": ("wijkcoöperatie", "neighbourhood cooperative"),
        "village_cooperative": ("dorpscoöperatie", "village cooperative"),
        "village_association": ("dorpsbelangen / dorpsraad", "village association"),
        "local_fund": ("lokaal fonds", "local fund"),
        "neighbourhood_enterprise": ("wijkbedrijf", "neighbourhood enterprise"),
        "energy_cooperative": ("energiecoöperatie", "energy cooperative"),
        "care_cooperative": ("zorgcoöperatie", "care cooperative"),
        "housing_cooperative": ("wooncoöperatie", "housing cooperative"),
        "food_collective": ("voedselcollectief", "food collective"),
        "social_enterprise": ("sociale onderneming", "social enterprise"),
        "other": ("anders", "other"),
    },
    LegalForm: {
        "informal": ("informeel (geen rechtspersoon)", "informal (no legal entity)"),
        "association": ("vereniging", "association"),
        "cooperative": ("coöperatie", "cooperative"),
        "foundation": ("stichting", "foundation"),
        "private_company": ("besloten vennootschap (bv)", "private company"),
        "other": ("anders", "other"),
    },
    Stage: {
        "idea": ("idee", "idea"),
        "startup": ("opstart", "start-up"),
        "growth": ("doorontwikkeling", "further development"),
        "established": ("gevestigd", "established"),
    },
    Theme: {
        "energy": ("energie", "energy"),
        "care": ("zorg en welzijn", "care"),
        "housing": ("wonen", "housing"),
        "nature_and_green": ("natuur en groen", "nature and green"),
        "mobility": ("mobiliteit", "mobility"),
        "food": ("voedsel", "food"),
        "culture": ("cultuur", "culture"),
        "social_cohesion": ("sociale samenhang", "social cohesion"),
        "local_economy": ("lokale economie", "local economy"),
        "liveability": ("leefbaarheid", "liveability"),
        "digital": ("digitaal", "digital"),
        "education": ("onderwijs", "education"),
    },
    MembershipRole: {
        "member": ("lid", "member"),
        "board": ("bestuur", "board"),
        "coordinator": ("coördinator", "coordinator"),
    },
}


def labelled(enum: type[StrEnum]) -> list[dict[str, str]]:
    """The items of a vocabulary as `{code, nl, en}`, in declaration order."""
    labels = LABELS[enum]
    return [{"code": item.value, "nl": labels[item.value][0], "en": labels[item.value][1]} for item in enum]


# English names where they differ from the Dutch ones (the reference list has the Dutch names only).
PROVINCE_NAMES_EN = {"PV21": "Friesland", "PV27": "North Holland", "PV28": "South Holland", "PV30": "North Brabant"}


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str
    abbreviation: str


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    province_code: str


@cache
def provinces() -> dict[str, Province]:
    """The 12 provinces by CBS code (PV20…PV31)."""
    with (_DATA / "nl-provincies.csv").open(encoding="utf-8") as f:
        return {row["code"]: Province(row["code"], row["name"], row["abbreviation"]) for row in csv.DictReader(f)}


@cache
def municipalities() -> dict[str, Municipality]:
    """The 342 municipalities by CBS code (GMxxxx), as of 1 January 2025."""
    with (_DATA / "nl-gemeenten.csv").open(encoding="utf-8") as f:
        return {row["code"]: Municipality(row["code"], row["name"], row["province_code"]) for row in csv.DictReader(f)}


def province_of(municipality_code: str) -> str | None:
    municipality = municipalities().get(municipality_code)
    return municipality.province_code if municipality else None
