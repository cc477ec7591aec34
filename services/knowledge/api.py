"""Knowledge HTTP routes: parse → decide → write with the outbox in one transaction → respond.

Authorisation matrix. A "person" is a token with role `contributor` whose `sub` is registered in the read model of
the registry's contributors (fed by its events; erased people are not registered). "Author" = one of the article's
authors. "Member" of a collective = an active membership in the read model (fed by `membership.*`), or a
collective_admin token scoped to it, or an operator.

| route                                           | anonymous | who may                                                |
| ----------------------------------------------- | --------- | ------------------------------------------------------ |
| GET articles (published), search, revisions,    | yes       | anyone; drafts and retracted articles (and their       |
|   questions, recommendations, experts           |           |   revisions) only for authors and operators, else 404  |
| POST /articles                                  | 401       | a person who is one of the authors (all authors must   |
|                                                 |           |   be registered: 422); an operator for any authors;    |
|                                                 |           |   from a collective only as its member (403)           |
| PATCH /articles/{id}, POST …/publish, …/retract | 401       | an author or an operator; else 403                     |
| POST /articles/{id}/endorsements,               | 401       | a person, never an author (403), once (409);           |
|   POST /answers/{id}/endorsements               |           |   never the answer's author (403)                      |
| DELETE …/endorsements/me                        | 401       | the person who endorsed (404 when they have not)       |
| POST /articles/{id}/reuses                      | 401       | a member of the collective (403), never an author (403)|
| POST /questions                                 | 401       | a person; on behalf of a collective only as a member   |
| POST /questions/{id}/answers                    | 401       | a person                                               |
| POST /answers/{id}/accept                       | 401       | only the asker (not even an operator), never their own |
|                                                 |           |   answer (403); once per question (409)                |
| POST /questions/{id}/close                      | 401       | the asker or an operator                               |

Checks run in a fixed order: 401 (no token) → 404 (unknown or not visible) → 403 (not allowed) → 409 (state)
→ 428/412 (If-Match) → 422/409 (the change itself).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Row, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.knowledge import events, search, store
from services.knowledge.access import (
    OPERATOR,
    editor_of,
    may_act_for_collective,
    may_see_article,
    person_of,
    registered_person,
    sees_drafts,
)
from services.knowledge.domain import ranking
from services.knowledge.domain.markdown import render_markdown
from services.knowledge.domain.spelling import vocabulary_words
from services.knowledge.models import (
    answers,
    article_authors,
    article_revisions,
    articles,
    collectives,
    contributors,
    endorsements,
    questions,
    reuses,
)
from services.knowledge.schemas import (
    AnswerIn,
    AnswerOut,
    ArticleIn,
    ArticleKind,
    ArticleOut,
    ArticlePage,
    ArticlePatch,
    ArticleSummaryOut,
    AuthorOut,
    EndorsementOut,
    ExpertOut,
    Experts,
    Language,
    PersonOut,
    QuestionIn,
    QuestionOut,
    QuestionPage,
    QuestionStatus,
    QuestionSummaryOut,
    Recommendations,
    RecommendedArticle,
    RecommendedQuestion,
    ReuseIn,
    ReuseOut,
    RevisionPage,
    SearchResult,
)
from shared.auth import CurrentPrincipal, MaybePrincipal, Principal
from shared.contracts.knowledge import EndorsementAdded, EndorsementWithdrawn
from shared.contracts.vocabulary import CollectiveKind, Stage, Theme
from shared.http import (
    Cursor,
    Limit,
    Problem,
    conflict,
    decode_cursor,
    encode_cursor,
    etag,
    forbidden,
    invalid,
    not_found,
    require_if_match,
)
from shared.service import RuntimeDep

router = APIRouter(prefix="/knowledge/v1", tags=["knowledge"])

MAX_SEARCH_OFFSET = 10_000
FIRST_REVISION_FIELDS = sorted({*store.REVISION_FIELDS, "authors"} - {"status"})


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def now() -> datetime:
    return datetime.now(UTC)


# --- articles -------------------------------------------------------------------------------------------------


async def article_out(session: AsyncSession, row: Row, authors: list[uuid.UUID | None]) -> ArticleOut:
    names = await store.display_names(session, authors)
    collective_names = await store.collective_names(session, [row.collective_id])
    values = row._asdict()
    values["authors"] = [AuthorOut(contributor_id=a, display_name=names.get(a) if a else None) for a in authors]
    values["collective_name"] = collective_names.get(row.collective_id)
    return ArticleOut.model_validate(values)


async def visible_article(
    session: AsyncSession, principal: Principal | None, article_id: uuid.UUID
) -> tuple[Row, list[uuid.UUID | None]]:
    row = (await session.execute(select(articles).where(articles.c.id == article_id))).first()
    if row is None:
        raise not_found("article", article_id)
    authors = (await store.authors_of(session, [row.id]))[row.id]
    if not may_see_article(principal, row, authors):
        raise not_found("article", article_id)
    return row, authors


async def require_registered_authors(session: AsyncSession, authors: list[uuid.UUID]) -> None:
    known = await store.active_contributors(session, authors)
    missing = [str(a) for a in authors if a not in known]
    if missing:
        raise invalid("authors", f"not registered contributors (yet): {', '.join(missing)}")


async def require_known_collective(session: AsyncSession, collective_id: uuid.UUID | None) -> Row | None:
    if collective_id is None:
        return None
    row = await store.fetch(session, collectives, id=collective_id)
    if row is None:
        raise invalid("collective_id", f"no registered collective with id {collective_id}")
    return row


async def require_voice_of(session: AsyncSession, principal: Principal, collective_id: uuid.UUID | None) -> None:
    """An article names the collective it comes from only when written by one of its members (or its admin, or an
    operator): otherwise anyone could put a collective's name on their text."""
    collective = await require_known_collective(session, collective_id)
    if collective is not None and not await may_act_for_collective(session, principal, collective.id):
        raise forbidden("only the collective's members, its admins and operators may write on its behalf")


