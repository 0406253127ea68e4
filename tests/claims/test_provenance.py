"""Provenance at a glance on a claim: independent origins per stance, the drawing of the reporting
chains, and contradicting claims side by side, in the JSON and on the page.

The expected numbers are worked out by hand from seeds/annotations.yaml (see each test); the rule is
app.claims.provenance.origin_key: same stance, same speaker, same first intermediary of the chain (or,
with no chain, the same source) is one origin.
"""

from typing import Any

from bs4 import Tag
from fastapi.testclient import TestClient

from tests.conftest import sqlite_only
from tests.helpers import (
    ANNOTATIONS,
    SOURCE_000,
    SOURCE_001,
    SOURCE_002,
    TITLES,
    attr,
    claim_detail,
    get_json,
    one,
    page,
    text,
    whole_group,
)

CLAIM_TEXTS = {claim["key"]: claim["text"] for claim in ANNOTATIONS["claims"]}
PUBLISHER_000 = "Unnamed publisher of “Russia says Belgorod oil depot attack…”"
PUBLISHER_002 = "Unnamed publisher of “Ukrainian Forces Reportedly Blow Up Fuel Depot…”"
QUOTE_20_MILES = "Belgorod, which is about 20 miles from Ukraine’s border with Russia"
QUOTE_40_MILES = "the city of Belgorod, situated roughly 40 miles north of the border with Ukraine"


def brief(client: TestClient, slug: str) -> dict[str, Any]:
    actor = get_json(client, f"/api/v1/actors/{slug}")
    return {key: actor[key] for key in ("id", "slug", "name", "kind")}


def with_every_statement(client: TestClient, detail: dict[str, Any]) -> dict[str, Any]:
    """The claim's answer with each stance group holding all its statements, not only the first."""
    for group in detail["groups"]:
        group["attributions"] = whole_group(client, group)
    return detail


def source_ref(detail: dict[str, Any], file_name: str) -> dict[str, Any]:
    """The reference to a seed source, as the claim's own statements carry it."""
    (ref,) = {
        a["source"]["id"]: a["source"]
        for group in detail["groups"]
        for a in group["attributions"]
        if a["source"]["title"] == TITLES[file_name]
    }.values()
    return dict(ref)


def statement_ids(detail: dict[str, Any], actor: str, stance: str) -> list[int]:
    return [
        a["id"]
        for group in detail["groups"]
        for a in group["attributions"]
        if a["actor"]["slug"] == actor and a["stance"] == stance
    ]


def origins_of(detail: dict[str, Any], stance: str) -> list[tuple[str, str | None, str | None, int]]:
    """(speaker, first intermediary, source carrying it directly, statements) of each origin."""
    (row,) = [row for row in detail["stance_summary"] if row["stance"] == stance]
    return sorted(
        (
            (
                origin["actor"]["slug"],
                origin["first_step"]["slug"] if origin["first_step"] else None,
                origin["source"]["title"] if origin["source"] else None,
                origin["attribution_count"],
            )
            for origin in row["origins"]
        ),
        key=repr,  # None and names sort together
    )


# ---- independent origins ---------------------------------------------------------------------------------


