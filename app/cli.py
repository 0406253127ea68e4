"""The `claimtrack` command: serve, migrate, seed, export, accounts, and benchmark tooling."""

import argparse
import getpass
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.annotations.reading import AnnotationFileError
from app.annotations.service import import_annotations
from app.backup.dump import export_database
from app.backup.restore import restore_backup
from app.bench import DEFAULT_POSTGRES_URL
from app.bench.generate import DEFAULT_SEED, GenerateResult, generate
from app.bench.progress import Progress
from app.bench.repository import holds_records
from app.config import PROJECT_ROOT, get_settings
from app.db import analyze, analyze_if_never, begin_write, create_db_engine, make_session_factory
from app.derived import keep_derived_tables_current
from app.errors import AppError, InvalidInput
from app.extraction import MAX_TEXT_CHARS, TextTooLarge, extract
from app.extraction.types import Extracted, Span
from app.models import Source
from app.proposals import service as proposals
from app.repository import has_rows
from app.seeds import SeedError, known_actors, read_actors, seed
from app.sources.schemas import SourceCreate
from app.vocabulary import Role

CLI_USER = "cli"
T = TypeVar("T")


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(engine: Engine) -> None:
    """Bring the database to the latest migration."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def load_seeds(engine: Engine, seed_dir: Path) -> dict[str, int]:
    """Check and load a seed directory in one transaction: all of it, or nothing."""
    with make_session_factory(engine)() as session:
        begin_write(session)
        created = seed(session, seed_dir)
        analyze(session.connection())
        session.commit()
    return created


def _ready_engine() -> Engine:
    """The configured database, brought to the latest migration: every command works on a new one."""
    engine = create_db_engine(get_settings().database_url)
    upgrade_database(engine)
    return engine


def _is_empty(engine: Engine) -> bool:
    with make_session_factory(engine)() as session:
        return not has_rows(session, Source)


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    if not _port_is_free(args.host, args.port):
        print(f"claimtrack: {args.host}:{args.port} is in use; pick another with --port.", file=sys.stderr)
        return 1
    engine = _ready_engine()
    if _is_empty(engine):
        created = load_seeds(engine, settings.seeds_dir)
        print(f"claimtrack: new database, seeded from {settings.seeds_dir}: {_counts(created)}")
    analyze_if_never(engine)
    engine.dispose()
    workers = f" with {args.workers} workers" if args.workers > 1 else ""
    print(f"claimtrack: serving on http://{args.host}:{args.port}/{workers} (API docs at /docs)")
    # An import string, not the app object: each worker process imports and builds its own app.
    # The app reads forwarded headers itself, from CLAIMTRACK_TRUSTED_PROXIES only (app/main.py).
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=False,
    )
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    _ready_engine().dispose()
    print("claimtrack: the database is at the latest migration.")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    settings = get_settings()
    seed_dir = Path(args.path) if args.path else settings.seeds_dir
    if not seed_dir.is_dir():
        print(f"claimtrack: {seed_dir} is not a directory of seed files.", file=sys.stderr)
        return 2
    engine = _ready_engine()
    try:
        created = load_seeds(engine, seed_dir)
    finally:
        engine.dispose()
    print(f"claimtrack: seeded from {seed_dir}: {_counts(created)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    engine = _ready_engine()
    try:
        if args.output is None:
            try:
                export_database(engine, sys.stdout.buffer, with_secrets=args.with_secrets)
                sys.stdout.buffer.flush()
            except BrokenPipeError:
                # The reader stopped reading (`| head`): say so once, not with a traceback.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                print(
                    "claimtrack: the export's reader closed the pipe; the output is incomplete.",
                    file=sys.stderr,
                )
                return 1
            return 0
        output = Path(args.output)
        started = time.perf_counter()
        with output.open("wb") as backup:
            rows = export_database(
                engine, backup, with_secrets=args.with_secrets, show_progress=sys.stderr.isatty()
            )
    finally:
        engine.dispose()
    secrets = "with" if args.with_secrets else "without"
    print(
        f"claimtrack: wrote {rows:,} rows to {output} ({secrets} accounts, tokens and the audit log) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(
            f"claimtrack: {path} is not a file; give the path of a backup (`claimtrack export -o FILE`).",
            file=sys.stderr,
        )
        return 2
    engine = _ready_engine()
    database = engine.url.render_as_string(hide_password=True)
    started = time.perf_counter()
    try:
        plan = restore_backup(engine, path, show_progress=sys.stderr.isatty())
    finally:
        engine.dispose()
    print(
        f"claimtrack: restored {plan.total_rows:,} rows from {path} into {database} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        print(f"claimtrack: cannot read {path}: {error.strerror}.", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(
            f"claimtrack: {path} is not text in UTF-8, as JSON must be; nothing was imported.",
            file=sys.stderr,
        )
        return 1
    except json.JSONDecodeError as error:
        print(f"claimtrack: {path} is not JSON ({error}); nothing was imported.", file=sys.stderr)
        return 1
    engine = _ready_engine()
    try:
        with make_session_factory(engine)() as session:
            begin_write(session)
            try:
                report = import_annotations(session, document, by=CLI_USER)
            except AnnotationFileError as error:
                print(f"claimtrack: {path}: {error} Nothing was imported.", file=sys.stderr)
                return 1
            if args.check:
                session.rollback()
            else:
                session.commit()
    finally:
        engine.dispose()
    for result in report.results:
        if result.outcome == "failed":
            print(f"{result.label}: not imported: {result.message}", file=sys.stderr)
        else:
            print(f"{result.label}: {result.message}")
    would = "would be " if args.check else ""
    checked = " (--check: nothing was written)" if args.check else ""
    print(
        f"claimtrack: {len(report.results)} annotations in {path}: {report.count('imported')} "
        f"{would}imported, {report.count('recorded')} recorded already, "
        f"{report.count('failed')} not imported{checked}."
    )
    return 1 if report.failed else 0


def _in_transaction(work: Callable[[Session], T]) -> T:
    """Run one unit of work on the configured database, committed when it succeeds."""
    engine = _ready_engine()
    try:
        with make_session_factory(engine)() as session:
            begin_write(session)
            result = work(session)
            session.commit()
            return result
    finally:
        engine.dispose()


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat it: ") != password:
        raise InvalidInput("The two passwords differ; nothing was changed.")
    return password


def cmd_users_create(args: argparse.Namespace) -> int:
    password = _read_password()
    user = _in_transaction(
        lambda s: accounts.create_user(s, args.name, password, Role(args.role), by=CLI_USER)
    )
    print(f"claimtrack: created {user.name} ({user.role}).")
    return 0


def cmd_users_list(_args: argparse.Namespace) -> int:
    users = _in_transaction(accounts.list_users)
    if not users:
        print("claimtrack: no accounts yet; create one with `claimtrack users create NAME --role admin`.")
    for user in users:
        state = f"disabled {user.disabled_at:%Y-%m-%d}" if user.disabled_at else "active"
        print(f"{user.name}\t{user.role}\t{state}")
    return 0


def cmd_users_set_role(args: argparse.Namespace) -> int:
    role = Role(args.role)
    _in_transaction(lambda s: accounts.set_role(s, accounts.get_user(s, args.name), role, by=CLI_USER))
    print(f"claimtrack: {args.name} is now {role.value}.")
    return 0


def cmd_users_set_password(args: argparse.Namespace) -> int:
    password = _read_password()
    user = _in_transaction(
        lambda s: accounts.reset_password(s, accounts.get_user(s, args.name), password, by=CLI_USER)
    )
    print(f"claimtrack: {user.name} has a new password; its sessions are signed out.")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    _in_transaction(lambda s: accounts.disable_user(s, accounts.get_user(s, args.name), by=CLI_USER))
    print(f"claimtrack: {args.name} is disabled; its sessions and tokens no longer work.")
    return 0


def cmd_tokens_create(args: argparse.Namespace) -> int:
    issued = _in_transaction(
        lambda s: accounts.issue_token(s, accounts.get_user(s, args.name), args.label, by=CLI_USER)
    )
    print(issued.secret)
    print("claimtrack: copy this token now; it is not stored and cannot be shown again.", file=sys.stderr)
    return 0


def cmd_add_source(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{path} is not UTF-8 text (byte {error.start} cannot be read): convert it to UTF-8 first."
        ) from None
    source_input = SourceCreate(
        title=args.title,
        text=text,
        outlet=args.outlet,
        url=args.url,
        published_on=args.date,
        language=args.language,
    )
    added = _in_transaction(
        lambda s: proposals.add_source(s, source_input, by=CLI_USER, file_name=path.name[:255])
    )
    source = added.source
    if not added.is_new:
        print(f"claimtrack: this text is already source {source.id} (“{source.title}”); nothing was stored.")
        return 0
    plural = "" if added.proposed == 1 else "s"
    print(
        f"claimtrack: added source {source.id} (“{source.title}”); the extractor proposed "
        f"{added.proposed} statement{plural}, waiting for review on its page (/sources/{source.id})."
    )
    return 0


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give a date as YYYY-MM-DD, e.g. 2022-04-01") from None


def cmd_bench_generate(args: argparse.Namespace) -> int:
    engine = _ready_engine()
    database = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            refused = holds_records(connection)
        if refused:
            print(
                f"claimtrack: {database} already holds sources, actors or claims; a benchmark corpus "
                "goes into a database of its own: point DATABASE_URL at a new one.",
                file=sys.stderr,
            )
            return 1
        result = generate(engine, args.attributions, seed=args.seed, progress=Progress(args.attributions))
    finally:
        engine.dispose()
    print(f"claimtrack: generated {args.attributions:,} statements (seed {args.seed}) into {database}")
    print(_generation_summary(result))
    return 0


def _generation_summary(result: GenerateResult) -> str:
    width = max(len(name) for name in result.rows)
    lines = [f"  {name:<{width}} {count:>12,}" for name, count in result.rows.items()]
    lines.append(f"  {'rows':<{width}} {result.total_rows:>12,}")
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result.steps.items())
    lines.append(f"in {result.seconds:,.1f} s ({result.total_rows / result.seconds:,.0f} rows/s; {steps})")
    peaks = ", ".join(f"{step} {mib:,.0f} MiB" for step, mib in result.peak_memory.items())
    lines.append(f"peak memory after each step: {peaks}")
    return "\n".join(lines)


def cmd_bench_import(args: argparse.Namespace) -> int:
    from app.bench.imports import measure_import  # it imports this module back for the migrations

    database_url = get_settings().database_url
    measured = measure_import(database_url, attributions=args.attributions, seed=args.seed)
    print(
        f"claimtrack: import of {args.attributions:,} statements (seed {args.seed}), "
        f"{measured.total_rows:,} rows on {measured.backend}:"
    )
    for label, seconds, rate in (
        ("generator", measured.generator_seconds, measured.generator_rows_per_second),
        (f"raw {measured.raw_method}", measured.raw_seconds, measured.raw_rows_per_second),
    ):
        print(f"  {label:<16} {seconds:8.1f} s {rate:>10,.0f} rows/s")
    print(f"  ratio            {measured.ratio:8.0%}")
    if measured.cpu_ratio is not None:
        # On a shared machine the wall clock includes waiting for a core; CPU time does not.
        cpu = f"CPU {measured.generator_cpu_seconds:.1f} s against {measured.raw_cpu_seconds:.1f} s"
        print(f"  ratio in CPU time {measured.cpu_ratio:7.0%} ({cpu})")
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in measured.generator_steps.items())
    print(f"  generator steps: {steps}")
    tables = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in measured.raw_tables.items())
    print(f"  raw {measured.raw_method} by table: {tables}")
    return 0


def cmd_bench_run(args: argparse.Namespace) -> int:
    from app.bench import report, run  # the run imports this module back for the migrations

    data_dir = Path(args.data_dir).expanduser()
    if args.smoke:
        settings = run.Settings.for_smoke(data_dir, args.postgres_url)
    else:
        settings = run.Settings(
            sizes=tuple(args.sizes),
            backends=tuple(args.backends),
            data_dir=data_dir,
            postgres_url=args.postgres_url,
            requests=args.requests,
            connections=args.connections,
            load_seconds=args.load_seconds,
            import_size=args.import_attributions,
        )
    results = run.run(settings, say=lambda line: print(f"claimtrack: {line}", file=sys.stderr, flush=True))
    json_path = (
        Path(args.json) if args.json else data_dir / f"bench-{results['started'][:19].replace(':', '')}.json"
    )
    json_path.parent.mkdir(parents=True, exist_ok=True)
    run.write_json(results, json_path)
    document = report.markdown(results)
    if args.markdown:
        Path(args.markdown).write_text(document)
    else:
        sys.stdout.write(document)
    print(f"claimtrack: every number of the run is in {json_path}", file=sys.stderr)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    actors = known_actors(read_actors(Path(args.actors))) if args.actors else []
    failed = 0
    for name in args.files:
        try:
            text = _article_text(Path(name))
            attributions = extract(text, actors)
        except OSError as error:
            print(f"claimtrack: {name}: cannot be read ({error.strerror or error})", file=sys.stderr)
            failed += 1
            continue
        except (UnreadableArticle, TextTooLarge) as error:
            print(f"claimtrack: {name}: {error}", file=sys.stderr)
            failed += 1
            continue
        line = {"file": name, "attributions": [_attribution_json(found) for found in attributions]}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0


class UnreadableArticle(Exception):
    """A file that is not an article's text: empty, binary, or not UTF-8."""


