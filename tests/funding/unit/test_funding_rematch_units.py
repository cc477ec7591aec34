"""The pure parts of incremental matching: the diff between stored and new verdicts, and the instrument cache's
area-and-kind index (which must give exactly the verdicts of matching against the whole catalogue)."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.funding.domain.matching import CollectiveProfile, InstrumentProfile, Verdict, verdicts_for_collective
from services.funding.rematch import PROFILE_FIELDS, InstrumentCache, diff_matches
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage, Theme, municipalities

pytestmark = pytest.mark.unit

TODAY = date(2026, 6, 1)
A, B, C, D = (uuid.UUID(int=n) for n in range(1, 5))
MUNICIPALITIES = sorted(municipalities().values(), key=lambda m: m.code)[:30]
PROVINCES = sorted({m.province_code for m in MUNICIPALITIES})


def test_the_diff_reports_flips_only_where_eligibility_changes():
    existing = {A: (True, 80), B: (False, 40), C: (True, 60), D: (True, 50)}
    verdicts = {A: Verdict(True, 70), B: Verdict(True, 40), C: Verdict(False, 60)}
    diff = diff_matches(existing, verdicts)
    assert sorted(key for key, _ in diff.upserts) == sorted([A, B, C])  # A: score only; B, C: eligibility
    assert diff.removed == [D]
    assert [key for key, _ in diff.found] == [B]
    assert sorted(key for key, _ in diff.lost) == sorted([C, D])


def test_an_unchanged_verdict_writes_nothing():
    diff = diff_matches({A: (True, 80)}, {A: Verdict(True, 80)})
    assert (diff.upserts, diff.removed, diff.found, diff.lost) == ([], [], [], [])


def test_a_new_ineligible_pair_is_stored_without_an_event():
    diff = diff_matches({}, {A: Verdict(False, 30)})
    assert [key for key, _ in diff.upserts] == [A]
    assert (diff.found, diff.lost) == ([], [])


codes = st.sampled_from([m.code for m in MUNICIPALITIES])
kinds = st.sampled_from([k.value for k in CollectiveKind])


@st.composite
def collectives(draw):
    municipality = draw(st.none() | codes)
    province = (
        municipalities()[municipality].province_code if municipality else draw(st.none() | st.sampled_from(PROVINCES))
    )
    return CollectiveProfile(
        id=uuid.uuid4(),
        kind=draw(kinds),
        legal_form=draw(st.sampled_from([f.value for f in LegalForm])),
        stage=draw(st.sampled_from([s.value for s in Stage])),
        themes=frozenset(draw(st.sets(st.sampled_from([t.value for t in Theme]), max_size=3))),
        municipality_code=municipality,
        province_code=province,
        member_count=draw(st.none() | st.integers(0, 100)),
    )


@st.composite
def instruments(draw):
    national = draw(st.booleans())
    return InstrumentProfile(
        id=uuid.uuid4(),
        funder_id=uuid.uuid4(),
        form="grant",
        collective_kinds=frozenset(draw(st.sets(kinds, max_size=3))),
        stages=frozenset(draw(st.sets(st.sampled_from([s.value for s in Stage]), max_size=2))),
        national=national,
        provinces=frozenset() if national else frozenset(draw(st.sets(st.sampled_from(PROVINCES), max_size=2))),
        municipalities=frozenset() if national else frozenset(draw(st.sets(codes, max_size=3))),
        min_members=draw(st.none() | st.integers(0, 50)),
    )


def cache_of(profiles: list[InstrumentProfile]) -> InstrumentCache:
    cache = InstrumentCache()
    rows = [
        SimpleNamespace(id=p.id, change_seq=n, **{name: getattr(p, name) for name in PROFILE_FIELDS})
        for n, p in enumerate(profiles, start=1)
    ]
    cache.apply(rows)
    return cache


@settings(max_examples=60, deadline=None)
@given(st.lists(instruments(), max_size=25), st.lists(collectives(), min_size=1, max_size=8))
def test_the_cache_index_gives_the_verdicts_of_the_whole_catalogue(catalogue, people):
    cache = cache_of(catalogue)
    for collective in people:
        assert verdicts_for_collective(collective, cache.candidates(collective), TODAY) == verdicts_for_collective(
            collective, catalogue, TODAY
        )


def test_the_cache_keeps_the_newest_version_and_drops_closed_instruments():
    first = InstrumentProfile(id=A, funder_id=B, form="grant", national=True, name="v1")
    cache = cache_of([first])
    newer = SimpleNamespace(id=A, change_seq=5, **{n: getattr(first, n) for n in PROFILE_FIELDS} | {"name": "v5"})
    older = SimpleNamespace(id=A, change_seq=3, **{n: getattr(first, n) for n in PROFILE_FIELDS} | {"name": "v3"})
    cache.apply([newer])
    cache.apply([older])  # a slower concurrent refresh must not bring back an old version
    assert cache.profiles[A][1].name == "v5"
    assert cache.seen_seq == 5
    closed = SimpleNamespace(
        id=A, change_seq=6, **{n: getattr(first, n) for n in PROFILE_FIELDS} | {"status": "closed"}
    )
    cache.apply([closed])
    assert len(cache) == 0
    assert cache.candidates(CollectiveProfile(id=C, kind="other", legal_form="informal", stage="idea")) == []


def test_the_collector_pause_nests_and_restores_the_previous_state():
    import gc

    from services.funding.rematch import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    try:
        with collector_paused():
            raise RuntimeError("a failed re-match")
    except RuntimeError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()
