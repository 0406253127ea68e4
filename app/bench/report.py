"""The Markdown report of a `claimtrack bench run`: the targets, whether each holds, and every figure."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from app.bench.run import size_label

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Target:
    """One target of the issue, checked on each corpus: a measured value against its bound."""

    text: str
    measure: Callable[[dict[str, Any]], float]
    bound: float
    at_most: bool = True
    unit: str = "×"

    def holds(self, value: float) -> bool:
        return value <= self.bound if self.at_most else value >= self.bound

    def shown(self, value: float) -> str:
        mark = "✓" if self.holds(value) else "✗"
        if self.unit == "×":
            return f"{value:.2f}× {mark}"
        if self.unit == "%":
            return f"{value * 100:.0f}% {mark}"
        return f"{value:,.0f} {self.unit} {mark}"


def _worst(values: Iterable[float]) -> float:
    return max(values)


CORPUS_TARGETS = [
    Target(
        "claims by actor: API p50 ≤ 2× the same queries run through the driver (popular, rare)",
        lambda f: _worst(
            f["by_actor"][k]["ratio_p50"] for k in ("claims, popular actor", "claims, rare actor")
        ),
        2.0,
    ),
    Target(
        "deep page (the popular actor's last) ≤ 1.5× the first page",
        lambda f: f["deep_page"]["ratio_p50"],
        1.5,
    ),
    Target(
        "search with actor, stance and status filters ≤ 3× bare search (p50; worse of common and rare word)",
        lambda f: _worst(
            f["search"][k]["ratio_p50"] for k in ("common word, filtered", "rare word, filtered")
        ),
        3.0,
    ),
    Target(
        "search p99 < 100 ms (worst of the four searches)",
        lambda f: _worst(s["p99_ms"] for s in f["search"].values()),
        100.0,
        unit="ms",
    ),
    Target(
        "every HTML page ≤ 1.5× its JSON (p50; worst of claim, actor, source)",
        lambda f: _worst(p["ratio_p50"] for p in f["pages"].values()),
        1.5,
    ),
    Target(
        # The pages (the JSON answers' sizes are in the detail below: a source's carries its whole
        # document, which is that source's size, not the database's).
        "every page under 200 kB (the largest HTML page)",
        lambda f: _worst(p["html"]["bytes"] for p in f["pages"].values()) / 1000,
        200.0,
        unit="kB",
    ),
    Target(
        "every page under 20 queries (most of any HTML or JSON answer)",
        lambda f: _worst(
            max(p["html"]["queries"] or 0, p["json"]["queries"] or 0) for p in f["pages"].values()
        ),
        19.0,
        unit="queries",
    ),
    Target(
        "claims-by-actor throughput ≥ 35% of the constant /healthz",
        lambda f: f["throughput"]["ratio_to_healthz"],
        0.35,
        at_most=False,
        unit="%",
    ),
]


def _corpus(figures: dict[str, Any]) -> str:
    return f"{BACKEND_NAMES[figures['backend']]} {size_label(figures['size'])}"


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: machine, targets (✓ holds, ✗ missed), then each figure in detail."""
    corpora = report["corpora"]
    columns = [_corpus(c) for c in corpora]
    machine = report["machine"]
    lines = [
        f"Run started {report['started']}, finished {report.get('finished', '?')}.",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; Python "
        f"{machine['python']}, SQLite {machine['sqlite']}"
        + (f", PostgreSQL {machine['postgresql']}" if machine.get("postgresql") else "")
        + f"; load average at the start {', '.join(f'{x:.1f}' for x in machine['load_average'])}. "
        "The load generator runs on the same machine as the server (loopback).",
        "",
        "### Targets",
        "",
    ]
    rows = [[target.text, *(target.shown(target.measure(c)) for c in corpora)] for target in CORPUS_TARGETS]
    overhead = report["overhead"]
    rows.append(
        ["per-request overhead: the app's /livez ≥ 60% of a bare Starlette app's"]
        + [f"{overhead['ratio'] * 100:.0f}% {'✓' if overhead['ratio'] >= 0.6 else '✗'}"] * len(corpora)
    )
    for backend, bound, method in (("sqlite", 0.5, "executemany"), ("postgresql", 0.3, "COPY")):
        if backend in report["imports"]:
            ratio = report["imports"][backend]["ratio"]
            rows.append(
                [f"{BACKEND_NAMES[backend]} import ≥ {bound * 100:.0f}% of raw {method}"]
                + [f"{ratio * 100:.0f}% {'✓' if ratio >= bound else '✗'}"] * len(corpora)
            )
    for backend in sorted({c["backend"] for c in corpora}):
        sizes = sorted((c for c in corpora if c["backend"] == backend), key=lambda c: c["size"])
        if len(sizes) > 1:
            first, last = sizes[0]["memory_mb"]["after the run"], sizes[-1]["memory_mb"]["after the run"]
            growth = last / first - 1
            rows.append(
                [
                    f"{BACKEND_NAMES[backend]} server memory flat (within 20%) from "
                    f"{size_label(sizes[0]['size'])} to {size_label(sizes[-1]['size'])}"
                ]
                + [f"{growth * 100:+.0f}% {'✓' if abs(growth) <= 0.2 else '✗'}"] * len(corpora)
            )
    lines += _table(["target", *columns], rows)
    lines += ["", "Import and overhead rows hold for the whole run, not per corpus.", ""]

    lines += ["### 1. Claims and statements by actor (ms)", ""]
    detail = []
    for c in corpora:
        for label, row in c["by_actor"].items():
            detail.append(
                [
                    _corpus(c),
                    label,
                    _ms(row["p50_ms"]),
                    _ms(row["p99_ms"]),
                    _ms(row["raw_p50_ms"]),
                    _ms(row["raw_p99_ms"]),
                    f"{row['ratio_p50']:.2f}",
                    str(row["queries"]),
                ]
            )
    lines += _table(
        ["corpus", "list", "API p50", "API p99", "driver p50", "driver p99", "ratio", "queries"], detail
    )

    lines += ["", "### 2. Deep page (ms)", ""]
    lines += _table(
        ["corpus", "first page p50", "last page p50", "ratio"],
        [
            [
                _corpus(c),
                _ms(c["deep_page"]["first"]["p50_ms"]),
                _ms(c["deep_page"]["last"]["p50_ms"]),
                f"{c['deep_page']['ratio_p50']:.2f}",
            ]
            for c in corpora
        ],
    )

    lines += ["", "### 3. Search (ms)", ""]
    detail = []
    for c in corpora:
        for label, row in c["search"].items():
            detail.append(
                [
                    _corpus(c),
                    label,
                    _ms(row["p50_ms"]),
                    _ms(row["p99_ms"]),
                    f"{row['ratio_p50']:.2f}" if "ratio_p50" in row else "",
                    str(row["queries"]),
                ]
            )
    lines += _table(["corpus", "search", "p50", "p99", "filtered ÷ bare", "queries"], detail)
    lines += [
        "",
        "Words and actor: "
        + "; ".join(
            f"{_corpus(c)}: common “{c['subjects']['common_word']}”, rare “{c['subjects']['rare_word']}”, "
            f"actor {c['subjects']['popular_actor']['name']}"
            for c in corpora
        )
        + ".",
    ]

    lines += ["", "### 4. Pages: HTML against JSON", ""]
    detail = []
    for c in corpora:
        for label, row in c["pages"].items():
            html, answer = row["html"], row["json"]
            detail.append(
                [
                    _corpus(c),
                    label,
                    _ms(html["p50_ms"]),
                    _ms(answer["p50_ms"]),
                    f"{row['ratio_p50']:.2f}",
                    f"{html['bytes'] / 1000:.0f}",
                    f"{answer['bytes'] / 1000:.0f}",
                    str(html["queries"]),
                    str(answer["queries"]),
                ]
            )
    lines += _table(
        [
            "corpus",
            "page",
            "HTML p50 ms",
            "JSON p50 ms",
            "ratio",
            "HTML kB",
            "JSON kB",
            "HTML queries",
            "JSON queries",
        ],
        detail,
    )

    lines += ["", "### 5. Throughput under concurrent load (requests/s)", ""]
    detail = []
    for c in corpora:
        rps = c["throughput"]["rps"]
        endpoint = c["throughput"]["endpoint"]
        detail.append(
            [
                _corpus(c),
                f"{rps[endpoint]:,.0f}",
                f"{rps['/healthz']:,.0f}",
                f"{rps['/livez']:,.0f}",
                f"{c['throughput']['ratio_to_healthz'] * 100:.0f}%",
                f"{c['throughput']['ratio_to_livez'] * 100:.1f}%",
            ]
        )
    lines += _table(["corpus", "claims by actor", "/healthz", "/livez", "÷ /healthz", "÷ /livez"], detail)
    two = [
        [
            _corpus(c),
            f"{c['throughput']['rps'][c['throughput']['endpoint']]:,.0f}",
            f"{c['throughput']['two_workers_rps'][c['throughput']['endpoint']]:,.0f}",
            f"{c['throughput']['rps']['/livez']:,.0f}",
            f"{c['throughput']['two_workers_rps']['/livez']:,.0f}",
        ]
        for c in corpora
        if "two_workers_rps" in c["throughput"]
    ]
    if two:
        lines += [
            "",
            "With two uvicorn workers on one PostgreSQL database (the load generator shares the cores):",
            "",
        ]
        lines += _table(
            ["corpus", "claims by actor, 1 worker", "2 workers", "/livez, 1 worker", "2 workers"], two
        )
    lines += [
        "",
        f"Per-request overhead: the app's /livez {overhead['app_rps']:,.0f} requests/s, a bare Starlette "
        f"app's {overhead['bare_rps']:,.0f} ({overhead['ratio'] * 100:.0f}%; median of "
        f"{len(overhead['rounds'])} alternating rounds).",
    ]

    lines += ["", "### 6. Import throughput (rows/s)", ""]
    lines += _table(
        ["backend", "statements", "rows", "generator", "raw", "raw method", "ratio (wall)", "ratio (CPU)"],
        [
            [
                BACKEND_NAMES[backend],
                f"{row['attributions']:,}",
                f"{row['rows']:,}",
                f"{row['generator_rows_per_s']:,.0f}",
                f"{row['raw_rows_per_s']:,.0f}",
                row["raw_method"],
                f"{row['ratio'] * 100:.0f}%",
                f"{row['cpu_ratio'] * 100:.0f}%" if row.get("cpu_ratio") else "",
            ]
            for backend, row in report["imports"].items()
        ],
    )

    lines += ["", "### 7. Server memory (resident, MB)", ""]
    lines += _table(
        ["corpus", "after warm-up", "after the run"],
        [
            [
                _corpus(c),
                f"{c['memory_mb']['after warm-up']:.0f}",
                f"{c['memory_mb']['after the run']:.0f}",
            ]
            for c in corpora
        ],
    )
    return "\n".join(lines) + "\n"
