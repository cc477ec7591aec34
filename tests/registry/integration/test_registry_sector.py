import uuid
from datetime import UTC, datetime

import pytest
from registry_support import (
    API,
    new_collective,
    new_person,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
)

from shared.contracts.vocabulary import CollectiveKind, LegalForm, MembershipRole, Stage, Theme

pytestmark = pytest.mark.integration

THIS_YEAR = datetime.now(UTC).year


# --- vocabulary and umbrellas ------------------------------------------------------------------------------------


async def test_the_vocabulary_labels_every_closed_list_in_dutch_and_english(registry, token):
    slug = f"koepel-{uuid.uuid4().hex[:8]}"
    await registry.post(f"{API}/umbrellas", json={"slug": slug, "name": "Koepel (fictief)"}, headers=token("operator"))
    response = await registry.get(f"{API}/vocabulary")

    assert response.status_code == 200
    vocabulary = response.json()
    for key, enum in [
        ("kinds", CollectiveKind),
        ("legal_forms", LegalForm),
        ("stages", Stage),
        ("themes", Theme),
        ("membership_roles", MembershipRole),
    ]:
        assert [item["code"] for item in vocabulary[key]] == [e.value for e in enum], key
        assert all(item["nl"] and item["en"] for item in vocabulary[key]), key
    assert len(vocabulary["provinces"]) == 12
    assert len(vocabulary["municipalities"]) == 342
    assert {"code": "GM0106", "name": "Assen", "nl": "Assen", "en": "Assen", "province_code": "PV22"} in vocabulary[
        "municipalities"
    ]
    by_code = {p["code"]: p for p in vocabulary["provinces"]}
    assert (by_code["PV27"]["nl"], by_code["PV27"]["en"]) == ("Noord-Holland", "North Holland")
    assert (by_code["PV21"]["nl"], by_code["PV21"]["en"]) == ("Fryslân", "Friesland")
    assert all(p["nl"] and p["en"] for p in vocabulary["provinces"])
    assert "renewable_kwh" in {i["code"] for i in vocabulary["impact_indicators"]}
    assert {"collectives_count", "care_hours"} <= {i["code"] for i in vocabulary["goal_indicators"]}
    assert slug in {u["slug"] for u in vocabulary["umbrellas"]}


