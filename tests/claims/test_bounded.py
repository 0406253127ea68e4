"""A claim's answer and page stay the same size however many statements it has: the first statements
of each stance, everything counted, provenance grouped by the database, the rest a link away."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.claims import provenance
from app.claims.service import STATEMENTS_PER_STANCE
from app.vocabulary import Stance
from tests.conftest import QueryLog, sqlite_only
from tests.factories import busy_claim
from tests.helpers import get_json, get_page, one, page, text

Client = tuple[TestClient, Session]


def group(detail: dict[str, Any], stance: str) -> dict[str, Any]:
    (found,) = [g for g in detail["groups"] if g["stance"] == stance]
    return dict(found)


def summary(detail: dict[str, Any], stance: str) -> dict[str, Any]:
    (found,) = [row for row in detail["stance_summary"] if row["stance"] == stance]
    return dict(found)


def test_each_stance_shows_its_first_statements_and_the_list_continues_from_there(
    client_and_session: Client,
) -> None:
    client, session = client_and_session
    busy = busy_claim(session, statements=60, actors=12, sources=6, stances=(Stance.ASSERTED, Stance.DENIED))

    detail = get_json(client, f"/api/v1/claims/{busy.claim.id}")

    asserted = group(detail, "asserted")
    assert asserted["attribution_count"] == 30
    shown = [a["id"] for a in asserted["attributions"]]
    assert len(shown) == STATEMENTS_PER_STANCE
    assert shown == sorted(shown)
    rest: list[int] = []
    url = asserted["next_url"]
    while url:
        next_page = get_page(client, url.replace("cursor=", "limit=7&cursor="))
        rest += [a["id"] for a in next_page["items"]]
        assert {a["stance"] for a in next_page["items"]} <= {"asserted"}
        url = (
            f"{url.split('&cursor=')[0]}&cursor={next_page['next_cursor']}"
            if next_page["next_cursor"]
            else None
        )
    everything = shown + rest
    assert len(everything) == len(set(everything)) == 30
    assert everything == sorted(everything)
    # A stance with all its statements shown has nothing to continue.
    assert group(detail, "confirmed") == {
        "stance": "confirmed",
        "heading": "Confirmed by",
        "attributions": [],
        "attribution_count": 0,
        "next_url": None,
    }
    # The counts are of all statements, and the summary names the first three actors of each stance.
    assert detail["attribution_count"] == 60
    assert detail["source_count"] == 6
    assert (summary(detail, "asserted")["actor_count"], summary(detail, "denied")["actor_count"]) == (6, 6)
    assert detail["summary"] == (
        "Asserted by Busy Speaker 0, Busy Speaker 2, Busy Speaker 4 and 3 more; "
        "denied by Busy Speaker 1, Busy Speaker 3, Busy Speaker 5 and 3 more"
    )


def test_origins_and_paths_are_counted_in_full_and_the_first_ones_listed(client_and_session: Client) -> None:
    client, session = client_and_session
    # 40 speakers, each quoted twice directly in two different articles: 80 origins and 40 paths.
    busy = busy_claim(session, statements=80, actors=40, sources=8)

    detail = get_json(client, f"/api/v1/claims/{busy.claim.id}")

    asserted = summary(detail, "asserted")
    assert (asserted["actor_count"], asserted["origin_count"], asserted["attribution_count"]) == (40, 80, 80)
    assert len(asserted["origins"]) == provenance.ORIGINS_SHOWN
    first_ids = [origin["first_attribution_id"] for origin in asserted["origins"]]
    assert first_ids == sorted(first_ids)
    assert all(
        (origin["attribution_count"], origin["source_count"], origin["first_step"]) == (1, 1, None)
        for origin in asserted["origins"]
    )
    assert (detail["path_count"], detail["paths_drawn"]) == (40, provenance.PATHS_SHOWN)
    assert len(detail["chains"]) == provenance.PATHS_SHOWN
    for root in detail["chains"]:
        assert root["attribution_count"] == 2
        assert [leaf["kind"] for leaf in root["children"]] == ["source", "source"]


def test_a_path_into_many_articles_names_the_first_and_counts_the_rest(client_and_session: Client) -> None:
    client, session = client_and_session
    # One speaker, through one outlet, into five articles of ten statements each.
    busy = busy_claim(session, statements=50, actors=1, sources=5, outlets=1)

    detail = get_json(client, f"/api/v1/claims/{busy.claim.id}")

    (root,) = detail["chains"]
    assert (root["kind"], root["label"], root["attribution_count"]) == ("speaker", "Busy Speaker 0", 50)
    (outlet,) = root["children"]
    assert (outlet["kind"], outlet["label"], outlet["attribution_count"]) == (
        "intermediary",
        "Busy Outlet 0",
        50,
    )
    assert [(leaf["kind"], leaf["label"], leaf["attribution_count"]) for leaf in outlet["children"]] == [
        ("source", "Busy article 0", 10),
        ("source", "Busy article 1", 10),
        ("source", "Busy article 2", 10),
        ("more_sources", "2 more articles", 20),
    ]
    assert outlet["children"][-1]["source_count"] == 2
    # The five articles quote one report: one origin.
    (origin,) = summary(detail, "asserted")["origins"]
    assert (origin["first_step"]["name"], origin["source_count"], origin["attribution_count"]) == (
        "Busy Outlet 0",
        5,
        50,
    )
    assert [source["title"] for source in origin["sources"]] == [f"Busy article {n}" for n in range(5)]


def test_a_busy_claim_costs_the_queries_of_a_quiet_one(
    counted_client_and_session: tuple[TestClient, QueryLog, Session],
) -> None:
    client, log, session = counted_client_and_session
    quiet = busy_claim(session, statements=1, actors=1, sources=1, label="quiet")
    busy = busy_claim(session, statements=120, actors=30, sources=12, outlets=4, stances=tuple(Stance))

    counts = []
    for claim in (quiet.claim, busy.claim):
        for path in (f"/api/v1/claims/{claim.id}", f"/claims/{claim.id}"):
            log.reset()
            assert client.get(path).status_code == 200
            counts.append(log.count)

    assert counts[:2] == counts[2:]
    assert max(counts) <= 20


@sqlite_only
def test_the_page_links_each_stance_to_all_of_its_statements(client_and_session: Client) -> None:
    client, session = client_and_session
    busy = busy_claim(session, statements=60, actors=12, sources=6, stances=(Stance.ASSERTED, Stance.DENIED))

    soup = page(client, f"/claims/{busy.claim.id}")

    asserted = one(soup, "section#stance-asserted")
    assert text(one(asserted, "h3 .count")) == "(30)"
    assert len(asserted.select("li.attribution")) == STATEMENTS_PER_STANCE
    more = one(asserted, "p.more-statements a")
    assert text(more) == "All 30 statements: asserted by"
    listing = page(client, f"{more['href']}&limit=12")
    assert text(one(listing, "#statements-heading")) == "Asserted by (30)"
    ids = [item["data-attribution-id"] for item in listing.select("li.attribution")]
    while (next_link := listing.select_one("a.next-page")) is not None:
        listing = page(client, f"/claims/{busy.claim.id}/statements{next_link['href']}")
        ids += [item["data-attribution-id"] for item in listing.select("li.attribution")]
    assert len(ids) == len(set(ids)) == 30
    assert {item["data-stance"] for item in listing.select("li.attribution")} == {"asserted"}


@sqlite_only
def test_the_statements_page_narrows_to_an_actor_and_a_source(client_and_session: Client) -> None:
    client, session = client_and_session
    busy = busy_claim(session, statements=24, actors=4, sources=3)
    speaker, article = busy.actors[1], busy.sources[0]

    soup = page(client, f"/claims/{busy.claim.id}/statements?actor_id={speaker.id}&source={article.id}")

    assert text(one(soup, "#statements-heading")) == "Every statement on this claim (2)"
    assert text(one(soup, "p.narrowed-to")).startswith(
        f"Only the statements of {speaker.name}, in {article.title}."
    )
    assert {text(one(item, ".attribution-actor a")) for item in soup.select("li.attribution")} == {
        speaker.name
    }
    assert page(client, f"/claims/{busy.claim.id}/statements?actor_id=999999", status=422)


@sqlite_only
def test_the_page_does_not_grow_with_the_statements(client_and_session: Client) -> None:
    client, session = client_and_session
    small = busy_claim(
        session, statements=60, actors=20, sources=6, outlets=3, stances=tuple(Stance), label="small"
    )
    large = busy_claim(
        session, statements=240, actors=80, sources=24, outlets=12, stances=tuple(Stance), label="large"
    )

    sizes = [len(client.get(f"/claims/{busy.claim.id}").content) for busy in (small, large)]
    api_sizes = [len(client.get(f"/api/v1/claims/{busy.claim.id}").content) for busy in (small, large)]

    assert sizes[1] < sizes[0] * 1.05
    assert api_sizes[1] < api_sizes[0] * 1.05


@sqlite_only
def test_a_statement_link_finds_it_however_busy_its_claim(client_and_session: Client) -> None:
    client, session = client_and_session
    busy = busy_claim(session, statements=40, actors=4, sources=4)
    detail = get_json(client, f"/api/v1/claims/{busy.claim.id}")
    shown = {a["id"] for a in group(detail, "asserted")["attributions"]}
    everything = [
        a["id"] for a in get_page(client, f"/api/v1/attributions?claim={busy.claim.id}&limit=50")["items"]
    ]
    hidden = max(everything)
    assert hidden not in shown

    response = client.get(f"/attributions/{hidden}", follow_redirects=False)

    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(f"/claims/{busy.claim.id}/statements?stance=asserted&cursor=")
    assert location.endswith(f"#attribution-{hidden}")
    listing = page(client, location.split("#")[0])
    assert listing.select("li.attribution")[0]["id"] == f"attribution-{hidden}"
    # One the claim's page shows is found there.
    first = min(shown)
    response = client.get(f"/attributions/{first}", follow_redirects=False)
    assert response.headers["location"] == f"/claims/{busy.claim.id}#attribution-{first}"
    assert page(client, f"/claims/{busy.claim.id}").select(f"li#attribution-{first}")
    assert client.get("/attributions/999999", follow_redirects=False).status_code == 404


def test_a_claim_names_its_first_twenty_sources_and_counts_them_all(client_and_session: Client) -> None:
    client, session = client_and_session
    busy = busy_claim(session, statements=48, actors=6, sources=24)

    detail = get_json(client, f"/api/v1/claims/{busy.claim.id}")

    assert detail["source_count"] == 24
    assert [source["id"] for source in detail["sources"]] == sorted(source.id for source in busy.sources)[:20]
