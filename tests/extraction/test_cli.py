"""`claimtrack extract FILE...`: one JSON line per file, offsets into the text as read; bad files named,
the others still read. In-process, with no database: DATABASE_URL points at a file that is never made."""

import json
from pathlib import Path

import pytest

from app.extraction import MAX_TEXT_CHARS
from tests.conftest import Claimtrack

ARTICLE = (
    "Riverton \u2014 \u201cThe bridge will reopen in May,\u201d the mayor said on Tuesday.\r\n"
    "Engineers told the council that the cables were sound, according to the Riverton Courier.\r\n"
)


@pytest.fixture
def no_database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'never-created.db'}"


def test_one_json_line_per_file_in_the_public_shape(
    claimtrack: Claimtrack, no_database: str, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE.encode("utf-8"))
    result = claimtrack(no_database, "extract", str(article), str(article))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0] == lines[1]
    line = json.loads(lines[0])
    assert list(line) == ["file", "attributions"]
    assert line["file"] == str(article)
    text = article.read_bytes().decode("utf-8")
    said = line["attributions"][0]
    assert said == {
        "source": {"start": text.index("the mayor"), "end": text.index("the mayor") + len("the mayor")},
        "cue": {"start": text.index("said"), "end": text.index("said") + 4},
        "content": {"start": text.index("\u201c"), "end": text.index("\u201d") + 1},
        "stance": "asserted",
        "actor": "mayor",
        "medium": None,
        "via": [],
    }
    cues = [text[item["cue"]["start"] : item["cue"]["end"]] for item in line["attributions"]]
    assert cues == ["said", "told", "according to"]
    told = line["attributions"][1]
    assert told["via"] == ["Riverton Courier"]
    assert not (tmp_path / "never-created.db").exists()


def test_known_actors_from_an_annotations_file(
    claimtrack: Claimtrack, no_database: str, tmp_path: Path
) -> None:
    actors = tmp_path / "annotations.yaml"
    actors.write_text(
        "actors:\n  - slug: maria-lopez\n    name: Maria Lopez\n    kind: person\n"
        "    role: Mayor of Riverton\n",
        encoding="utf-8",
    )
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = claimtrack(no_database, "extract", "--actors", str(actors), str(article))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["attributions"][0]["actor"] == "Maria Lopez"


def test_bad_files_are_named_and_the_others_still_read(
    claimtrack: Claimtrack, no_database: str, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\n \n")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le ministre a d\u00e9clar\u00e9 que tout allait bien.".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    huge = tmp_path / "huge.txt"
    huge.write_text(("The council said the budget was fine. " * 140_000)[: 5 * 1024 * 1024], encoding="utf-8")
    long = tmp_path / "long.txt"
    long.write_text("é" * (MAX_TEXT_CHARS + 1), encoding="utf-8")  # fewer bytes than 4 per character
    result = claimtrack(
        no_database,
        "extract",
        str(empty),
        str(good),
        str(blank),
        str(binary),
        str(latin),
        str(missing),
        str(huge),
        str(long),
        str(tmp_path),
    )
    assert result.exit_code == 1
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == [str(good)]
    errors = result.stderr.splitlines()
    assert errors == [
        f"claimtrack: {empty}: is empty; there is nothing to extract",
        f"claimtrack: {blank}: is empty; there is nothing to extract",
        f"claimtrack: {binary}: is a binary file, not text",
        f"claimtrack: {latin}: is not UTF-8 text (byte {len('Le ministre a d')} cannot be decoded)",
        f"claimtrack: {missing}: cannot be read (No such file or directory)",
        f"claimtrack: {huge}: is 5,242,880 bytes long; the extractor reads texts of at most "
        f"{MAX_TEXT_CHARS:,} characters",
        f"claimtrack: {long}: the text has {MAX_TEXT_CHARS + 1:,} characters; the extractor reads texts of "
        f"at most {MAX_TEXT_CHARS:,} characters (an article, not a collection)",
        f"claimtrack: {tmp_path}: is a directory, not a text file",
    ]