def test_helicopter_strike_counts_actors_and_independent_origins_per_stance(client: TestClient) -> None:
    detail = claim_detail(client, "helicopter-strike")

    # asserted: Russian government (000 direct, 000 via Reuters, 002 direct, 002 via Tokariuk: 4 origins)
    # and Gladkov (via the NYT twice in 000: one origin; via an unidentified tweet; via The Moscow Times;
    # via Trofimov; via Schatz: 5 origins) -> 2 actors, 9 origins, 10 statements.
    # could not verify: Kuleba (via Reuters in 000; directly in 002: 2), the General Staff (via Piatov,
    # twice in 000 and once in 002: 1), Beale (via the BBC: 1) -> 3 actors, 4 origins, 6 statements.
    # declined to comment: Ukraine's defence ministry (via Reuters; directly in Newsweek: 2), the General
    # Staff (via Reuters: 1), the Government of Ukraine (twice directly in Newsweek: 1), Russia's defence
    # ministry (directly in 002: 1) -> 4 actors, 5 origins, 6 statements.
    assert [
        (row["stance"], row["label"], row["actor_count"], row["origin_count"], row["attribution_count"])
        for row in detail["stance_summary"]
    ] == [
        ("asserted", "asserted", 2, 9, 10),
        ("confirmed", "confirmed", 0, 0, 0),
        ("denied", "denied", 0, 0, 0),
        ("disputed", "disputed", 0, 0, 0),
        ("could_not_verify", "could not verify", 3, 4, 6),
        ("declined_to_comment", "declined to comment", 4, 5, 6),
    ]
    assert origins_of(detail, "asserted") == sorted(
        [
            ("russian-government", None, TITLES[SOURCE_000], 1),
            ("russian-government", "reuters", None, 1),
            ("russian-government", None, TITLES[SOURCE_002], 1),
            ("russian-government", "olga-tokariuk", None, 1),
            ("vyacheslav-gladkov", "the-new-york-times", None, 2),
            ("vyacheslav-gladkov", "unidentified-twitter-account", None, 1),
            ("vyacheslav-gladkov", "the-moscow-times", None, 1),
            ("vyacheslav-gladkov", "yaroslav-trofimov", None, 1),
            ("vyacheslav-gladkov", "igor-schatz", None, 1),
        ],
        key=repr,
    )
    assert origins_of(detail, "could_not_verify") == sorted(
        [
            ("dmytro-kuleba", "reuters", None, 1),
            ("dmytro-kuleba", None, TITLES[SOURCE_002], 1),
            ("ukrainian-general-staff", "filipp-piatov", None, 3),
            ("jonathan-beale", "bbc", None, 1),
        ],
        key=repr,
    )
    assert origins_of(detail, "declined_to_comment") == sorted(
        [
            ("ukrainian-defense-ministry", "reuters", None, 1),
            ("ukrainian-defense-ministry", None, TITLES[SOURCE_001], 1),
            ("ukrainian-general-staff", "reuters", None, 1),
            ("government-of-ukraine", None, TITLES[SOURCE_001], 2),
            ("russian-defense-ministry", None, TITLES[SOURCE_002], 1),
        ],
        key=repr,
    )


def test_two_articles_quoting_the_same_report_are_one_origin(client: TestClient) -> None:
    detail = with_every_statement(client, claim_detail(client, "helicopter-strike"))

    # The General Staff's "not have this information", told to Piatov and tweeted by Röpcke, is quoted
    # twice in 000 and once in 002: one origin, in two sources.
    (could_not_verify,) = [row for row in detail["stance_summary"] if row["stance"] == "could_not_verify"]
    (general_staff,) = [
        o for o in could_not_verify["origins"] if o["actor"]["slug"] == "ukrainian-general-staff"
    ]
    assert general_staff == {
        "actor": brief(client, "ukrainian-general-staff"),
        "first_step": brief(client, "filipp-piatov"),
        "source": None,
        "sources": [source_ref(detail, SOURCE_000), source_ref(detail, SOURCE_002)],
        "source_count": 2,
        "attribution_count": 3,
        "first_attribution_id": min(statement_ids(detail, "ukrainian-general-staff", "could_not_verify")),
    }
    assert len(statement_ids(detail, "ukrainian-general-staff", "could_not_verify")) == 3


