"""The layering of `app/`, read from its source: domains depend one way, routes call services only, and
queries are built in repositories only.

Each rule lists the places that break it today as known exceptions, left by work still to be merged:
the lead removes them when merging that work. A rule fails on any new violation, and on any known
exception that no longer is one, so that the lists only shrink.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

LAYERS: list[set[str]] = [
    {"models", "extraction"},
    {"audit", "fulltext"},
    {"accounts"},
    {"statements"},
    {"sources", "actors"},
    {"claimreview"},
    {"claims"},
    {"attributions"},
    {"verification", "proposals"},
    {"search", "audit_log", "annotations", "prov", "feeds"},
    {"exports", "backup"},
]
"""The domain packages from bottom to top: a package imports only packages of lower layers."""
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}

ROUTE_MODULES = {"api.py", "pages.py", "admin.py"}
QUERY_CONSTRUCTORS = {"select", "insert", "update", "delete"}

QUERY_MODULES = {
    # The flush hooks that rewrite derived rows (the search index, the claims' summaries) with Core, on
    # the flush's own connection: below the ORM sessions the repositories work with.
    "app/fulltext/indexing.py",
    "app/claims/summaries.py",
    # The benchmarks' bulk writer, which writes prepared rows through the driver.
    "app/bench/loading.py",
    # The restore's bulk writer (COPY on PostgreSQL, executemany on SQLite), through the driver.
    "app/backup/loading.py",
}
"""Modules other than `repository.py` files that may build queries, and why."""

# Known exceptions: the lead removes them when merging the branches that reshape the domains.
KNOWN_UPWARD_IMPORTS: set[str] = set()
KNOWN_ROUTE_LEAKS: set[str] = set()
KNOWN_QUERIES_OUTSIDE_REPOSITORIES: set[str] = set()


@dataclass(frozen=True)
class Module:
    path: Path
    name: str
    tree: ast.Module

    @property
    def relative(self) -> str:
        return self.path.relative_to(APP.parent).as_posix()

    @property
    def package(self) -> str | None:
        parts = self.name.split(".")
        return parts[1] if len(parts) > 2 else None


def _modules() -> Iterator[Module]:
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield Module(path, name, ast.parse(path.read_text(), filename=str(path)))


def _imported(module: Module) -> Iterator[str]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _domain_of(imported: str) -> str | None:
    parts = imported.split(".")
    return parts[1] if parts[0] == "app" and len(parts) > 1 and parts[1] in RANK else None


def _upward_imports() -> set[str]:
    found = set()
    for module in _modules():
        if module.package not in RANK:
            continue
        for imported in _imported(module):
            target = _domain_of(imported)
            if target is not None and target != module.package and RANK[target] >= RANK[module.package]:
                found.add(f"{module.name} -> app.{target}")
    return found


def _constructor_names(module: Module) -> set[str]:
    """The local names of SQLAlchemy's select/insert/update/delete in a module, aliases included."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names.update(
                alias.asname or alias.name for alias in node.names if alias.name in QUERY_CONSTRUCTORS
            )
    return names


def _query_constructions(module: Module) -> set[str]:
    constructors = _constructor_names(module)
    found = set()
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in constructors:
            found.add(f"{module.relative}: {function.id}(")
        elif (
            isinstance(function, ast.Attribute)
            and function.attr in QUERY_CONSTRUCTORS
            and isinstance(function.value, ast.Name)
            and function.value.id in {"sa", "sqlalchemy"}
        ):
            found.add(f"{module.relative}: {function.attr}(")
    return found


def _route_leaks() -> set[str]:
    found = set()
    for module in _modules():
        if module.path.name not in ROUTE_MODULES:
            continue
        for imported in _imported(module):
            if imported.startswith("app.") and ".repository" in f".{imported}":
                repository = imported[: imported.index("repository") + len("repository")]
                found.add(f"{module.relative}: imports {repository}")
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "session"
            ):
                found.add(f"{module.relative}: session.{node.func.attr}(")
        found.update(_query_constructions(module))
    return found


def _queries_outside_repositories() -> set[str]:
    found = set()
    for module in _modules():
        if module.path.name == "repository.py" or module.relative in QUERY_MODULES:
            continue
        found.update(_query_constructions(module))
    return found


def _check(found: set[str], known: set[str]) -> None:
    new = sorted(found - known)
    fixed = sorted(known - found)
    assert not new, f"new violations: {new}"
    assert not fixed, f"no longer violations, remove them from the known exceptions: {fixed}"


def test_every_domain_package_has_a_layer() -> None:
    packages = {path.parent.name for path in APP.glob("*/__init__.py")} - {"bench"}
    assert packages == set(RANK)


def test_domain_packages_import_only_lower_layers() -> None:
    _check(_upward_imports(), KNOWN_UPWARD_IMPORTS)


def test_routes_call_services_only() -> None:
    _check(_route_leaks(), KNOWN_ROUTE_LEAKS)


def test_queries_are_built_in_repositories_only() -> None:
    _check(_queries_outside_repositories(), KNOWN_QUERIES_OUTSIDE_REPOSITORIES)


def test_the_checks_see_what_they_look_for() -> None:
    """The parsers find an import, a query and a session call in code written to hold them."""
    source = (
        "from sqlalchemy import select as pick\n"
        "from app.claims import repository\n"
        "def route(session):\n"
        "    return session.scalars(pick(1))\n"
    )
    module = Module(APP / "claims" / "pages.py", "app.claims.pages", ast.parse(source))
    assert _query_constructions(module) == {"app/claims/pages.py: pick("}
    assert "app.claims.repository" in set(_imported(module))
