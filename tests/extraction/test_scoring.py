"""The benchmark's scoring (app/bench/attributions.py): brat reading, one-to-one matching, the stance a gold
cue expresses; and a run on a couple of PolNeAR articles when ../shared/polnear-dev is there."""

from pathlib import Path

import pytest

from app.bench.attributions import (
    Proposal,
    gold_stance,
    match,
    proposals_of,
    read_brat,
    read_gold,
    score,
    token_f1,
)
from app.cli import _attribution_json
from app.config import PROJECT_ROOT
from app.extraction import extract

POLNEAR = PROJECT_ROOT.parent / "shared" / "polnear-dev"

TEXT = '"The bridge will reopen," the mayor said. Critics say the date will slip. It is late, sources said.'
BRAT = "\n".join(
    [
        'T1\tContent 0 25\t"The bridge will reopen,"',
        "T2\tSource 26 35\tthe mayor",
        "T3\tCue 36 40\tsaid",
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
        "T4\tSource 42 49\tCritics",
        "T5\tCue 50 53\tsay",
        "T6\tContent 54 67;68 72\tthe date will slip",
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4",
        "T7\tCue 94 98\tsaid",
        "T8\tContent 74 85\tIt is late,",
        "E3\tAttribution:T7 Content:T8 Cue:T7",
    ]
)


def test_brat_relations_with_discontinuous_spans_and_a_missing_source() -> None:
    relations = read_brat(BRAT, TEXT)
    assert [relation.cue_text for relation in relations] == ["said", "say", "said"]
    assert relations[1].content == ((54, 67), (68, 72))
    assert relations[2].source is None
    assert all(relation.speech for relation in relations)


def test_matching_is_one_to_one_on_overlapping_source_and_cue() -> None:
    relations = read_brat(BRAT, TEXT)
    proposals = [
        Proposal(cue=((36, 40),), source=((30, 35),), content=((0, 25),), stance="asserted"),
        Proposal(cue=((36, 40),), source=((26, 35),), content=None, stance="asserted"),
        Proposal(cue=((50, 53),), source=((0, 5),), content=None, stance="asserted"),
        Proposal(cue=((94, 98),), source=None, content=((74, 85),), stance="asserted"),
    ]
    assert sorted(match(relations, proposals)) == [(0, 1), (2, 3)]


def test_token_f1_reads_words_only() -> None:
    assert token_f1(TEXT, ((0, 25),), ((1, 23),)) == 1.0
    assert token_f1(TEXT, ((0, 25),), ((42, 53),)) == 0.0
    assert token_f1(TEXT, ((0, 25),), ((5, 35),)) == pytest.approx(
        2 * (4 / 5) * 1 / (4 / 5 + 1)
    )  # "the" counts once on each side


@pytest.mark.parametrize(
    ("cue", "following", "stance"),
    [
        ("declined", "to comment on the case", "declined_to_comment"),
        ("did not respond to", "requests for comment", "declined_to_comment"),
        ("refused to pledge", "his support", None),
        ("could not confirm", "the report", "could_not_verify"),
        ("have no way of knowing", "whether", "could_not_verify"),
        ("has strongly denied", "any role", "denied"),
        ("disputes", "the figures", "disputed"),
        ("acknowledged", "that", "confirmed"),
        ("said", "that", None),
    ],
)
def test_stance_is_read_from_the_gold_cue(cue: str, following: str, stance: str | None) -> None:
    assert gold_stance(cue, following) == stance


@pytest.mark.skipif(
    not POLNEAR.is_dir(), reason="PolNeAR's development split is not at ../shared/polnear-dev"
)
def test_scoring_runs_on_polnear_articles_as_the_command_prints_them() -> None:
    names = sorted(path.stem for path in (POLNEAR / "text").glob("*.txt"))[:2]
    texts = {name: (POLNEAR / "text" / f"{name}.txt").read_text(encoding="utf-8") for name in names}
    gold = read_gold(POLNEAR, names)
    proposed = {
        name: proposals_of([_attribution_json(found) for found in extract(texts[name])]) for name in names
    }
    scores = score(texts, gold, proposed)
    assert scores.gold == sum(len(relations) for relations in gold.values()) > 0
    assert scores.proposals == sum(len(proposals) for proposals in proposed.values()) > 0
    assert 0 < scores.matched <= min(scores.proposals, scores.gold)
    assert 0.0 < scores.content_f1 <= 1.0
    assert len(scores.false_positives) == scores.proposals - scores.matched


def test_first_annotator_of_an_article_annotated_twice(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "article.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "article_b222.ann").write_text(BRAT, encoding="utf-8")
    (tmp_path / "attributions" / "article_a111.ann").write_text(BRAT.split("\nT4")[0], encoding="utf-8")
    assert [len(relations) for relations in read_gold(tmp_path, ["article"]).values()] == [1]
