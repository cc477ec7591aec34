import pytest
from sqlalchemy import func, select

from services.knowledge import seed
from services.knowledge.demo_content import DEMO_ARTICLES, DEMO_QUESTIONS
from services.knowledge.models import articles, endorsements, questions, reuses

pytestmark = pytest.mark.integration


async def test_seed_writes_demo_content_and_its_events_once(client):
    runtime = client.app.state.runtime
    outbox = runtime.spec.tables.outbox
    first = await seed.seed(runtime)
    assert f"{len(DEMO_ARTICLES)} articles" in first
    assert await seed.seed(runtime) == "demo content already there"

    async with runtime.sessions() as session:
        ids = [seed.article_id(a) for a in DEMO_ARTICLES]
        count = (await session.execute(select(func.count()).where(articles.c.id.in_(ids)))).scalar()
        assert count == len(DEMO_ARTICLES)
        demo_questions = [seed.demo_id("question", f"q-{n + 1:02d}") for n in range(len(DEMO_QUESTIONS))]
        resolved = (
            await session.execute(
                select(func.count()).where(questions.c.id.in_(demo_questions), questions.c.status == "resolved")
            )
        ).scalar()
        assert resolved == sum(1 for q in DEMO_QUESTIONS if any(a.accepted for a in q.answers))
        reported = (await session.execute(select(func.count()).select_from(reuses))).scalar()
        assert reported >= len(seed.REUSES)
        published_events = (
            await session.execute(
                select(func.count()).where(
                    outbox.c.type == "nl.onderop.knowledge.article.published.v1",
                    outbox.c.subject.in_([str(i) for i in ids]),
                )
            )
        ).scalar()
        assert published_events == len(DEMO_ARTICLES)
        endorsed = (await session.execute(select(func.count()).where(endorsements.c.article_id.in_(ids)))).scalar()
        counted = (
            await session.execute(select(func.sum(articles.c.endorsement_count)).where(articles.c.id.in_(ids)))
        ).scalar()
        assert endorsed == counted > 0
        authors_are_not_endorsers = await session.execute(
            select(func.count())
            .select_from(endorsements)
            .where(endorsements.c.endorser_id.in_([seed.contributor(i) for i in range(12)]))
        )
        assert authors_are_not_endorsers.scalar() == 0

    search = await client.get("/knowledge/v1/search", params={"q": "energiecoöperatie oprichten"})
    assert str(ids[0]) in [item["id"] for item in search.json()["items"]]
    typo = await client.get("/knowledge/v1/search", params={"q": "energiecooperatei"})
    assert typo.json()["did_you_mean"] == "energiecooperatie" and str(ids[0]) in [i["id"] for i in typo.json()["items"]]
    # the demo titles have "subsidieaanvraag" but not "subsidie" alone: the closest title word is suggested
    typo = await client.get("/knowledge/v1/search", params={"q": "subsidei"})
    assert typo.json()["did_you_mean"] and typo.json()["total"] > 0
