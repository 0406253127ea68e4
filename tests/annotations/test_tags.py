"""The tags that say what statement an annotation is (`app.annotations.service.read_tags`)."""

import pytest

from app.annotations.service import NotImported, read_tags
from app.vocabulary import Stance


def test_the_tags_claimtrack_writes_read_back() -> None:
    tags = read_tags(
        [
            "actor:dmytro-kuleba",
            "stance:could_not_verify",
            "claim:1",
            "medium:interview",
            "via:2:bild:tweet",
            "via:1:reuters:news report",
        ]
    )
    assert (tags.actor, tags.stance, tags.claim, tags.medium) == (
        "dmytro-kuleba",
        Stance.COULD_NOT_VERIFY,
        "1",
        "interview",
    )
    assert tags.via == [{"actor": "reuters", "medium": "news report"}, {"actor": "bild", "medium": "tweet"}]


def test_tags_as_a_person_types_them() -> None:
    tags = read_tags(
        [
            "Belgorod",
            "Actor: Kuleba",
            "STANCE:Could not verify",
            "claim:helicopters struck",
            "via:Reuters",
            "via:Bild: tweet",
        ]
    )
    assert (tags.actor, tags.stance, tags.claim) == ("Kuleba", Stance.COULD_NOT_VERIFY, "helicopters struck")
    assert tags.via == [{"actor": "Reuters", "medium": None}, {"actor": "Bild", "medium": "tweet"}]


@pytest.mark.parametrize(
    ("tags", "problem"),
    [
        (["actor:a", "stance:asserted"], "it does not say its claim: tag it claim:… (see"),
        (["stance:asserted"], "it does not say its actor and claim: tag it actor:…, claim:… (see"),
        (
            ["actor:a", "stance:asserted", "claim:1", "claim:2"],
            "it has two claim tags (claim:1 and claim:2); keep one.",
        ),
        (
            ["actor:a", "stance:maybe", "claim:1"],
            "the tag stance:maybe names no stance; the stances are asserted,",
        ),
        (["actor:", "stance:asserted", "claim:1"], "the tag 'actor:' gives no actor."),
        (["actor:a", "stance:asserted", "claim:1", "via:1:b", "via:c"], "its via tags mix numbered steps"),
        (
            ["actor:a", "stance:asserted", "claim:1", "via:1:b", "via:1:c"],
            "two of its via tags give the same step number.",
        ),
    ],
)
def test_tags_that_do_not_make_a_statement(tags: list[str], problem: str) -> None:
    with pytest.raises(NotImported) as raised:
        read_tags(tags)
    assert raised.value.message.startswith(problem)
