"""The one URL builder: the path of a route, by the route's name, with its query and fragment.

Links are paths only, never with a scheme and host: a page or redirect built from the request's
Host header would let a spoofed header steer it (see `app/security.py`). Templates get the builder
as `path_for`, and Starlette's `url_for`, which gives absolute URLs, is taken out of their globals.

Route names: an API route is named after its endpoint function (`get_claim`, `list_attributions`),
the name FastAPI publishes as its OpenAPI operation (`operationId`, and the summary "Get Claim"), so
it is part of the API's contract. A page route is named after its function too (`claim_page`,
`edit_claim_form`); a page's form handler that would share its API twin's name (`create_claim`) is
named `<that name>_from_form`. tests/test_urls.py checks that every name is unique.

Services that put links in what they return (`next_url`, a search result's `url`) take a `Paths`
from the route that calls them, as they take the session: the route table belongs to the app, and
a service cannot import the routers it links to (claims would import attributions, above it).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.routing import iter_route_contexts
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.convertors import Convertor
from starlette.routing import NoMatchFound, replace_params

QueryValue = str | int | Sequence[str | int] | None
"""A query parameter's value; None leaves the parameter out, a sequence repeats it."""


@dataclass(frozen=True)
class Paths:
    """The paths of an app's routes: each route's path format and the convertors of its parameters, by name.

    Read once from the app (`Paths.of`), as Starlette's `url_path_for` tries every route in turn, an
    exception for each that is not it: about a millisecond a link, and a source page has hundreds.
    """

    formats: Mapping[str, tuple[str, dict[str, Convertor[Any]]]]

    @classmethod
    def of(cls, app: FastAPI) -> "Paths":
        return cls(
            {
                route.name: (route.path_format, route.param_convertors)
                for route in iter_route_contexts(app.routes)
                if route.name is not None and route.path_format is not None
            }
        )

    def __call__(
        self,
        name: str,
        /,
        *,
        query: Mapping[str, QueryValue] | None = None,
        fragment: str | None = None,
        **params: str | int,
    ) -> str:
        """The path of the route `name` with its path `params`, then `?query` and `#fragment`, if given."""
        # Quoted here as Jinja's `urlencode` did: a path parameter is text, not part of the path's syntax.
        path_format, convertors = self.formats.get(name, ("", {}))
        if not path_format or params.keys() != convertors.keys():
            raise NoMatchFound(name, params)
        quoted = {key: quote(str(value), safe="/") for key, value in params.items()}
        path, _ = replace_params(path_format, convertors, quoted)
        kept = {key: value for key, value in (query or {}).items() if value is not None}
        if kept:
            # "/" is kept as it is, as a query may hold it: `?next=/claims/new` reads as the path it is.
            path += "?" + urlencode(kept, doseq=True, safe="/")
        if fragment:
            path += "#" + fragment
        return path


# async: a plain `def` dependency costs every request a thread-pool hop.
async def request_paths(request: Request) -> Paths:
    """The paths of the app serving the request."""
    paths: Paths = request.app.state.paths
    return paths


PathsDep = Annotated[Paths, Depends(request_paths)]


@dataclass(frozen=True)
class PublicUrls:
    """Absolute URLs of the app's routes, under the configured public address (`Settings.public_url`),
    for documents that other programs read (Web Annotations, PROV): the path builder's paths, prefixed
    by that address and never by the Host a request named."""

    paths: Paths
    base: str

    def __call__(
        self,
        name: str,
        /,
        *,
        query: Mapping[str, QueryValue] | None = None,
        fragment: str | None = None,
        **params: str | int,
    ) -> str:
        return self.base.rstrip("/") + self.paths(name, query=query, fragment=fragment, **params)


async def request_public_urls(request: Request) -> PublicUrls:
    """The absolute URLs of the app serving the request, under its public address."""
    return PublicUrls(request.app.state.paths, request.app.state.public_url)


PublicUrlsDep = Annotated[PublicUrls, Depends(request_public_urls)]


def path_for(
    request: Request,
    name: str,
    /,
    *,
    query: Mapping[str, QueryValue] | None = None,
    fragment: str | None = None,
    **params: str | int,
) -> str:
    """The path of the route `name`, in the app serving `request` (see `Paths`)."""
    paths: Paths = request.app.state.paths
    return paths(name, query=query, fragment=fragment, **params)


@pass_context
def template_path_for(context: Context, name: str, /, **arguments: Any) -> str:
    """`path_for` in templates: `{{ path_for('claim_page', claim_id=claim.id) }}`."""
    return path_for(context["request"], name, **arguments)


NAV_SECTIONS = {
    "claims": "claims",
    "verification": "claims",
    "actors": "actors",
    "sources": "sources",
    "accounts.pages": "account",
    "accounts.admin": "users",
    "audit_log": "audit_log",
}
"""The navigation's section of each domain's pages (a package, or one of its modules), by name."""


@pass_context
def nav_section(context: Context) -> str | None:
    """The section of the navigation the page belongs to, from the domain whose route rendered it: a
    route keeps its section wherever its path moves. None for a page of no section (an error page)."""
    endpoint = context["request"].scope.get("endpoint")
    parts = getattr(endpoint, "__module__", "").split(".")  # app.<domain>.<module>
    if len(parts) < 3:
        return None
    return NAV_SECTIONS.get(".".join(parts[1:3])) or NAV_SECTIONS.get(parts[1])
