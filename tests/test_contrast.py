"""The stance colours are readable, and colour is never a stance's only signal (WCAG 2.1 AA).

Read from static/claimtrack.css: text on each stance's tint at least 4.5:1 (1.4.3), the stance's
underline and edge colour at least 3:1 against its tint (1.4.11), and each stance has a symbol and an
underline style of its own in a source's text (1.4.1).
"""

import re
from pathlib import Path

import pytest

from app.vocabulary import Stance

CSS = (Path(__file__).resolve().parent.parent / "static" / "claimtrack.css").read_text(encoding="utf-8")
COLOURS = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", CSS))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_defines_it() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("stance", [stance.value for stance in Stance])
def test_stance_colours_are_readable(stance: str) -> None:
    tint = COLOURS[f"{stance}-bg"]

    assert contrast(COLOURS["text"], tint) >= 4.5  # the quoted text on its highlight
    assert contrast(COLOURS["link"], tint) >= 4.5  # a link inside a highlight
    assert contrast(COLOURS[f"{stance}-text"], tint) >= 4.5  # badge label and symbol on the tint
    assert contrast(COLOURS[f"{stance}-text"], COLOURS["bg"]) >= 4.5  # symbol on the page
    assert contrast(COLOURS[f"{stance}-edge"], tint) >= 3.0  # underline: non-text contrast


def test_each_stance_has_its_own_symbol_and_underline_in_a_source_text() -> None:
    symbols = {
        stance: re.search(
            rf"mark\.stance-{stance}\.span-start::before[^{{]*\{{\s*content:\s*\"([^\"]+)\"", CSS
        )
        for stance in (s.value for s in Stance)
    }
    underlines = {
        stance: re.search(rf"\.source-text mark\.stance-{stance}, [^{{]*\{{([^}}]*)\}}", CSS)
        for stance in (s.value for s in Stance)
    }
    assert all(symbols.values())
    assert all(underlines.values())
    assert len({match.group(1) for match in symbols.values() if match}) == len(Stance)

    def style(declarations: str) -> tuple[str, str]:
        line = re.search(r"text-decoration-line:\s*([^;]+);", declarations)
        kind = re.search(r"text-decoration-style:\s*([^;]+);", declarations)
        assert kind is not None
        return (line.group(1).strip() if line else "underline", kind.group(1).strip())

    assert len({style(match.group(1)) for match in underlines.values() if match}) == len(Stance)
