import pytest
from registry_support import API, collective_body, new_person, registry  # noqa: F401

pytestmark = pytest.mark.integration


async def test_smoke(registry, token):
    p = await new_person(registry, token)
    r = await registry.post(f"{API}/collectives", json=collective_body(), headers=p.headers)
    print(r.status_code, r.text)
    assert r.status_code == 201
    cid = r.json()["id"]
    for path in [f"/collectives/{cid}", "/collectives?q=energie", f"/collectives/{cid}/history", f"/collectives/{cid}/members",
                 f"/contributors/{p.id}", "/stats", "/vocabulary", "/umbrellas", "/goals", f"/collectives/{cid}/impact"]:
        r = await registry.get(API + path, headers=p.headers)
        print(path, r.status_code, r.text[:600])
        assert r.status_code == 200
