"""Demo data for the knowledge service: the articles and questions of `demo_content`, with answers, endorsements and
reuse reports, written together with the events they imply (so rewards awards the points) in one transaction.

People and collectives are the registry's demo records, named by the same deterministic ids; this service cannot
import the registry, so the few collectives it needs are mapped here by key. The seed does not need the read models:
names appear once the registry's events have arrived.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from services.knowledge import events, store
from services.knowledge.demo_content import DEMO_ARTICLES, DEMO_QUESTIONS, DemoArticle
from services.knowledge.domain.markdown import render_markdown
from services.knowledge.domain.spelling import vocabulary_words
from services.knowledge.models import answers, articles, endorsements, questions, reuses
from shared.contracts.knowledge import EndorsementAdded
from shared.demo import demo_id
from shared.service import Runtime

DEMO_CONTRIBUTORS = 40

# One demo collective of each kind (registry demo_data.py): where articles come from and questions are asked.
COLLECTIVE_OF_KIND = {
    "village_cooperative": "col-01",
    "energy_cooperative": "col-02",
    "residents_initiative": "col-03",
    "care_cooperative": "col-04",
    "food_collective": "col-05",
    "village_association": "col-06",
    "housing_cooperative": "col-08",
    "local_fund": "col-09",
    "social_enterprise": "col-10",
    "neighbourhood_cooperative": "col-17",
    "neighbourhood_enterprise": "col-18",
    "other": "col-40",
}

# Collectives that report reusing an article (by the article's slug in demo_content), with their coordinator in
# the registry's demo memberships, who reports it unless they wrote the article.
REUSES = [
    ("energiecooperatie-oprichten-van-idee-tot-eerste-zonnedak", "col-12", "con-08"),
    ("energiecooperatie-oprichten-van-idee-tot-eerste-zonnedak", "col-40", "con-25"),
    ("sjabloon-ondernemingsplan-dorpscooperatie", "col-29", "con-20"),
    ("sjabloon-ondernemingsplan-dorpscooperatie", "col-11", "con-07"),
    ("zorgcooperatie-de-linde-ellerveld", "col-20", "con-12"),
    ("checklist-aanvraag-initiatievenbudget-gemeente", "col-23", "con-16"),
    ("checklist-aanvraag-initiatievenbudget-gemeente", "col-03", "con-03"),
    ("crowdfunding-met-matchfunding", "col-22", "con-15"),
    ("vrijwilligers-werven-inwerken-en-vasthouden", "col-25", "con-15"),
    ("rekenhulp-terugverdientijd-zonnedak", "col-07", "con-05"),
    ("wooncooperatie-starten-eerste-stappen", "col-31", "con-21"),
    ("voedselbos-of-pluktuin-beginnen", "col-22", "con-15"),
    ("dorpshuis-exploiteren-zonder-verlies", "col-06", "con-04"),
    ("lokaal-fonds-oprichten", "col-19", "con-11"),
]

REUSE_NOTE = "Gebruikt bij onze eigen start; scheelde ons veel uitzoekwerk. (demo)"


def contributor(index: int) -> uuid.UUID:
    return demo_id("contributor", f"con-{index % DEMO_CONTRIBUTORS + 1:02d}")


def contributor_by_key(key: str) -> uuid.UUID:
    return demo_id("contributor", key)


def collective_of_kind(kind: str | None) -> uuid.UUID | None:
    key = COLLECTIVE_OF_KIND.get(kind) if kind else None
    return demo_id("collective", key) if key else None


def article_id(item: DemoArticle) -> uuid.UUID:
    return demo_id("article", item.slug)


def endorsers_for(number: int, excluded: set[uuid.UUID], count: int) -> list[uuid.UUID]:
    """Deterministic endorsers among the demo people who did not write the demo content (con-13 … con-40)."""
    chosen: list[uuid.UUID] = []
    for step in range(DEMO_CONTRIBUTORS):
        if len(chosen) >= count:
            break
        candidate = contributor(12 + (number * 7 + step * 3) % (DEMO_CONTRIBUTORS - 12))
        if candidate not in excluded and candidate not in chosen:
            chosen.append(candidate)
    return chosen


async def seed(runtime: Runtime) -> str:
    first = article_id(DEMO_ARTICLES[0])
    async with runtime.transaction() as session:
        if (await session.execute(select(articles.c.id).where(articles.c.id == first))).first() is not None:
            return "demo content already there"
        start = datetime.now(UTC) - timedelta(days=400)
        published: dict[str, tuple] = {}
        endorsement_count = 0
        for number, item in enumerate(DEMO_ARTICLES):
            authors = [contributor(i) for i in item.authors]
            moment = start + timedelta(days=number * 8, hours=number)
            values = {
                "id": article_id(item),
                "title": item.title,
                "summary": item.summary,
                "body": item.body,
                "kind": item.kind,
                "themes": list(item.themes),
                "collective_kinds": list(item.collective_kinds),
                "stages": list(item.stages),
                "language": item.language,
                "license": item.license,
                "collective_id": collective_of_kind(item.from_collective_kind),
                "status": "published",
                "published_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }
            row = await store.insert_article(session, values)
            await store.set_authors(session, row.id, authors)
            await store.record_revision(
                session, row, authors, ["authors", "body", "summary", "title"], (authors[0], "author")
            )
            await store.adjust_vocabulary(session, vocabulary_words(row.title, row.summary, language=row.language), 1)
            await events.article_published(runtime.outbox, session, row, authors)
            endorsers = endorsers_for(number, set(authors), number * 5 % 6)
            for endorser in endorsers:
                await endorse(runtime, session, "article", row.id, row.id, endorser, authors, row.themes)
            endorsement_count += len(endorsers)
            await session.execute(
                update(articles).where(articles.c.id == row.id).values(endorsement_count=len(endorsers))
            )
            published[item.slug] = (row, authors)

        reuse_count = 0
        for slug, collective_key, coordinator_key in REUSES:
            row, authors = published[slug]
            reporter = contributor_by_key(coordinator_key)
            values = {
                "id": demo_id("reuse", f"{slug}:{collective_key}"),
                "article_id": row.id,
                "collective_id": demo_id("collective", collective_key),
                "reporter_id": None if reporter in authors else reporter,
                "note": REUSE_NOTE,
            }
            reuse = (await session.execute(insert(reuses).values(**values).returning(reuses))).one()
            await store.count_change(session, articles, row.id, "reuse_count", 1)
            await events.reuse_reported(runtime.outbox, session, reuse, row, authors)
            reuse_count += 1

        answer_count = 0
        for number, item in enumerate(DEMO_QUESTIONS):
            asked = start + timedelta(days=300 + number * 9)
            question = (
                await session.execute(
                    insert(questions)
                    .values(
                        id=demo_id("question", f"q-{number + 1:02d}"),
                        title=item.title,
                        body=item.body,
                        body_html=render_markdown(item.body),
                        asker_id=contributor(item.asker),
                        collective_id=collective_of_kind(item.on_behalf_of_kind),
                        themes=list(item.themes),
                        language=item.language,
                        status="answered" if item.answers else "open",
                        answer_count=len(item.answers),
                        created_at=asked,
                        updated_at=asked,
                    )
                    .returning(questions)
                )
            ).one()
            await events.question_asked(runtime.outbox, session, question)
            for position, demo_answer in enumerate(item.answers):
                answered = asked + timedelta(days=1, hours=position * 5)
                answer = (
                    await session.execute(
                        insert(answers)
                        .values(
                            id=demo_id("answer", f"q-{number + 1:02d}-{position + 1}"),
                            question_id=question.id,
                            author_id=contributor(demo_answer.author),
                            body=demo_answer.body,
                            body_html=render_markdown(demo_answer.body),
                            created_at=answered,
                            updated_at=answered,
                        )
                        .returning(answers)
                    )
                ).one()
                await events.answer_posted(runtime.outbox, session, answer, question)
                answer_count += 1
                if demo_answer.accepted:
                    question = await store.update_where(
                        session,
                        questions,
                        questions.c.id == question.id,
                        {"status": "resolved", "accepted_answer_id": answer.id},
                    )
                    answer = await store.update_where(session, answers, answers.c.id == answer.id, {"accepted": True})
                    await events.answer_accepted(runtime.outbox, session, answer, question)
                    excluded = {question.asker_id, answer.author_id}
                    for endorser in endorsers_for(number + 50, excluded, 2):
                        await endorse(
                            runtime, session, "answer", answer.id, None, endorser, [answer.author_id], question.themes
                        )
                        endorsement_count += 1
                    await session.execute(update(answers).where(answers.c.id == answer.id).values(endorsement_count=2))
    return (
        f"{len(DEMO_ARTICLES)} articles, {len(DEMO_QUESTIONS)} questions with {answer_count} answers, "
        f"{endorsement_count} endorsements, {reuse_count} reuse reports"
    )


async def endorse(
    runtime: Runtime,
    session,
    target_type: str,
    target_id: uuid.UUID,
    article: uuid.UUID | None,
    endorser: uuid.UUID,
    credited: list[uuid.UUID],
    themes: list[str],
) -> None:
    values = {
        "id": demo_id("endorsement", f"{target_type}:{target_id}:{endorser}"),
        "target_type": target_type,
        "target_id": target_id,
        "article_id": article,
        "endorser_id": endorser,
    }
    row = (await session.execute(insert(endorsements).values(**values).returning(endorsements))).one()
    await events.endorsement_changed(runtime.outbox, session, EndorsementAdded, row, credited, themes)
