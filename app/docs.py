"""The API's documentation page, Swagger UI served by the app itself.

FastAPI's own /docs loads Swagger UI from a public CDN and starts it with an inline script: it fails on a
closed network, and under a Content-Security-Policy without 'unsafe-inline'. Here the files come from the
`swagger-ui-bundle-v2` package (Swagger UI's release, Apache-2.0) under /static/swagger-ui/, and the page
starts Swagger UI from a file of claimtrack's own (static/docs.js), so the page needs no exception to the
policy.
"""

import os
from typing import ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from app.web import templates

SWAGGER_UI_PREFIX = "/static/swagger-ui"


class SwaggerUIFiles(StaticFiles):
    """The files of Swagger UI that the page loads, and no others (the bundle also holds a demo page
    that opens the Swagger Petstore)."""

    SERVED: ClassVar[frozenset[str]] = frozenset(
        {"swagger-ui.css", "swagger-ui.css.map", "swagger-ui-bundle.js", "swagger-ui-bundle.js.map"}
    )

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        return super().lookup_path(path) if path in self.SERVED else ("", None)


def install_docs(app: FastAPI, docs_url: str, openapi_url: str) -> None:
    """Serve the documentation page at `docs_url` (create the app with `docs_url=None`)."""

    async def docs(request: Request) -> HTMLResponse:
        """Swagger UI, reading the OpenAPI document at `openapi_url`."""
        return templates.TemplateResponse(request, "docs.html", {"openapi_url": openapi_url})

    # Before the mount of /static, which would otherwise take these paths.
    app.mount(SWAGGER_UI_PREFIX, SwaggerUIFiles(directory=swagger_ui_path), name="swagger-ui")
    app.add_route(docs_url, docs, methods=["GET"], include_in_schema=False)