def _article_text(path: Path) -> str:
    """The text of an article file as read (UTF-8, line ends kept): what the offsets count in."""
    if path.is_dir():
        raise UnreadableArticle("is a directory, not a text file")
    size = path.stat().st_size
    if size > 4 * MAX_TEXT_CHARS:  # more than the longest text could take in UTF-8: not read at all
        raise UnreadableArticle(
            f"is {size:,} bytes long; the extractor reads texts of at most {MAX_TEXT_CHARS:,} characters"
        )
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableArticle("is empty; there is nothing to extract")
    if b"\x00" in data:
        raise UnreadableArticle("is a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableArticle(f"is not UTF-8 text (byte {error.start} cannot be decoded)") from None


def _span_json(span: Span | None) -> dict[str, int] | None:
    return None if span is None else {"start": span.start, "end": span.end}


def _attribution_json(found: Extracted) -> dict[str, object]:
    return {
        "source": _span_json(found.source),
        "cue": _span_json(found.cue),
        "content": _span_json(found.content),
        "stance": found.stance.value,
        "actor": found.actor,
        "medium": found.medium,
        "via": list(found.via),
    }


def _sizes(value: str) -> list[int]:
    return [
        _statement_count(part.strip().lower().replace("k", "000").replace("m", "000000"))
        for part in value.split(",")
    ]


def _backends(value: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = sorted(set(names) - {"sqlite", "postgresql"})
    if unknown or not names:
        raise argparse.ArgumentTypeError("the backends are sqlite and postgresql, separated by a comma")
    return names


def _statement_count(value: str) -> int:
    try:
        count = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of statements") from None
    if count < 100:
        raise argparse.ArgumentTypeError("a corpus needs at least 100 statements")
    return count


def _counts(created: dict[str, int]) -> str:
    if not any(created.values()):
        return "nothing new (already loaded)"
    return ", ".join(f"{count} {kind}" for kind, count in created.items())


def _worker_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"{value!r}: give a number of worker processes from 1 to 64")
    return count


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimtrack",
        description="Claim-provenance tracker. The database is DATABASE_URL (default: ./claimtrack.db).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="migrate, seed a new database, and serve the app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        help="server processes sharing the port (default 1); the app keeps no state between requests",
    )
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.set_defaults(handler=cmd_serve)

    database = commands.add_parser("db", help="database schema")
    database_commands = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = database_commands.add_parser("upgrade", help="bring the database to the latest migration")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    seed_command = commands.add_parser("seed", help="load seed data (idempotent)")
    seed_command.add_argument("path", nargs="?", help="a seed directory (default: the project's seeds/)")
    seed_command.set_defaults(handler=cmd_seed)

    export = commands.add_parser(
        "export",
        help="write the whole database as a backup (lines of JSON) to standard output or a file; without "
        "--with-secrets, leaves out accounts, token hashes and the audit log",
    )
    export.add_argument(
        "--with-secrets",
        action="store_true",
        help="include the accounts (with their password hashes), the API tokens' hashes and the audit log",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (with a progress bar on a terminal)"
    )
    export.set_defaults(handler=cmd_export)
    restore = commands.add_parser(
        "import",
        help="restore a backup written by `claimtrack export` into an empty database (checked first: "
        "a file with anything wrong is refused and nothing is written)",
    )
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=cmd_import)

    add_source = commands.add_parser(
        "add-source",
        help="add a source from a UTF-8 text file; the extractor proposes its statements for review",
    )
    add_source.add_argument("file", help="the document's full text, UTF-8")
    add_source.add_argument("--title", required=True)
    add_source.add_argument("--outlet")
    add_source.add_argument("--url")
    add_source.add_argument("--date", type=_day, help="the publication date, YYYY-MM-DD")
    add_source.add_argument("--language", default="en", help="a language tag (default en)")
    add_source.set_defaults(handler=cmd_add_source)
    annotations = commands.add_parser(
        "import-annotations",
        help="import W3C Web Annotations (claimtrack's, Hypothesis's) as statements of sources on record",
        description="Import W3C Web Annotations as statements: one annotation, a list, an "
        "AnnotationCollection or AnnotationPage, or a Hypothesis export. Each targets a source on record "
        "(by its URL, or urn:sha256: of its text); its quote is re-anchored by its TextQuoteSelector "
        "when its TextPositionSelector no longer fits. Its tags say the rest: actor:NAME, stance:STANCE, "
        "claim:NUMBER-OR-WORDS, and optionally medium:MEDIUM and via:[N:]ACTOR[:MEDIUM] (the "
        "reporting chain); its comment becomes the note. Each annotation is imported whole or not at all; "
        "those that cannot be are listed with the reason (exit status 1).",
    )
    annotations.add_argument("file", help="a JSON file of annotations")
    annotations.add_argument(
        "--check", action="store_true", help="check and report everything, and write nothing"
    )
    annotations.set_defaults(handler=cmd_import_annotations)

    roles = [role.value for role in Role]
    users = commands.add_parser("users", help="accounts and their roles")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    create = user_commands.add_parser(
        "create", help="create an account (password from a prompt, or from stdin when piped)"
    )
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=roles)
    create.set_defaults(handler=cmd_users_create)
    user_commands.add_parser("list", help="list the accounts").set_defaults(handler=cmd_users_list)
    set_role = user_commands.add_parser("set-role", help="change an account's role")
    set_role.add_argument("name")
    set_role.add_argument("role", choices=roles)
    set_role.set_defaults(handler=cmd_users_set_role)
    set_password = user_commands.add_parser(
        "set-password",
        help="set an account's password and end its sessions (password from a prompt, or stdin when piped)",
    )
    set_password.add_argument("name")
    set_password.set_defaults(handler=cmd_users_set_password)
    disable = user_commands.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("name")
    disable.set_defaults(handler=cmd_users_disable)

    tokens = commands.add_parser("tokens", help="personal API tokens")
    token_commands = tokens.add_subparsers(dest="tokens_command", required=True, metavar="ACTION")
    create_token = token_commands.add_parser("create", help="issue an API token for an account; printed once")
    create_token.add_argument("name")
    create_token.add_argument("--label", default="created from the command line")
    create_token.set_defaults(handler=cmd_tokens_create)

    extract_command = commands.add_parser(
        "extract",
        help="propose the attributed statements of article texts: one JSON line per file (no database)",
    )
    extract_command.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 article texts")
    extract_command.add_argument(
        "--actors",
        metavar="ANNOTATIONS_YAML",
        help="known actors to resolve speakers to: the `actors` of an annotations file "
        "(such as seeds/annotations.yaml); without it, no gazetteer",
    )
    extract_command.set_defaults(handler=cmd_extract)

    bench = commands.add_parser("bench", help="benchmark tooling: a synthetic corpus at newsroom scale")
    bench_commands = bench.add_subparsers(dest="bench_command", required=True, metavar="ACTION")
    bench_generate = bench_commands.add_parser(
        "generate",
        help="fill a new database with a synthetic corpus of N statements (refuses one that holds records)",
    )
    bench_import = bench_commands.add_parser(
        "import",
        help="time the generator's load against raw executemany / COPY of the same rows, in two "
        "scratch databases beside DATABASE_URL (dropped afterwards)",
    )
    for action in (bench_generate, bench_import):
        action.add_argument("--attributions", type=_statement_count, required=True, metavar="N")
        action.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    bench_generate.set_defaults(handler=cmd_bench_generate)
    bench_import.set_defaults(handler=cmd_bench_import)
    bench_run = bench_commands.add_parser(
        "run",
        help="measure every figure of the scale benchmark on SQLite and PostgreSQL, generating the corpora "
        "it lacks; prints a Markdown report and writes every number as JSON",
    )
    bench_run.add_argument("--sizes", type=_sizes, default=[10_000, 1_000_000], help="default 10k,1m")
    bench_run.add_argument("--backends", type=_backends, default=["sqlite", "postgresql"])
    bench_run.add_argument(
        "--data-dir",
        default=os.environ.get("CLAIMTRACK_BENCH_DIR", "~/.cache/claimtrack-bench"),
        help="where the SQLite corpora and the JSON results go (default ~/.cache/claimtrack-bench)",
    )
    bench_run.add_argument(
        "--postgres-url",
        default=os.environ.get("CLAIMTRACK_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="a PostgreSQL server on which the corpora are databases claimtrack_bench_<size>",
    )
    bench_run.add_argument("--requests", type=int, default=200, help="sequential requests per URL")
    bench_run.add_argument("--connections", type=int, default=16, help="connections of the throughput load")
    bench_run.add_argument("--load-seconds", type=float, default=5.0, help="seconds of each throughput load")
    bench_run.add_argument("--import-attributions", type=_statement_count, default=100_000, metavar="N")
    bench_run.add_argument("--smoke", action="store_true", help="a quick bounded run at 10k (CI)")
    bench_run.add_argument("--json", help="where to write the results (default: in the data directory)")
    bench_run.add_argument("--markdown", help="where to write the report (default: standard output)")
    bench_run.set_defaults(handler=cmd_bench_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    keep_derived_tables_current()
    try:
        return int(args.handler(args))
    except SeedError as error:
        print(f"claimtrack: {error.message}", file=sys.stderr)
        return 1
    except AppError as error:
        print(f"claimtrack: {error.message}", file=sys.stderr)
        return 1
    except OperationalError as error:
        database = make_url(get_settings().database_url).render_as_string(hide_password=True)
        print(f"claimtrack: cannot use the database {database}: {error.orig}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