async def test_operators_add_umbrellas_that_everyone_can_read(registry, token):
    slug = f"netwerk-{uuid.uuid4().hex[:8]}"
    body = {"slug": slug, "name": "Netwerk Buurtenergie (fictief)", "website": "https://buurt.example.org"}
    created = await registry.post(f"{API}/umbrellas", json=body, headers=token("operator"))
    assert created.status_code == 201, created.text
    umbrella_id = created.json()["id"]
    assert created.headers["location"] == f"{API}/umbrellas/{umbrella_id}"

    assert (await registry.get(f"{API}/umbrellas/{umbrella_id}")).json()["slug"] == slug
    assert (await registry.get(f"{API}/umbrellas/{uuid.uuid4()}")).status_code == 404
    everything, cursor = [], None
    while True:
        page = await registry.get(f"{API}/umbrellas", params={"limit": 3} | ({"cursor": cursor} if cursor else {}))
        everything += [u["slug"] for u in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert slug in everything
    assert everything == sorted(everything)

    duplicate = await registry.post(f"{API}/umbrellas", json=body, headers=token("operator"))
    bad_slug = await registry.post(f"{API}/umbrellas", json=body | {"slug": "Niet Goed"}, headers=token("operator"))
    assert (duplicate.status_code, bad_slug.status_code) == (409, 422)


# --- impact reports ---------------------------------------------------------------------------------------------


async def test_a_collective_reports_its_impact_once_per_year(registry, token):
    coordinator = await new_person(registry, token)
    collective = await new_collective(registry, coordinator)
    url = f"{API}/collectives/{collective['id']}/impact"

    first = await registry.post(url, json={"year": 2024, "values": {"members": 40, "renewable_kwh": 51_000}},
                                headers=coordinator.headers)  # fmt: skip
    assert (first.status_code, first.json()["version"], first.headers["etag"]) == (201, 1, '"1"'), first.text
    second = {"year": 2024, "values": {"members": 42, "co2_avoided_tonnes": 17.3}}
    unconditional = await registry.post(url, json=second, headers=coordinator.headers)
    assert unconditional.status_code == 428  # replacing a year's figures is an update: If-Match
    stale = await registry.post(url, json=second, headers=coordinator.headers | {"If-Match": '"7"'})
    assert stale.status_code == 412
    replaced = await registry.post(url, json=second, headers=coordinator.headers | {"If-Match": first.headers["etag"]})
    assert (replaced.status_code, replaced.json()["version"], replaced.headers["etag"]) == (200, 2, '"2"')
    assert replaced.json()["values"] == {"members": 42, "co2_avoided_tonnes": 17.3}
    await registry.post(url, json={"year": 2025, "values": {"members": 50}}, headers=coordinator.headers)

    listed = (await registry.get(url)).json()
    assert [(r["year"], r["version"]) for r in listed["items"]] == [(2025, 1), (2024, 2)]
    page = (await registry.get(url, params={"limit": 1})).json()
    assert [r["year"] for r in page["items"]] == [2025]
    rest = (await registry.get(url, params={"cursor": page["next_cursor"]})).json()
    assert [r["year"] for r in rest["items"]] == [2024]


@pytest.mark.parametrize(
    ("report", "field"),
    [
        ({"year": 2024, "values": {"smiles": 3}}, "values.smiles"),
        ({"year": 2024, "values": {"members": -1}}, "values.members"),
        ({"year": 2024, "values": {"members": 3.5}}, "values.members"),
        ({"year": 2024, "values": {"members": True}}, "values.members.int"),
        ({"year": 2024, "values": {}}, "values"),
        ({"year": THIS_YEAR + 1, "values": {"members": 3}}, "year"),
        ({"year": 1850, "values": {"members": 3}}, "year"),
        ({"values": {"members": 3}}, "year"),
    ],
)
async def test_invalid_impact_reports_are_refused(registry, token, report, field):
    coordinator = await new_person(registry, token)
    collective = await new_collective(registry, coordinator)
    response = await registry.post(
        f"{API}/collectives/{collective['id']}/impact", json=report, headers=coordinator.headers
    )
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_only_managers_of_an_active_collective_report_impact(registry, token):
    coordinator, outsider = await new_person(registry, token), await new_person(registry, token)
    collective = await new_collective(registry, coordinator)
    url = f"{API}/collectives/{collective['id']}/impact"
    report = {"year": 2024, "values": {"members": 3}}

    assert (await registry.post(url, json=report)).status_code == 401
    assert (await registry.post(url, json=report, headers=outsider.headers)).status_code == 403
    unknown = await registry.post(f"{API}/collectives/{uuid.uuid4()}/impact", json=report, headers=token("operator"))
    assert unknown.status_code == 404
    await registry.post(f"{API}/collectives/{collective['id']}/dissolve", headers=coordinator.headers)
    assert (await registry.post(url, json=report, headers=coordinator.headers)).status_code == 409


# --- shared goals -----------------------------------------------------------------------------------------------


def goal_body(**overrides) -> dict:
    return {
        "title": "Meer zorgcoöperaties in Limburg (fictief)",
        "indicator": "collectives_count",
        "scope_province_code": "PV31",
        "scope_kind": "care_cooperative",
        "baseline_value": 0,
        "target_value": 1000,
        "baseline_date": "2024-01-01",
        "target_date": "2030-12-31",
    } | overrides


async def test_goal_progress_follows_the_register(registry, token):
    created = await registry.post(f"{API}/goals", json=goal_body(), headers=token("operator"))
    assert created.status_code == 201, created.text
    goal = created.json()
    assert goal["scope_label"] == {"nl": "zorgcoöperatie in Limburg", "en": "care cooperative in Limburg"}
    assert goal["progress"]["expected_percentage"] > 0
    before = goal["progress"]["current_value"]

    coordinator = await new_person(registry, token)
    await new_collective(
        registry, coordinator, kind="care_cooperative", municipality_code="GM0935", themes=["care"]
    )  # Maastricht
    after = (await registry.get(f"{API}/goals/{goal['id']}")).json()["progress"]
    assert after["current_value"] == before + 1
    assert after["percentage"] == int((before + 1) / 1000 * 1000) / 10
    listed = (await registry.get(f"{API}/goals", params={"limit": 200})).json()["items"]
    assert goal["id"] in {g["id"] for g in listed}


async def test_goal_progress_on_an_impact_indicator_uses_the_latest_reported_year(registry, token):
    goal = (
        await registry.post(
            f"{API}/goals",
            json=goal_body(indicator="homes_realised", scope_province_code="PV30", scope_kind="housing_cooperative"),
            headers=token("operator"),
        )
    ).json()
    coordinator = await new_person(registry, token)
    collective = await new_collective(
        registry, coordinator, kind="housing_cooperative", municipality_code="GM0772", themes=["housing"]
    )  # Eindhoven
    before = goal["progress"]["current_value"] if goal["progress"]["measured_year"] == THIS_YEAR else 0
    report = {"year": THIS_YEAR, "values": {"homes_realised": 12}}
    await registry.post(f"{API}/collectives/{collective['id']}/impact", json=report, headers=coordinator.headers)

    progress = (await registry.get(f"{API}/goals/{goal['id']}")).json()["progress"]
    assert (progress["measured_year"], progress["current_value"]) == (THIS_YEAR, before + 12)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"indicator": "happiness"}, "indicator"),
        ({"target_value": 0}, "body"),  # equal to the baseline
        ({"target_date": "2023-06-01"}, "body"),  # before the baseline date
        ({"target_value": 10.5}, "target_value"),  # collectives are counted whole
        ({"scope_province_code": "PV99"}, "scope_province_code"),
        ({"scope_kind": "castle"}, "scope_kind"),
        ({"umbrella_id": str(uuid.uuid4())}, "umbrella_id"),
        ({"baseline_value": -5}, "baseline_value"),
        ({"title": ""}, "title"),
    ],
)
async def test_invalid_goals_are_refused(registry, token, change, field):
    response = await registry.post(f"{API}/goals", json=goal_body(**change), headers=token("operator"))
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_goals_are_set_by_operators_only(registry, token):
    assert (await registry.post(f"{API}/goals", json=goal_body())).status_code == 401
    assert (await registry.post(f"{API}/goals", json=goal_body(), headers=token("contributor"))).status_code == 403
    assert (await registry.get(f"{API}/goals/{uuid.uuid4()}")).status_code == 404


