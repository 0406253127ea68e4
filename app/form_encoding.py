"""Forms whose bytes are not UTF-8 are refused, on every route, before anything is written.

Starlette decodes a form leniently: a percent-escape that is not UTF-8 (`Caf%E9`) becomes U+FFFD, a
raw byte above 127 in a urlencoded body is read as Latin-1 (so raw UTF-8 turns into mojibake), and
a multipart field that is not UTF-8 is read as Latin-1 too. Either way the text stored is not the
text sent, and nothing says so. The decoded value cannot tell: a U+FFFD the user typed arrives as the
valid UTF-8 bytes EF BF BD, and is text like any other. So the check reads the raw bytes.

It takes two pieces, because the bytes are gone by the time anything can refuse the request with
the application's error pages: `FormEncodingCheck`, an ASGI middleware, reads along as the body is
received (it neither buffers nor alters it) and notes the first field that is not UTF-8; the
dependency `refuse_unreadable_form`, which `create_app` puts on every router, runs after the body
has been parsed and before the endpoint, and raises InvalidInput naming that field. A route that
takes no form never reads its body, and has nothing to refuse.
"""

import codecs
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

import python_multipart
from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import InvalidInput

_SCOPE_KEY = "claimtrack.form_encoding"


@dataclass
class FormEncoding:
    """What the check found in a request's form body; `finished` once the whole body was read."""

    finished: bool = False
    field: str | None = None
    """The first field whose name or value is not UTF-8."""
    raw_bytes: bool = False
    """The field's value holds raw bytes above 127 in a urlencoded body, which must be percent-encoded."""


def _readable(data: bytes | bytearray) -> bool:
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _name(data: bytes | bytearray) -> str:
    return bytes(data).decode("utf-8", errors="replace")


@dataclass
class _UrlencodedCheck:
    found: FormEncoding
    _name: bytearray = field(default_factory=bytearray)
    _value: bytearray = field(default_factory=bytearray)

    def __post_init__(self) -> None:
        self.parser = python_multipart.QuerystringParser(
            {
                "on_field_start": self._start,
                "on_field_name": lambda data, start, end: self._name.extend(data[start:end]),
                "on_field_data": lambda data, start, end: self._value.extend(data[start:end]),
                "on_field_end": self._end,
            }
        )

    def _start(self) -> None:
        self._name, self._value = bytearray(), bytearray()

    def _end(self) -> None:
        if self.found.field is not None:
            return
        raw = not (self._name + self._value).isascii()
        name = unquote_to_bytes(bytes(self._name).replace(b"+", b" "))
        value = unquote_to_bytes(bytes(self._value).replace(b"+", b" "))
        if raw or not _readable(name) or not _readable(value):
            self.found.field, self.found.raw_bytes = _name(name), raw

    def feed(self, data: bytes) -> None:
        self.parser.write(data)

    def finish(self) -> None:
        self.parser.finalize()


@dataclass
class _MultipartCheck:
    found: FormEncoding
    boundary: bytes
    _header_field: bytearray = field(default_factory=bytearray)
    _header_value: bytearray = field(default_factory=bytearray)
    _disposition: bytes = b""
    _data: bytearray = field(default_factory=bytearray)

    def __post_init__(self) -> None:
        self.parser = python_multipart.MultipartParser(
            self.boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": lambda data, start, end: self._header_field.extend(data[start:end]),
                "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
                "on_header_end": self._header_end,
                "on_part_data": lambda data, start, end: self._data.extend(data[start:end]),
                "on_part_end": self._end,
            },
        )

    def _begin(self) -> None:
        self._disposition, self._data = b"", bytearray()

    def _header_end(self) -> None:
        if bytes(self._header_field).lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_field, self._header_value = bytearray(), bytearray()

    def _end(self) -> None:
        _kind, options = parse_options_header(self._disposition)
        if self.found.field is not None or b"filename" in options:
            return  # a file is bytes, whatever their encoding
        name = options.get(b"name", b"")
        if not _readable(name) or not _readable(self._data):
            self.found.field = _name(name)

    def feed(self, data: bytes) -> None:
        self.parser.write(data)

    def finish(self) -> None:
        self.parser.finalize()


def _check_for(headers: Headers, found: FormEncoding) -> _UrlencodedCheck | _MultipartCheck | None:
    content_type, options = parse_options_header(headers.get("content-type"))
    if content_type == b"application/x-www-form-urlencoded":
        return _UrlencodedCheck(found)
    charset = options.get(b"charset", b"utf-8").decode("latin-1").lower()
    # Starlette decodes multipart fields in the charset the request names; only UTF-8 is checked.
    if content_type == b"multipart/form-data" and b"boundary" in options and charset in ("utf-8", "utf8"):
        return _MultipartCheck(found, options[b"boundary"])
    return None


class FormEncodingCheck:
    """Notes, as a form body streams past, the first field that is not UTF-8 (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = FormEncoding()
        check = _check_for(Headers(scope=scope), found)
        if check is None:
            await self.app(scope, receive, send)
            return
        scope[_SCOPE_KEY] = found
        checking: _UrlencodedCheck | _MultipartCheck | None = check

        async def receive_checked() -> Message:
            nonlocal checking
            message = await receive()
            if message["type"] == "http.request" and checking is not None:
                try:
                    checking.feed(message.get("body", b""))
                    if not message.get("more_body", False):
                        checking.finish()
                        found.finished = True
                except FormParserError:  # a body the parser refuses, Starlette refuses too (400)
                    checking = None
            return message

        await self.app(scope, receive_checked, send)


async def refuse_unreadable_form(request: Request) -> None:
    """Refuse a request whose form had a field that is not UTF-8: 422 naming the field."""
    found = request.scope.get(_SCOPE_KEY)
    if not isinstance(found, FormEncoding) or not found.finished or found.field is None:
        return
    if found.raw_bytes:
        problem = (
            "the form sent bytes above 127 that are not percent-encoded; send it as browsers do "
            "(curl: --data-urlencode), encoded as UTF-8."
        )
    else:
        problem = (
            "the form sent bytes that are not valid UTF-8. Copy the text again from its original, or "
            "save it as UTF-8 first."
        )
    raise InvalidInput(f"{found.field}: {problem}", details={"field": found.field})
