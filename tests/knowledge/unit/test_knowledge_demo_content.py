import re
from collections import Counter
from pathlib import Path

import pytest

from services.knowledge import demo_content
from services.knowledge.demo_content import (
    DEMO_ARTICLES,
    DEMO_CONTRIBUTOR_SLOTS,
    DEMO_MARKER_EN,
    DEMO_MARKER_NL,
    DEMO_QUESTIONS,
    DemoArticle,
)
from services.knowledge.domain.markdown import markdown_to_text, render_markdown
from services.knowledge.domain.text import search_document, search_query, slugify
from shared.contracts.vocabulary import CollectiveKind, Stage, Theme

pytestmark = pytest.mark.unit

ARTICLE_KINDS = {"guide", "template", "case_study", "tool", "checklist", "regulation_explainer"}


def words(body: str) -> int:
    return len(markdown_to_text(body.replace(DEMO_MARKER_NL, "").replace(DEMO_MARKER_EN, "")).split())


def test_there_are_about_forty_articles_with_unique_valid_slugs() -> None:
    slugs = [article.slug for article in DEMO_ARTICLES]

    assert 35 <= len(DEMO_ARTICLES) <= 50
    assert len(set(slugs)) == len(slugs)
    assert all(slugify(slug) == slug for slug in slugs)


@pytest.mark.parametrize("article", DEMO_ARTICLES, ids=lambda article: article.slug)
def test_each_article_is_complete_and_marked_as_demo(article: DemoArticle) -> None:
    marker = DEMO_MARKER_EN if article.language == "en" else DEMO_MARKER_NL

    assert article.demo is True
    assert article.body.rstrip().endswith(marker)
    assert 150 <= words(article.body) <= 400
    assert article.title
    assert article.summary
    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", article.summary)) <= 2
    assert article.kind in ARTICLE_KINDS
    assert article.themes
    assert set(article.themes) <= set(Theme)
    assert set(article.collective_kinds) <= set(CollectiveKind)
    assert set(article.stages) <= set(Stage)
    assert article.from_collective_kind is None or article.from_collective_kind in set(CollectiveKind)
    assert article.authors
    assert all(0 <= author < DEMO_CONTRIBUTOR_SLOTS for author in article.authors)
    assert article.license == "CC-BY-SA-4.0"


@pytest.mark.parametrize("article", DEMO_ARTICLES, ids=lambda article: article.slug)
def test_each_article_renders_to_html(article: DemoArticle) -> None:
    html = render_markdown(article.body)

    assert "<h2>" in html or "<ul>" in html or "<table>" in html
    assert "<em>Demo" in html


def test_case_studies_say_their_organisations_are_fictional() -> None:
    case_studies = [article for article in DEMO_ARTICLES if article.kind == "case_study"]

    assert case_studies
    assert all(re.search(r"verzonnen|invented", article.body) for article in case_studies)


def test_articles_cover_every_kind_theme_and_stage() -> None:
    assert {article.kind for article in DEMO_ARTICLES} == ARTICLE_KINDS
    assert {theme for article in DEMO_ARTICLES for theme in article.themes} == set(Theme)
    assert {stage for article in DEMO_ARTICLES for stage in article.stages} == set(Stage)


def test_most_articles_are_dutch_and_a_few_english() -> None:
    languages = Counter(article.language for article in DEMO_ARTICLES)

    assert set(languages) == {"nl", "en"}
    assert 3 <= languages["en"] <= 4


def test_spellings_of_energy_cooperative_appear_for_the_search_demo() -> None:
    bodies = [article.title + "\n" + article.body for article in DEMO_ARTICLES]

    for spelling in ("energiecoöperatie", "Energie-coöperatie", "energiecooperaties"):
        assert sum(spelling in body for body in bodies) >= 2, spelling
    found = [
        body for body in bodies if set(search_query("energiecooperaties").split()) <= set(search_document(body).split())
    ]
    assert len(found) >= 5


def test_questions_have_one_to_three_answers_by_someone_other_than_the_asker() -> None:
    assert 8 <= len(DEMO_QUESTIONS) <= 12
    for question in DEMO_QUESTIONS:
        assert question.demo
        assert question.title
        assert question.body
        assert question.themes
        assert set(question.themes) <= set(Theme)
        assert 1 <= len(question.answers) <= 3
        assert sum(answer.accepted for answer in question.answers) <= 1
        assert 0 <= question.asker < DEMO_CONTRIBUTOR_SLOTS
        assert question.on_behalf_of_kind is None or question.on_behalf_of_kind in set(CollectiveKind)
        for answer in question.answers:
            assert answer.body
            assert answer.author != question.asker
            assert 0 <= answer.author < DEMO_CONTRIBUTOR_SLOTS


def test_the_module_stays_small() -> None:
    assert Path(demo_content.__file__).stat().st_size < 120_000
