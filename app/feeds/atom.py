"""Atom documents written from a template whose every value is escaped for XML.

The environment is the pages' own rule (autoescape) with one more: XML 1.0 cannot hold most control
characters (U+0000 to U+001F but tab and line ends, lone surrogates, U+FFFE and U+FFFF) even escaped,
and a feed reader refuses a document that has one. Stored text may carry them (a source's text keeps
its every character), so every value is stripped of them on its way out (`finalize`).
"""

import re
from datetime import UTC, datetime
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from app.config import get_settings
from app.feeds.service import Feed

NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_characters(value: object) -> object:
    """A value as XML 1.0 can hold it: text without the characters it forbids."""
    if isinstance(value, Markup):
        return value  # the output of a macro, whose values went through here already
    if isinstance(value, str):
        return NOT_IN_XML.sub("", value)
    return value


def rfc3339(moment: datetime) -> str:
    """A moment as Atom dates are written: RFC 3339, in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@cache
def _template() -> Template:
    environment = Environment(
        loader=FileSystemLoader(str(get_settings().templates_dir)),
        autoescape=True,
        finalize=xml_characters,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["rfc3339"] = rfc3339
    return environment.get_template("feeds/feed.atom")


def render_atom(feed: Feed) -> str:
    return _template().render(feed=feed)