def test_a_claim_nobody_spoke_on_twice_has_as_many_origins_as_statements(client: TestClient) -> None:
    detail = claim_detail(client, "belgorod-40-miles-from-border")

    (asserted, *others) = detail["stance_summary"]
    assert asserted == {
        "stance": "asserted",
        "label": "asserted",
        "actor_count": 1,
        "origin_count": 1,
        "attribution_count": 1,
        "origins": [
            {
                "actor": brief(client, "publisher-of-source-002"),
                "first_step": None,
                "source": source_ref(detail, SOURCE_002),
                "sources": [source_ref(detail, SOURCE_002)],
                "source_count": 1,
                "attribution_count": 1,
                "first_attribution_id": min(statement_ids(detail, "publisher-of-source-002", "asserted")),
            }
        ],
    }
    assert [(row["actor_count"], row["origin_count"], row["origins"]) for row in others] == [(0, 0, [])] * 5


@sqlite_only
def test_the_page_opens_with_the_stance_summary(client: TestClient) -> None:
    claim = claim_detail(client, "helicopter-strike")
    soup = page(client, f"/claims/{claim['id']}")

    glance = one(soup, "section#at-a-glance")
    first_section = soup.select("article.claim-detail > section")[0]
    assert first_section is glance
    rows = glance.select("table.stance-summary tbody tr")
    assert [
        (
            attr(row, "data-stance"),
            text(one(row, "th .stance-badge")),
            text(one(row, "td.summary-actors")),
            text(one(row, "td.summary-origins")),
            text(one(row, "td.summary-statements")),
        )
        for row in rows
    ] == [
        ("asserted", "asserted", "2", "9", "10"),
        ("confirmed", "confirmed", "0", "0", "0"),
        ("denied", "denied", "0", "0", "0"),
        ("disputed", "disputed", "0", "0", "0"),
        ("could_not_verify", "could not verify", "3", "4", "6"),
        ("declined_to_comment", "declined to comment", "4", "5", "6"),
    ]
    headers = [text(th).replace("\xad", "") for th in glance.select("table.stance-summary thead th")]
    assert headers == ["Stance", "Actors", "Independent origins", "Statements"]
    # The origins themselves, under a disclosure that says how they are counted.
    explained = one(glance, "details.origins-explained")
    assert text(one(explained, "summary")) == "Which origins, and how they are counted"
    (general_staff,) = [
        item
        for item in explained.select("ol.origin-list[data-stance='could_not_verify'] > li.origin")
        if "General Staff" in text(item)
    ]
    assert text(general_staff) == (
        "General Staff of the Armed Forces of Ukraine, first reported by Filipp Piatov — "
        "3 statements in 2 sources"
    )
    assert [text(h) for h in explained.select("h3.origins-heading")] == [
        "Asserted: 9 origins",
        "Could not verify: 4 origins",
        "Declined to comment: 5 origins",
    ]


# ---- the drawing of the reporting chains -----------------------------------------------------------------


def tree(node: dict[str, Any]) -> Any:
    """A chain tree as nested (kind, label, statements, children) tuples."""
    return (node["kind"], node["label"], node["attribution_count"], [tree(c) for c in node["children"]])


