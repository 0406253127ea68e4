"""A source's highlighted passages: pointing at or focusing one tells who said it, with which stance, on
which claim (a CSS tooltip from data-tip, and the same text for screen readers through aria-describedby),
and a legend explains every stance's colour, symbol and underline."""

import pytest
from fastapi.testclient import TestClient

from app.vocabulary import Stance
from tests.conftest import sqlite_only
from tests.helpers import (
    ANNOTATIONS,
    SEED_FILES,
    SOURCE_000,
    attr,
    one,
    page,
    source_detail,
    source_statements,
    text,
)

pytestmark = sqlite_only  # pages and markup: the database does not change the HTML

CLAIM_TEXTS = {claim["key"]: claim["text"] for claim in ANNOTATIONS["claims"]}
ROPCKE_QUOTE = (
    "Julian Roepcke said it “could have been a Russian false flag operation "
    "to justify further brutal attacks.”"
)


def test_ropckes_passage_names_him_his_stance_and_the_claim(client: TestClient) -> None:
    source = source_detail(client, SOURCE_000)
    (statement,) = [a for a in source_statements(source) if a["quote"] == ROPCKE_QUOTE]
    soup = page(client, f"/sources/{source['id']}")

    (mark,) = [
        m for m in soup.select("div.source-text mark") if attr(m, "data-attributions") == str(statement["id"])
    ]
    link = mark.parent
    assert link is not None
    assert attr(link, "data-tip") == f"Julian Röpcke — asserted — {CLAIM_TEXTS['false-flag']}"
    assert attr(link, "aria-describedby") == f"span-desc-{statement['id']}"
    number = [a["id"] for a in source_statements(source)].index(statement["id"]) + 1
    description = one(soup, f"ul.span-descriptions[hidden] > li#span-desc-{statement['id']}")
    assert text(description) == (
        f"Statement {number}: Julian Röpcke, asserted, on the claim “{CLAIM_TEXTS['false-flag']}”."
    )
    # The first segment of a passage carries the stance's symbol (drawn by CSS from this class).
    assert "span-start" in mark.get_attribute_list("class")
    assert "stance-asserted" in mark.get_attribute_list("class")


def test_a_passage_two_statements_share_describes_both(client: TestClient) -> None:
    source = source_detail(client, SOURCE_000)
    shared = (
        "The Ukrainian Defense Ministry and the country’s general staff did not respond when Reuters sought "
        "comments."
    )
    statements = [a for a in source_statements(source) if a["quote"] == shared]
    soup = page(client, f"/sources/{source['id']}")

    ids = sorted(a["id"] for a in statements)
    (mark,) = [
        m
        for m in soup.select("div.source-text mark")
        if sorted(map(int, attr(m, "data-attributions").split())) == ids
    ]
    link = mark.parent
    assert link is not None
    assert sorted(attr(link, "aria-describedby").split()) == [f"span-desc-{i}" for i in ids]
    claim = "Two Ukrainian military helicopters struck the oil depot in Belgorod, Russia, on 1 April 2022."
    assert sorted(attr(link, "data-tip").split(" · also: ")) == sorted(
        f"{name} — declined to comment — {claim}"
        for name in ("Ministry of Defence of Ukraine", "General Staff of the Armed Forces of Ukraine")
    )


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_every_passage_is_described_and_every_description_exists(client: TestClient, file_name: str) -> None:
    source = source_detail(client, file_name)
    soup = page(client, f"/sources/{source['id']}")
    by_id = {a["id"]: a for a in source_statements(source)}

    descriptions = soup.select("ul.span-descriptions[hidden] > li")
    assert [attr(li, "id") for li in descriptions] == [
        f"span-desc-{a['id']}" for a in source_statements(source)
    ]
    for number, (li, statement) in enumerate(
        zip(descriptions, source_statements(source), strict=True), start=1
    ):
        assert text(li) == (
            f"Statement {number}: {statement['actor']['name']}, {Stance(statement['stance']).label}, "
            f"on the claim “{statement['claim']['text']}”."
        )
    for link in soup.select("div.source-text a.span-link"):
        described = [int(i.removeprefix("span-desc-")) for i in attr(link, "aria-describedby").split()]
        assert sorted(described) == sorted(
            int(i) for i in attr(one(link, "mark"), "data-attributions").split()
        )
        innermost = by_id[described[0]]
        assert attr(link, "href") == f"/attributions/{innermost['id']}"
        who = f"{innermost['actor']['name']} — {Stance(innermost['stance']).label}"
        assert attr(link, "data-tip").startswith(f"{who} — {innermost['claim']['text']}")
        assert link.get("title") is None  # one tooltip, not a native one on top of it


def test_the_legend_explains_every_stance_with_a_label_and_a_sample(client: TestClient) -> None:
    source = source_detail(client, SOURCE_000)
    soup = page(client, f"/sources/{source['id']}")

    legend = one(soup, "section#text figure.highlight-legend")
    assert text(one(legend, "figcaption")) == "How statements are marked in the text"
    items = legend.select("li.legend-item")
    assert [(attr(item, "data-stance"), text(item)) for item in items] == [
        ("asserted", "text asserted: says it is true"),
        ("confirmed", "text confirmed: verified it independently"),
        ("denied", "text denied: says it is false"),
        ("disputed", "text disputed: casts doubt on it"),
        ("could_not_verify", "text could not verify: could not confirm or deny it"),
        ("declined_to_comment", "text declined to comment: did not comment"),
    ]
    for item in items:
        sample = one(item, "mark.legend-sample")
        assert attr(sample, "aria-hidden") == "true"
        assert f"stance-{attr(item, 'data-stance')}" in sample.get_attribute_list("class")
    assert "Point at or tab to a marked passage" in text(legend)