def not_published(row: Row) -> Problem:
    return conflict("article-not-published", f"article {row.id} is {row.status}, not published")


@router.post("/articles", status_code=201, response_model=ArticleOut)
async def create_article(
    body: ArticleIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> ArticleOut:
    person = person_of(principal)
    if person is None and not principal.is_operator:
        raise forbidden("writing an article needs a contributor's token (or an operator's)")
    authors = body.authors or ([person] if person else [])
    if not authors:
        raise invalid("authors", "an operator names the authors")
    editor = editor_of(principal, authors)
    values = body.model_dump(exclude={"authors"}) | {"id": uuid.uuid4()}
    if body.status == "published":
        values["published_at"] = now()
    async with runtime.transaction() as session:
        await require_registered_authors(session, authors)
        await require_voice_of(session, principal, body.collective_id)
        row = await store.insert_article(session, values)
        await store.set_authors(session, row.id, authors)
        await store.record_revision(session, row, authors, FIRST_REVISION_FIELDS, editor)
        if row.status == "published":
            await store.adjust_vocabulary(session, vocabulary_words(row.title, row.summary, language=row.language), 1)
            await events.article_published(runtime.outbox, session, row, authors)
        out = await article_out(session, row, authors)
    response.headers["Location"] = f"{router.prefix}/articles/{row.id}"
    with_etag(response, row.version)
    return out


@router.get("/articles", response_model=ArticlePage)
async def list_articles(
    runtime: RuntimeDep,
    principal: MaybePrincipal,
    kind: ArticleKind | None = None,
    theme: Theme | None = None,
    language: Language | None = None,
    collective_id: uuid.UUID | None = None,
    author_id: uuid.UUID | None = None,
    mine: bool = Query(False, description="the caller's own articles, drafts and retracted ones included"),
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ArticlePage:
    """Newest first. Published articles only, unless `mine=true` (then every status, the caller's own)."""
    conditions = []
    if mine:
        if principal is None:
            raise Problem(401, "unauthenticated", "Unauthorized", "`mine` needs a bearer token")
        person = person_of(principal)
        if person is None:
            raise forbidden("`mine` needs a contributor's token")
        author_id = person
    else:
        conditions.append(articles.c.status == "published")
    if kind:
        conditions.append(articles.c.kind == kind)
    if theme:
        conditions.append(articles.c.themes.contains([theme]))
    if language:
        conditions.append(articles.c.language == language)
    if collective_id:
        conditions.append(articles.c.collective_id == collective_id)
    if author_id:
        by_author = select(article_authors.c.article_id).where(article_authors.c.contributor_id == author_id)
        conditions.append(articles.c.id.in_(by_author))
    keys = [articles.c.created_at, articles.c.id]
    async with runtime.sessions() as session:
        query = select(articles).where(*conditions)
        rows, next_cursor = await store.keyset_page(session, query, keys, cursor, limit, descending=True)
    items = [ArticleSummaryOut.model_validate(row, from_attributes=True) for row in rows]
    return ArticlePage(items=items, next_cursor=next_cursor)


@router.get("/articles/{article_id}", response_model=ArticleOut)
async def get_article(
    article_id: uuid.UUID, runtime: RuntimeDep, principal: MaybePrincipal, response: Response
) -> ArticleOut:
    async with runtime.sessions() as session:
        row, authors = await visible_article(session, principal, article_id)
        out = await article_out(session, row, authors)
    with_etag(response, row.version)
    return out


def content_changes(row: Row, proposed: dict[str, Any], authors: list[uuid.UUID | None]) -> dict[str, Any]:
    changes = {}
    for name, value in proposed.items():
        current = authors if name == "authors" else getattr(row, name)
        if name == "authors":
            current = [a for a in current if a is not None]
        if value != current:
            changes[name] = value
    return changes


@router.patch("/articles/{article_id}", response_model=ArticleOut)
async def revise_article(
    article_id: uuid.UUID,
    body: ArticlePatch,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
) -> ArticleOut:
    """A new revision with the fields sent. A published article stays published and announces `article.revised`."""
    async with runtime.transaction() as session:
        row, authors = await visible_article(session, principal, article_id)
        editor = editor_of(principal, authors)
        if row.status == "retracted":
            raise conflict("article-retracted", f"article {row.id} was retracted and can no longer change")
        require_if_match(request, row.version)
        changes = content_changes(row, body.changes(), authors)
        new_authors = changes.pop("authors", None)
        if new_authors is not None:
            await require_registered_authors(session, new_authors)
            if editor[1] != OPERATOR and editor[0] not in new_authors:
                raise invalid("authors", "you cannot remove yourself; ask a co-author or an operator")
        if "collective_id" in changes:
            await require_voice_of(session, principal, changes["collective_id"])
        if changes or new_authors is not None:
            updated = await store.update_article(session, row, changes)
            if updated is None:
                raise Problem(412, "stale-version", "Precondition failed", "the article changed meanwhile")
            if new_authors is not None:
                await store.set_authors(session, row.id, new_authors)
                authors = list(new_authors)
            changed = sorted([*changes, *(["authors"] if new_authors is not None else [])])
            await store.record_revision(session, updated, authors, changed, editor)
            if updated.status == "published":
                await republish_vocabulary(session, row, updated)
                await events.article_revised(runtime.outbox, session, updated, authors, editor[0])
            row = updated
        out = await article_out(session, row, authors)
    with_etag(response, row.version)
    return out


async def republish_vocabulary(session: AsyncSession, before: Row, after: Row) -> None:
    old = vocabulary_words(before.title, before.summary, language=before.language)
    new = vocabulary_words(after.title, after.summary, language=after.language)
    await store.adjust_vocabulary(session, old - new, -1)
    await store.adjust_vocabulary(session, new - old, 1)


@router.post("/articles/{article_id}/publish", response_model=ArticleOut)
async def publish_article(
    article_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, request: Request, response: Response
) -> ArticleOut:
    """Draft → published. `If-Match` is optional here."""
    async with runtime.transaction() as session:
        row, authors = await visible_article(session, principal, article_id)
        editor_of(principal, authors)
        if row.status != "draft":
            raise conflict("article-not-draft", f"article {row.id} is {row.status}; only a draft can be published")
        if request.headers.get("if-match"):
            require_if_match(request, row.version)
        updated = await store.change_status(session, row.id, "draft", {"status": "published", "published_at": now()})
        if updated is None:
            raise conflict("article-not-draft", f"article {row.id} changed meanwhile")
        await store.adjust_vocabulary(
            session, vocabulary_words(updated.title, updated.summary, language=updated.language), 1
        )
        await events.article_published(runtime.outbox, session, updated, authors)
        out = await article_out(session, updated, authors)
    with_etag(response, updated.version)
    return out


@router.post("/articles/{article_id}/retract", response_model=ArticleOut)
async def retract_article(
    article_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, request: Request, response: Response
) -> ArticleOut:
    """Published → retracted: it leaves search and public view; its revisions stay for its authors."""
    async with runtime.transaction() as session:
        row, authors = await visible_article(session, principal, article_id)
        editor_of(principal, authors)
        if row.status != "published":
            raise conflict("article-not-published", f"article {row.id} is {row.status}; only published can retract")
        if request.headers.get("if-match"):
            require_if_match(request, row.version)
        values = {"status": "retracted", "retracted_at": now()}
        updated = await store.change_status(session, row.id, "published", values)
        if updated is None:
            raise conflict("article-not-published", f"article {row.id} changed meanwhile")
        await store.adjust_vocabulary(session, vocabulary_words(row.title, row.summary, language=row.language), -1)
        await events.article_retracted(runtime.outbox, session, updated, authors)
        out = await article_out(session, updated, authors)
    with_etag(response, updated.version)
    return out


@router.get("/articles/{article_id}/revisions", response_model=RevisionPage)
async def list_revisions(
    article_id: uuid.UUID, runtime: RuntimeDep, principal: MaybePrincipal, limit: Limit = 50, cursor: Cursor = None
) -> RevisionPage:
    """Every revision, newest first: who changed which fields, and the full content as it was. What was written
    while the article was a draft stays between its authors and operators (DOMAIN.md: every *published* change)."""
    async with runtime.sessions() as session:
        _, authors = await visible_article(session, principal, article_id)
        query = select(article_revisions).where(article_revisions.c.article_id == article_id)
        if not sees_drafts(principal, authors):
            # The last draft revision is the text as it was published (publishing adds no revision).
            as_published = (
                select(func.coalesce(func.max(article_revisions.c.revision), 0))
                .where(article_revisions.c.article_id == article_id, article_revisions.c.status == "draft")
                .scalar_subquery()
            )
            query = query.where(article_revisions.c.revision >= as_published)
        rows, next_cursor = await store.keyset_page(
            session, query, [article_revisions.c.revision], cursor, limit, descending=True
        )
    return RevisionPage.model_validate({"items": [row._asdict() for row in rows], "next_cursor": next_cursor})


# --- search ---------------------------------------------------------------------------------------------------


@router.get("/search", response_model=SearchResult)
async def search_articles(
    runtime: RuntimeDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    kind: ArticleKind | None = None,
    theme: Theme | None = None,
    collective_kind: CollectiveKind | None = None,
    stage: Stage | None = None,
    language: Language | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Published articles matching `q` in Dutch and English (or the `language` asked for), best first, with
    snippets and facet counts over all matches. Without `q`: the newest. When little is found, `did_you_mean`
    suggests a spelling from the titles, and when nothing is found the results are for that suggestion."""
    offset = 0
    position = decode_cursor(cursor, 1)
    if position is not None:
        if not position[0].isdigit() or int(position[0]) > MAX_SEARCH_OFFSET:
            raise invalid("cursor", "not a cursor this service issued")
        offset = int(position[0])
    filters = store.SearchFilters(
        kind=kind, theme=theme, collective_kind=collective_kind, stage=stage, language=language
    )
    text = q.strip() if q else None
    async with search.reader(runtime.engine) as connection:
        result = await search.run(connection, text or None, filters, limit=limit, offset=offset)
    next_offset = result.pop("next_offset")
    result["next_cursor"] = encode_cursor([next_offset]) if next_offset is not None else None
    return result


# --- endorsements and reuse -----------------------------------------------------------------------------------


async def add_endorsement(
    session: AsyncSession,
    runtime,
    *,
    endorser: uuid.UUID,
    target_type: str,
    target_id: uuid.UUID,
    article_id: uuid.UUID | None,
    credited: list[uuid.UUID | None],
    themes: list[str],
    counter: tuple,
) -> EndorsementOut:
    if await store.standing_endorsement(session, target_type, target_id, endorser) is not None:
        raise conflict("already-endorsed", f"you already endorsed this {target_type}")
    statement = (
        pg_insert(endorsements)
        .values(
            id=uuid.uuid4(),
            target_type=target_type,
            target_id=target_id,
            article_id=article_id,
            endorser_id=endorser,
        )
        .on_conflict_do_nothing()
        .returning(endorsements)
    )
    row = (await session.execute(statement)).first()
    if row is None:
        raise conflict("already-endorsed", f"you already endorsed this {target_type}")
    count = await store.count_change(session, *counter, 1)
    await events.endorsement_changed(runtime.outbox, session, EndorsementAdded, row, credited, themes)
    return EndorsementOut.model_validate(row._asdict() | {"endorsement_count": count})


async def withdraw_endorsement(
    session: AsyncSession,
    runtime,
    *,
    endorser: uuid.UUID,
    target_type: str,
    target_id: uuid.UUID,
    credited: list[uuid.UUID | None],
    themes: list[str],
    counter: tuple,
) -> None:
    standing = await store.standing_endorsement(session, target_type, target_id, endorser)
    if standing is None:
        raise not_found("endorsement", f"{target_type}/{target_id}/me")
    statement = (
        update(endorsements)
        .where(endorsements.c.id == standing.id, endorsements.c.status == "active")
        .values(status="withdrawn", withdrawn_at=func.now())
        .returning(endorsements)
    )
    row = (await session.execute(statement)).first()
    if row is None:
        raise not_found("endorsement", f"{target_type}/{target_id}/me")
    await store.count_change(session, *counter, -1)
    await events.endorsement_changed(runtime.outbox, session, EndorsementWithdrawn, row, credited, themes)


@router.post("/articles/{article_id}/endorsements", status_code=201, response_model=EndorsementOut)
async def endorse_article(article_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep) -> EndorsementOut:
    """ "This helped us": one standing endorsement per person (409 twice), never on one's own article (403)."""
    async with runtime.transaction() as session:
        row, authors = await visible_article(session, principal, article_id)
        person = await registered_person(session, principal)
        if person in authors:
            raise forbidden("you cannot endorse your own article")
        if row.status != "published":
            raise not_published(row)
        return await add_endorsement(
            session,
            runtime,
            endorser=person,
            target_type="article",
            target_id=row.id,
            article_id=row.id,
            credited=authors,
            themes=row.themes,
            counter=(articles, row.id, "endorsement_count"),
        )


@router.delete("/articles/{article_id}/endorsements/me", status_code=204)
async def withdraw_article_endorsement(
    article_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep
) -> Response:
    person = person_of(principal)
    if person is None:
        raise forbidden("this needs a contributor's token")
    async with runtime.transaction() as session:
        # Not `visible_article`: an endorsement of an article retracted since stays withdrawable by its endorser
        # (rewards undoes only the net still credited, so nothing is taken twice). Without one, it is 404 anyway.
        row = await store.fetch_or_404(session, articles, "article", id=article_id)
        authors = (await store.authors_of(session, [row.id]))[row.id]
        await withdraw_endorsement(
            session,
            runtime,
            endorser=person,
            target_type="article",
            target_id=row.id,
            credited=authors,
            themes=row.themes,
            counter=(articles, row.id, "endorsement_count"),
        )
    return Response(status_code=204)


@router.post("/articles/{article_id}/reuses", status_code=201, response_model=ReuseOut)
async def report_reuse(
    article_id: uuid.UUID, body: ReuseIn, principal: CurrentPrincipal, runtime: RuntimeDep
) -> ReuseOut:
    """A collective applied the article. Reported by one of its members (or its admin, or an operator), once per
    collective and article (409), never by one of the article's authors (403)."""
    async with runtime.transaction() as session:
        row, authors = await visible_article(session, principal, article_id)
        collective = await require_known_collective(session, body.collective_id)
        if not await may_act_for_collective(session, principal, collective.id):
            raise forbidden("only the collective's members, its admins and operators may report its reuse")
        person = person_of(principal)
        if person is not None and person in authors:
            raise forbidden("you cannot report reuse of your own article")
        if row.status != "published":
            raise not_published(row)
        if collective.status != "active":
            raise conflict("collective-dissolved", f"collective {collective.id} is dissolved and reuses nothing now")
        statement = (
            pg_insert(reuses)
            .values(id=uuid.uuid4(), article_id=row.id, collective_id=collective.id, reporter_id=person, note=body.note)
            .on_conflict_do_nothing()
            .returning(reuses)
        )
        reuse = (await session.execute(statement)).first()
        if reuse is None:
            raise conflict("already-reported", "this collective already reported reusing this article")
        count = await store.count_change(session, articles, row.id, "reuse_count", 1)
        await events.reuse_reported(runtime.outbox, session, reuse, row, authors)
    return ReuseOut.model_validate(reuse._asdict() | {"reuse_count": count})


# --- questions and answers -------------------------------------------------------------------------------------


def person_out(contributor_id: uuid.UUID | None, names: dict[uuid.UUID, str]) -> PersonOut:
    return PersonOut(contributor_id=contributor_id, display_name=names.get(contributor_id) if contributor_id else None)


def answer_out(row: Row, names: dict[uuid.UUID, str]) -> AnswerOut:
    return AnswerOut.model_validate(row._asdict() | {"author": person_out(row.author_id, names)})


@router.post("/questions", status_code=201, response_model=QuestionOut)
async def ask_question(
    body: QuestionIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> QuestionOut:
    async with runtime.transaction() as session:
        person = await registered_person(session, principal)
        collective = await require_known_collective(session, body.collective_id)
        if collective is not None and not await may_act_for_collective(session, principal, collective.id):
            raise forbidden("only the collective's members may ask on its behalf")
        values = body.model_dump() | {
            "id": uuid.uuid4(),
            "asker_id": person,
            "body_html": render_markdown(body.body),
        }
        row = (await session.execute(pg_insert(questions).values(**values).returning(questions))).one()
        await events.question_asked(runtime.outbox, session, row)
        names = await store.display_names(session, [person])
    response.headers["Location"] = f"{router.prefix}/questions/{row.id}"
    with_etag(response, row.version)
    return question_out(row, names, [], collective.name if collective else None)


def question_out(row: Row, names: dict, answer_rows: list[Row], collective_name: str | None) -> QuestionOut:
    return QuestionOut.model_validate(
        row._asdict()
        | {
            "asker": person_out(row.asker_id, names),
            "answers": [answer_out(a, names) for a in answer_rows],
            "collective_name": collective_name,
        }
    )


@router.get("/questions", response_model=QuestionPage)
async def list_questions(
    runtime: RuntimeDep,
    status: QuestionStatus | None = None,
    theme: Theme | None = None,
    collective_id: uuid.UUID | None = None,
    asker_id: uuid.UUID | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> QuestionPage:
    """Newest first."""
    conditions = []
    if status:
        conditions.append(questions.c.status == status)
    if theme:
        conditions.append(questions.c.themes.contains([theme]))
    if collective_id:
        conditions.append(questions.c.collective_id == collective_id)
    if asker_id:
        conditions.append(questions.c.asker_id == asker_id)
    keys = [questions.c.created_at, questions.c.id]
    async with runtime.sessions() as session:
        query = select(questions).where(*conditions)
        rows, next_cursor = await store.keyset_page(session, query, keys, cursor, limit, descending=True)
        names = await store.display_names(session, [row.asker_id for row in rows])
    items = [
        QuestionSummaryOut.model_validate(row._asdict() | {"asker": person_out(row.asker_id, names)}) for row in rows
    ]
    return QuestionPage(items=items, next_cursor=next_cursor)


@router.get("/questions/{question_id}", response_model=QuestionOut)
async def get_question(question_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> QuestionOut:
    """The question with its answers: the accepted one first, then oldest first."""
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, questions, "question", id=question_id)
        answer_rows = list(
            (
                await session.execute(
                    select(answers)
                    .where(answers.c.question_id == question_id)
                    .order_by(answers.c.accepted.desc(), answers.c.created_at, answers.c.id)
                )
            ).all()
        )
        names = await store.display_names(session, [row.asker_id, *(a.author_id for a in answer_rows)])
        collective_names = await store.collective_names(session, [row.collective_id])
    with_etag(response, row.version)
    return question_out(row, names, answer_rows, collective_names.get(row.collective_id))


@router.post("/questions/{question_id}/answers", status_code=201, response_model=AnswerOut)
async def post_answer(
    question_id: uuid.UUID, body: AnswerIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> AnswerOut:
    async with runtime.transaction() as session:
        question = await store.fetch_or_404(session, questions, "question", id=question_id)
        person = await registered_person(session, principal)
        if question.status in ("resolved", "closed"):
            raise conflict("question-closed", f"question {question.id} is {question.status}")
        values = {
            "id": uuid.uuid4(),
            "question_id": question.id,
            "author_id": person,
            "body": body.body,
            "body_html": render_markdown(body.body),
        }
        answer = (await session.execute(pg_insert(answers).values(**values).returning(answers))).one()
        opened = (questions.c.id == question.id) & questions.c.status.in_(("open", "answered"))
        moved = await store.update_where(
            session, questions, opened, {"answer_count": questions.c.answer_count + 1, "status": "answered"}
        )
        if moved is None:
            raise conflict("question-closed", f"question {question.id} was closed meanwhile")
        await events.answer_posted(runtime.outbox, session, answer, question)
        names = await store.display_names(session, [person])
    response.headers["Location"] = f"{router.prefix}/questions/{question.id}"
    return answer_out(answer, names)


@router.post("/answers/{answer_id}/accept", response_model=AnswerOut)
async def accept_answer(answer_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep) -> AnswerOut:
    """Only the asker accepts, once per question (409 afterwards), never their own answer (403)."""
    async with runtime.transaction() as session:
        answer = await store.fetch_or_404(session, answers, "answer", id=answer_id)
        question = await store.fetch_or_404(session, questions, "question", id=answer.question_id)
        person = person_of(principal)
        if person is None or question.asker_id != person:
            raise forbidden("only the person who asked may accept an answer")
        if answer.author_id == person:
            raise forbidden("you cannot accept your own answer")
        if question.accepted_answer_id is not None:
            raise conflict("already-accepted", f"question {question.id} already has an accepted answer")
        if question.status not in ("open", "answered"):
            raise conflict("question-closed", f"question {question.id} is {question.status}")
        open_question = (
            (questions.c.id == question.id)
            & questions.c.accepted_answer_id.is_(None)
            & questions.c.status.in_(("open", "answered"))
        )
        resolved = await store.update_where(
            session, questions, open_question, {"accepted_answer_id": answer.id, "status": "resolved"}
        )
        if resolved is None:
            raise conflict("already-accepted", f"question {question.id} was resolved meanwhile")
        accepted = await store.update_where(session, answers, answers.c.id == answer.id, {"accepted": True})
        await events.answer_accepted(runtime.outbox, session, accepted, resolved)
        names = await store.display_names(session, [accepted.author_id])
    return answer_out(accepted, names)


@router.post("/questions/{question_id}/close", response_model=QuestionOut)
async def close_question(question_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep) -> QuestionOut:
    """The asker (or an operator) closes a question that no longer needs answers."""
    async with runtime.transaction() as session:
        question = await store.fetch_or_404(session, questions, "question", id=question_id)
        person = person_of(principal)
        if not principal.is_operator and (person is None or question.asker_id != person):
            raise forbidden("only the person who asked, or an operator, may close a question")
        still_open = (questions.c.id == question.id) & questions.c.status.in_(("open", "answered"))
        closed = await store.update_where(session, questions, still_open, {"status": "closed"})
        if closed is None:
            raise conflict("question-closed", f"question {question.id} is {question.status}")
        names = await store.display_names(session, [closed.asker_id])
    return question_out(closed, names, [], None)


@router.post("/answers/{answer_id}/endorsements", status_code=201, response_model=EndorsementOut)
async def endorse_answer(answer_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep) -> EndorsementOut:
    async with runtime.transaction() as session:
        answer = await store.fetch_or_404(session, answers, "answer", id=answer_id)
        question = await store.fetch_or_404(session, questions, "question", id=answer.question_id)
        person = await registered_person(session, principal)
        if answer.author_id == person:
            raise forbidden("you cannot endorse your own answer")
        return await add_endorsement(
            session,
            runtime,
            endorser=person,
            target_type="answer",
            target_id=answer.id,
            article_id=None,
            credited=[answer.author_id],
            themes=question.themes,
            counter=(answers, answer.id, "endorsement_count"),
        )


@router.delete("/answers/{answer_id}/endorsements/me", status_code=204)
async def withdraw_answer_endorsement(
    answer_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep
) -> Response:
    person = person_of(principal)
    if person is None:
        raise forbidden("this needs a contributor's token")
    async with runtime.transaction() as session:
        answer = await store.fetch_or_404(session, answers, "answer", id=answer_id)
        question = await store.fetch_or_404(session, questions, "question", id=answer.question_id)
        await withdraw_endorsement(
            session,
            runtime,
            endorser=person,
            target_type="answer",
            target_id=answer.id,
            credited=[answer.author_id],
            themes=question.themes,
            counter=(answers, answer.id, "endorsement_count"),
        )
    return Response(status_code=204)


# --- recommendations and experts -------------------------------------------------------------------------------


@router.get("/recommendations", response_model=Recommendations)
async def recommendations(
    runtime: RuntimeDep, collective_id: uuid.UUID, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> Recommendations:
    """Articles and open questions that fit the collective's kind, stage and themes (from the registry's events),
    ranked by fit, then endorsements and reuse; what it already reused is left out."""
    async with runtime.sessions() as session:
        collective = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        profile = ranking.CollectiveProfile(collective.kind, collective.stage, frozenset(collective.themes))
        fitting = (
            (articles.c.collective_kinds == [])
            | articles.c.collective_kinds.contains([collective.kind])
            | articles.c.themes.overlap(list(collective.themes) or [""])
        )
        article_rows = {
            row.id: row
            for row in await session.execute(select(articles).where(articles.c.status == "published", fitting))
        }
        reused = set(
            (await session.execute(select(reuses.c.article_id).where(reuses.c.collective_id == collective.id)))
            .scalars()
            .all()
        )
        signals = [
            ranking.ArticleSignal(
                id=row.id,
                kinds=frozenset(row.collective_kinds),
                stages=frozenset(row.stages),
                themes=frozenset(row.themes),
                endorsements=row.endorsement_count,
                reuses=row.reuse_count,
                published_at=row.published_at,
            )
            for row in article_rows.values()
        ]
        ranked_articles = ranking.recommend(profile, signals, reused, limit=limit)
        question_rows = {
            row.id: row
            for row in await session.execute(
                select(questions, collectives.c.kind.label("asker_kind"))
                .outerjoin(collectives, collectives.c.id == questions.c.collective_id)
                .where(
                    questions.c.status.in_(("open", "answered")),
                    questions.c.themes.overlap(list(collective.themes) or [""]),
                )
            )
        }
        own = {row.id for row in question_rows.values() if row.collective_id == collective.id}
        question_signals = [
            ranking.QuestionSignal(
                id=row.id,
                themes=frozenset(row.themes),
                answers=row.answer_count,
                asked_at=row.created_at,
                asker_kind=row.asker_kind,
            )
            for row in question_rows.values()
        ]
        ranked_questions = ranking.recommend_questions(profile, question_signals, own, limit=limit)
    return Recommendations(
        collective_id=collective.id,
        articles=[
            RecommendedArticle(
                id=r.id,
                slug=article_rows[r.id].slug,
                title=article_rows[r.id].title,
                kind=article_rows[r.id].kind,
                score=r.score,
                reasons=list(r.reasons),
            )
            for r in ranked_articles
        ],
        questions=[
            RecommendedQuestion(
                id=r.id,
                title=question_rows[r.id].title,
                status=question_rows[r.id].status,
                score=r.score,
                reasons=list(r.reasons),
            )
            for r in ranked_questions
        ],
    )


@router.get("/questions/{question_id}/experts", response_model=Experts)
async def suggest_experts(
    question_id: uuid.UUID, runtime: RuntimeDep, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> Experts:
    """Contributors with expertise in the question's themes (registry) or accepted answers in them (here); the
    asker and the people who answered it already are left out."""
    async with runtime.sessions() as session:
        question = await store.fetch_or_404(session, questions, "question", id=question_id)
        themes = list(question.themes)
        accepted_rows = []
        if themes:
            theme = func.unnest(questions.c.themes).label("theme")
            per_theme = (
                select(answers.c.author_id, theme)
                .join(questions, questions.c.id == answers.c.question_id)
                .where(answers.c.accepted, answers.c.author_id.is_not(None))
                .subquery()
            )
            accepted_rows = (
                await session.execute(
                    select(per_theme.c.author_id, per_theme.c.theme, func.count())
                    .where(per_theme.c.theme.in_(themes))
                    .group_by(per_theme.c.author_id, per_theme.c.theme)
                )
            ).all()
        by_theme: dict[uuid.UUID, dict[str, int]] = {}
        for author_id, theme_name, count in accepted_rows:
            by_theme.setdefault(author_id, {})[theme_name] = count
        experts = (
            await session.execute(
                select(contributors).where(
                    contributors.c.status == "active",
                    contributors.c.expertise.overlap(themes or [""]) | contributors.c.id.in_(list(by_theme)),
                )
            )
        ).all()
        candidates = {row.id: row for row in experts}
        totals = dict(
            (
                await session.execute(
                    select(answers.c.author_id, func.count())
                    .where(answers.c.accepted, answers.c.author_id.in_(list(candidates)))
                    .group_by(answers.c.author_id)
                )
            ).all()
        )
        answered = set(
            (await session.execute(select(answers.c.author_id).where(answers.c.question_id == question.id)))
            .scalars()
            .all()
        )
    signals = [
        ranking.ExpertSignal(
            contributor_id=row.id,
            expertise_themes=frozenset(row.expertise),
            accepted_answers_by_theme=by_theme.get(row.id, {}),
            accepted_answers_total=totals.get(row.id, 0),
        )
        for row in candidates.values()
    ]
    exclude = {question.asker_id, *answered} - {None}
    ranked = ranking.suggest_experts(themes, signals, exclude, limit=limit)
    return Experts(
        question_id=question.id,
        items=[
            ExpertOut(
                contributor_id=s.contributor_id,
                display_name=candidates[s.contributor_id].display_name or "",
                expertise=candidates[s.contributor_id].expertise,
                score=s.score,
                reasons=list(s.reasons),
            )
            for s in ranked
        ],
    )


__all__ = ["router"]