def test_chains_merge_where_they_share_a_start(client: TestClient) -> None:
    detail = claim_detail(client, "helicopter-strike")
    source_000, source_001 = TITLES[SOURCE_000], f"{TITLES[SOURCE_001]} (Newsweek)"
    source_002 = TITLES[SOURCE_002]

    (gladkov,) = [root for root in detail["chains"] if root["label"] == "Vyacheslav Gladkov"]
    assert gladkov["stance"] == "asserted"
    assert tree(gladkov) == (
        "speaker",
        "Vyacheslav Gladkov",
        6,
        [
            (
                "medium",
                "social media post",
                2,
                [("intermediary", "The New York Times", 2, [("source", source_000, 2, [])])],
            ),
            ("intermediary", "Unidentified Twitter account", 1, [("source", source_000, 1, [])]),
            (
                "medium",
                "Telegram post",
                1,
                [("intermediary", "The Moscow Times", 1, [("source", source_001, 1, [])])],
            ),
            ("intermediary", "Yaroslav Trofimov", 1, [("source", source_002, 1, [])]),
            ("intermediary", "Igor Schatz", 1, [("source", source_002, 1, [])]),
        ],
    )
    # The General Staff's answer to Piatov, tweeted by Röpcke, parts only at the articles quoting it.
    (general_staff,) = [
        root
        for root in detail["chains"]
        if root["actor"]["slug"] == "ukrainian-general-staff" and root["stance"] == "could_not_verify"
    ]
    assert tree(general_staff) == (
        "speaker",
        "General Staff of the Armed Forces of Ukraine",
        3,
        [
            (
                "medium",
                "statement to a reporter",
                3,
                [
                    (
                        "intermediary",
                        "Filipp Piatov",
                        3,
                        [
                            (
                                "intermediary",
                                "Julian Röpcke",
                                3,
                                [("source", source_000, 2, []), ("source", source_002, 1, [])],
                            )
                        ],
                    )
                ],
            )
        ],
    )
    # One tree per speaker and stance, in stance order.
    assert [(root["actor"]["slug"], root["stance"]) for root in detail["chains"]] == [
        ("russian-government", "asserted"),
        ("vyacheslav-gladkov", "asserted"),
        ("dmytro-kuleba", "could_not_verify"),
        ("ukrainian-general-staff", "could_not_verify"),
        ("jonathan-beale", "could_not_verify"),
        ("ukrainian-defense-ministry", "declined_to_comment"),
        ("ukrainian-general-staff", "declined_to_comment"),
        ("government-of-ukraine", "declined_to_comment"),
        ("russian-defense-ministry", "declined_to_comment"),
    ]


def box_text(node: Tag) -> str:
    return text(one(node, ":scope > .chain-box"))


def children(node: Tag) -> list[Tag]:
    return node.select(":scope > ul.chain-children > li.chain-node")


@sqlite_only
def test_the_page_draws_the_chains_as_nested_lists(client: TestClient) -> None:
    claim = claim_detail(client, "helicopter-strike")
    soup = page(client, f"/claims/{claim['id']}")

    drawing = one(soup, "section#chains div.chain-drawing")
    # A scroll box of its own, reachable by keyboard and named for screen readers.
    assert (attr(drawing, "role"), attr(drawing, "tabindex")) == ("region", "0")
    assert attr(drawing, "aria-label").startswith("Drawing of the reporting chains")
    roots = drawing.select("ul.chain-forest > li.chain-node-speaker")
    assert len(roots) == len(claim["chains"]) == 9
    (gladkov,) = [root for root in roots if "Vyacheslav Gladkov" in box_text(root)]
    assert box_text(gladkov) == "Said by Vyacheslav Gladkov asserted"
    assert [box_text(child) for child in children(gladkov)] == [
        "in a social media post",
        "passed on by Unidentified Twitter account (tweet)",
        "in a Telegram post",
        "passed on by Yaroslav Trofimov (tweet)",
        "passed on by Igor Schatz (tweet)",
    ]
    telegram = children(gladkov)[2]
    (moscow_times,) = children(telegram)
    assert box_text(moscow_times) == "passed on by The Moscow Times (news report)"
    (newsweek,) = children(moscow_times)
    assert box_text(newsweek) == f"into {TITLES[SOURCE_001]}, Newsweek 1 statement"
    assert attr(one(newsweek, "a.source-link"), "href").startswith("/sources/")
    # Röpcke's node is drawn once, and forks into the two articles that quote the General Staff.
    (general_staff,) = [
        root
        for root in roots
        if "General Staff" in box_text(root) and attr(root, "data-stance") == "could_not_verify"
    ]
    (medium,) = children(general_staff)
    (piatov,) = children(medium)
    (ropcke,) = children(piatov)
    assert box_text(ropcke) == "passed on by Julian Röpcke (tweet)"
    assert [box_text(leaf) for leaf in children(ropcke)] == [
        f"into {TITLES[SOURCE_000]} 2 statements",
        f"into {TITLES[SOURCE_002]} 1 statement",
    ]


