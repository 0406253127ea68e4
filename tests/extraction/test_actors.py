"""Resolving speakers to known actors, to people named earlier, or to new actors."""

from app.extraction import KnownActor, extract
from tests.extraction.helpers import by_cue, one, words

MAYOR = KnownActor(
    key="maria-lopez",
    name="Maria Lopez",
    kind="person",
    aliases=("Lopez", "Mayor Lopez"),
    role="Mayor of Riverton",
)
MINISTER = KnownActor(
    key="ivo-tanner",
    name="Ivo Tanner",
    kind="person",
    aliases=("Tanner",),
    role="Minister of Foreign Affairs of Ruritania",
)
PRESIDENT = KnownActor(key="erik-vale", name="Erik Vale", kind="person", role="President of Ruritania")
RIVAL = KnownActor(key="lena-dorn", name="Lena Dorn", kind="person", role="President of Borduria")
GOVERNMENT = KnownActor(key="ruritania", name="Ruritanian government", kind="government_body")
POLICE = KnownActor(key="riverton-police", name="Riverton Police Department", kind="organisation")
GAZETTEER = (MAYOR, MINISTER, PRESIDENT, RIVAL, GOVERNMENT, POLICE)


def test_name_and_alias_resolve_to_the_known_actor() -> None:
    found = one("Mayor Lopez said the budget was balanced.", GAZETTEER)
    assert (found.actor, found.actor_key) == ("Maria Lopez", "maria-lopez")


def test_title_resolves_through_the_role() -> None:
    text = "Ruritania's foreign minister said the border would stay open."
    found = one(text, GAZETTEER)
    assert found.actor_key == "ivo-tanner"
    assert one("The mayor told reporters that schools would reopen.", GAZETTEER).actor_key == "maria-lopez"


def test_a_title_several_people_hold_is_the_one_named_last() -> None:
    text = "Erik Vale met Lena Dorn on Friday. The president said the talks had gone well."
    assert one(text, GAZETTEER).actor_key == "lena-dorn"


def test_pronoun_is_the_nearest_person_already_named() -> None:
    text = '"We will rebuild," Mayor Lopez said.\n\n"It will take a year," she added.'
    assert by_cue(text, "added", GAZETTEER).actor_key == "maria-lopez"
    no_gazetteer = "Tom Reyes left early. He said the meeting was a waste of time."
    assert one(no_gazetteer).actor == "Tom Reyes"


def test_last_name_is_the_person_named_earlier() -> None:
    text = 'Johanna Weiss said the dam was safe. "No water got through," Weiss added.'
    found = by_cue(text, "added")
    assert (found.actor, found.actor_key) == ("Johanna Weiss", None)


def test_a_description_repeats_an_earlier_speaker() -> None:
    text = (
        "Piet Raven, the regional governor, said the fire was out. Later the governor said two barns burned."
    )
    assert [(words(text, f.source), f.actor) for f in extract(text)] == [
        ("Piet Raven, the regional governor", "Piet Raven"),
        ("the governor", "Piet Raven"),
    ]


def test_unknown_speaker_is_a_new_actor_named_by_the_text() -> None:
    text = "Harbour master Jonas Pike said the ferry would sail at noon."
    found = one(text, GAZETTEER)
    assert (found.actor, found.actor_key) == ("Jonas Pike", None)


def test_the_possessor_is_not_the_speaker() -> None:
    text = "Mayor Lopez's spokesman said the vote would go ahead."
    found = one(text, GAZETTEER)
    assert words(text, found.source) == "Mayor Lopez's spokesman"
    assert found.actor_key is None


def test_a_country_or_its_officials_speak_as_its_government() -> None:
    assert one("Ruritania said the exercise was routine.", GAZETTEER).actor_key == "ruritania"
    assert one("Ruritanian officials said the exercise was routine.", GAZETTEER).actor_key == "ruritania"


def test_two_known_speakers_of_one_statement_are_two_statements() -> None:
    text = "Mayor Lopez and the Riverton Police Department did not respond to requests for comment."
    found = [f.actor_key for f in extract(text, GAZETTEER)]
    assert found == ["maria-lopez", "riverton-police"]