# --- sector statistics ------------------------------------------------------------------------------------------


async def stats(registry, **params) -> dict:
    response = await registry.get(f"{API}/stats", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_statistics_count_active_collectives_members_and_growth(registry, token):
    before = await stats(registry)
    coordinator = await new_person(registry, token)
    collective = await new_collective(
        registry,
        coordinator,
        kind="food_collective",
        legal_form="association",
        stage="growth",
        municipality_code="GM0202",  # Arnhem, Gelderland
        themes=["food", "local_economy"],
        member_count=70,
        volunteer_count=12,
        founded_on="2021-08-15",
    )
    after = await stats(registry)

    assert after["active_collectives"] == before["active_collectives"] + 1
    assert after["members_total"] == before["members_total"] + 70
    assert after["volunteers_total"] == before["volunteers_total"] + 12
    assert after["by_kind"]["food_collective"] == before["by_kind"]["food_collective"] + 1
    assert after["by_province"]["PV25"] == before["by_province"]["PV25"] + 1
    assert after["by_stage"]["growth"] == before["by_stage"]["growth"] + 1
    assert after["by_theme"]["local_economy"] == before["by_theme"]["local_economy"] + 1
    quarters = {q["quarter"]: q for q in after["growth"]["quarters"]}
    old_quarters = {q["quarter"]: q for q in before["growth"]["quarters"]}
    assert quarters["2021-Q3"]["registered"] == old_quarters.get("2021-Q3", {"registered": 0})["registered"] + 1
    assert after["growth"]["quarters"][-1]["cumulative"] == sum(q["registered"] for q in after["growth"]["quarters"])

    await registry.post(f"{API}/collectives/{collective['id']}/dissolve", headers=coordinator.headers)
    dissolved = await stats(registry)
    assert dissolved["active_collectives"] == before["active_collectives"]
    assert dissolved["growth"]["quarters"] == after["growth"]["quarters"]  # growth counts registrations


async def test_statistics_roll_impact_up_per_kind_province_and_year(registry, token):
    coordinator = await new_person(registry, token)
    collective = await new_collective(
        registry, coordinator, kind="local_fund", legal_form="foundation", municipality_code="GM0344"
    )  # Utrecht
    before = await stats(registry, kind="local_fund", province="PV26")
    values = {"euros_invested_locally_cents": 1_250_000, "volunteer_hours": 120.5}
    await registry.post(
        f"{API}/collectives/{collective['id']}/impact",
        json={"year": 2023, "values": values},
        headers=coordinator.headers,
    )
    after = await stats(registry, kind="local_fund", province="PV26")

    def cell(figures, indicator):
        return (
            figures["impact"]["by_kind_province_year"]
            .get("local_fund", {})
            .get("PV26", {})
            .get("2023", {})
            .get(indicator, 0)
        )

    for indicator, value in values.items():
        assert cell(after, indicator) == cell(before, indicator) + value
    assert set(after["impact"]["by_kind_province_year"]) == {"local_fund"}
    assert after["impact"]["totals_by_year"]["2023"]["volunteer_hours"] >= 120.5
    assert {k for k, n in after["by_kind"].items() if n} <= {"local_fund"}
    assert {p for p, n in after["by_province"].items() if n} <= {"PV26"}


@pytest.mark.parametrize("query", ["kind=castle", "province=PV00", "province=GM0106"])
async def test_statistics_refuse_unknown_filters(registry, query):
    assert (await registry.get(f"{API}/stats?{query}")).status_code == 422