def ends_below(node: dict[str, Any]) -> int:
    """The nodes of a drawing, this one included, with an article among their children."""
    here = any(child["kind"] in ("source", "more_sources") for child in node["children"])
    return int(here) + sum(ends_below(child) for child in node["children"])


@sqlite_only
def test_each_chain_is_also_an_ordered_list_of_text(client: TestClient) -> None:
    claim = claim_detail(client, "helicopter-strike")
    soup = page(client, f"/claims/{claim['id']}")

    paths = one(soup, "section#chains details.chains-as-text").select("ol.chain-paths > li > ol.chain-path")
    # One per path of the drawing, the articles it ends in named at its end: as many as the nodes
    # of the drawing that have an article among their children.
    assert len(paths) == sum(ends_below(root) for root in claim["chains"])
    steps = [[text(step) for step in path.select(":scope > li")] for path in paths]
    # The General Staff's answer to Piatov, quoted by two articles: one path, into both.
    assert [
        "Said by General Staff of the Armed Forces of Ukraine could not verify",
        "in a statement to a reporter",
        "passed on by Filipp Piatov",
        "passed on by Julian Röpcke (tweet)",
        f"into {TITLES[SOURCE_000]} 2 statements",
        f"into {TITLES[SOURCE_002]} 1 statement",
    ] in steps
    assert [
        "Said by Vyacheslav Gladkov asserted",
        "in a Telegram post",
        "passed on by The Moscow Times (news report)",
        f"into {TITLES[SOURCE_001]}, Newsweek 1 statement",
    ] in steps
    assert [
        "Said by Dmytro Kuleba could not verify",
        f"into {TITLES[SOURCE_002]} 1 statement",
    ] in steps
    assert all(attr(path, "aria-label").startswith("Reporting chain from ") for path in paths)


# ---- contradicting claims side by side -------------------------------------------------------------------


def test_the_two_distances_contradict_each_other_in_the_json(client: TestClient) -> None:
    forty = claim_detail(client, "belgorod-40-miles-from-border")
    twenty = claim_detail(client, "belgorod-20-miles-from-border")

    side_40 = {
        "claim": {
            "id": forty["id"],
            "slug": "belgorod-40-miles-from-border",
            "text": CLAIM_TEXTS["belgorod-40-miles-from-border"],
            "verification_status": "unverified",
        },
        "supporting": [
            {
                "attribution_id": statement_ids(forty, "publisher-of-source-002", "asserted")[0],
                "actor": brief(client, "publisher-of-source-002"),
                "stance": "asserted",
                "quote": QUOTE_40_MILES,
                "source": source_ref(forty, SOURCE_002),
            }
        ],
        "supporting_count": 1,
        "other_stances": [],
    }
    side_20 = {
        "claim": {
            "id": twenty["id"],
            "slug": "belgorod-20-miles-from-border",
            "text": CLAIM_TEXTS["belgorod-20-miles-from-border"],
            "verification_status": "unverified",
        },
        "supporting": [
            {
                "attribution_id": statement_ids(twenty, "publisher-of-source-000", "asserted")[0],
                "actor": brief(client, "publisher-of-source-000"),
                "stance": "asserted",
                "quote": QUOTE_20_MILES,
                "source": source_ref(twenty, SOURCE_000),
            }
        ],
        "supporting_count": 1,
        "other_stances": [],
    }
    assert forty["conflicts"] == [{**side_40, "is_this_claim": True}, {**side_20, "is_this_claim": False}]
    assert twenty["conflicts"] == [{**side_20, "is_this_claim": True}, {**side_40, "is_this_claim": False}]


def test_a_claim_nothing_contradicts_has_no_sides(client: TestClient) -> None:
    detail = claim_detail(client, "depot-fire")
    soup = page(client, f"/claims/{detail['id']}")

    assert detail["conflicts"] == []
    assert soup.select("section#conflicts") == []
    assert [text(a) for a in soup.select("nav.on-this-page a")] == [
        "At a glance",
        "How it reached the articles",
        "Who stands where",
        "Related claims",
        "Verification",
    ]


def sides_on_page(client: TestClient, claim_id: int) -> list[tuple[str, str, list[tuple[str, ...]], str]]:
    soup = page(client, f"/claims/{claim_id}")
    section = one(soup, "section#conflicts")
    return [
        (
            text(one(side, ".side-label")),
            text(one(side, ".conflict-claim-text")),
            [
                (
                    text(one(item, ".conflict-who a.actor-link")),
                    text(one(item, ".conflict-who .stance-badge")),
                    text(one(item, "blockquote.conflict-quote")),
                    text(one(item, ".conflict-source cite")),
                )
                for item in side.select("li.conflict-statement")
            ],
            text(others) if (others := side.select_one(".conflict-others")) else "",
        )
        for side in section.select(".conflict-sides > section.conflict-side")
    ]


def test_20_and_40_miles_are_shown_side_by_side(client: TestClient) -> None:
    forty = claim_detail(client, "belgorod-40-miles-from-border")

    (this, other) = sides_on_page(client, forty["id"])

    assert this[:3] == (
        "This claim",
        CLAIM_TEXTS["belgorod-40-miles-from-border"],
        [(PUBLISHER_002, "asserted", QUOTE_40_MILES, TITLES[SOURCE_002])],
    )
    assert other[:3] == (
        "Contradicting claim",
        CLAIM_TEXTS["belgorod-20-miles-from-border"],
        [(PUBLISHER_000, "asserted", QUOTE_20_MILES, TITLES[SOURCE_000])],
    )
    soup = page(client, f"/claims/{forty['id']}")
    (link,) = soup.select("section#conflicts .conflict-side:not(.is-this-claim) a.conflict-claim-text")
    assert attr(link, "href") == f"/claims/{claim_detail(client, 'belgorod-20-miles-from-border')['id']}"


def test_the_helicopter_strike_faces_the_false_flag_with_who_asserts_each(client: TestClient) -> None:
    strike = claim_detail(client, "helicopter-strike")

    (this, other) = sides_on_page(client, strike["id"])

    # Ten statements assert the strike (six of them Gladkov's): the first five on record are shown.
    (asserted,) = [group for group in strike["groups"] if group["stance"] == "asserted"]
    asserted["attributions"] = whole_group(client, asserted)
    first_five = sorted(asserted["attributions"], key=lambda statement: statement["id"])[:5]
    assert [(who, stance, quote) for who, stance, quote, _source in this[2]] == [
        (statement["actor"]["name"], "asserted", statement["quote"]) for statement in first_five
    ]
    assert [statement["actor"]["slug"] for statement in asserted["attributions"]].count(
        "vyacheslav-gladkov"
    ) == 6
    (side,) = [side for side in strike["conflicts"] if side["is_this_claim"]]
    assert side["supporting_count"] == 10
    soup = page(client, f"/claims/{strike['id']}")
    assert text(one(soup, "section#conflicts .is-this-claim .conflict-more")) == (
        "10 statements assert or confirm it in all; the first 5 are shown."
    )
    assert this[3] == (
        "Also on record: could not verify by 3 actors (6 statements); "
        "declined to comment by 4 actors (6 statements)."
    )
    assert other[1] == CLAIM_TEXTS["false-flag"]
    assert sorted((who, stance) for who, stance, _quote, _source in other[2]) == [
        ("Julian Röpcke", "asserted"),
        ("Julian Röpcke", "asserted"),
        ("Ukrainian defense analysts", "asserted"),
        ("Ukrainian defense analysts", "asserted"),
    ]
