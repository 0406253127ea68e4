"""What the browser tests share: signing in through the form, the axe-core scan, layout checks."""

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page, expect

from app.config import PROJECT_ROOT
from tests.conftest import PASSWORD

AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE_SCRIPT.read_text(encoding="utf-8") if AXE_SCRIPT.is_file() else ""
TIMEOUT_MS = 15_000
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int


def sign_in(page: Page, name: str, next_path: str = "/") -> None:
    """Sign in through the real sign-in form, as a person would."""
    page.goto(f"/login?next={next_path}")
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/login" not in page.url, f"signing in as {name} failed: {page.locator('main').inner_text()}"
    expect(page.locator(".site-account a[href='/account']")).to_have_text(name)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical violations axe-core finds in the page as it is now."""
    # Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts, and
    # what Playwright evaluates is not subject to it.
    page.evaluate(AXE_SOURCE)
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [rule for rule in result["violations"] if rule["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """axe's findings as a readable list: the rule, what it asks, and each offending element."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} — {rule['helpUrl']}")
        for node in rule["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"        {line}" for line in summary.splitlines()[1:3])
        if len(rule["nodes"]) > 8:
            lines.append(f"    … and {len(rule['nodes']) - 8} more")
    return "\n".join(lines)


# Elements wider than the window, outside any box that scrolls on its own: what makes the body scroll.
_WIDE_ELEMENTS = """
() => {
  const limit = window.innerWidth;
  const scrollsOnItsOwn = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  };
  return Array.from(document.body.querySelectorAll("*"))
    .filter((element) => element.getBoundingClientRect().right > limit + 0.5 && !scrollsOnItsOwn(element))
    .slice(0, 10)
    .map((element) => {
      const name = typeof element.className === "string" ? element.className.trim() : "";
      const classes = name ? "." + name.replace(/\\s+/g, ".") : "";
      const right = Math.round(element.getBoundingClientRect().right);
      return `${element.tagName.toLowerCase()}${classes} right=${right}`;
    });
}
"""


def horizontal_overflow(page: Page) -> tuple[int, int, list[str]]:
    """The document's scroll width, the window's width, and what sticks out past the window."""
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    wide: list[str] = page.evaluate(_WIDE_ELEMENTS) if scroll_width > inner_width else []
    return int(scroll_width), int(inner_width), wide


def focus_outline(page: Page) -> dict[str, Any]:
    """The focused element and the outline it is drawn with."""
    focused: dict[str, Any] = page.evaluate(
        """() => {
          const element = document.activeElement;
          const style = getComputedStyle(element);
          return {
            tag: element.tagName.toLowerCase(),
            id: element.id,
            // The calendar button inside a date input: the browser's own widget draws its focus ring,
            // and the input itself is then not :focus, so its outline says nothing.
            inDatePicker: element.matches("input[type=date]") && !element.matches(":focus"),
            href: element.getAttribute("href"),
            text: (element.textContent || "").trim().slice(0, 120),
            outlineStyle: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth) || 0,
            outlineColor: style.outlineColor,
            boxShadow: style.boxShadow,
          };
        }"""
    )
    return focused


# Cumulative layout shift of everything the page did so far (web-vitals counts shifts without recent input).
_LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  const sources = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      total += entry.value;
      for (const source of entry.sources || []) {
        if (source.node && source.node.nodeType === 1) sources.push(source.node.outerHTML.slice(0, 120));
      }
    }
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve({ total, sources }), 200);
})"""


def layout_shift(page: Page) -> tuple[float, list[str]]:
    """How far the page jumped while loading (CLS; under 0.1 is "good"), and what moved."""
    result: dict[str, Any] = page.evaluate(_LAYOUT_SHIFT)
    return float(result["total"]), [str(source) for source in result["sources"]]


# Every control a keyboard user must be able to reach, numbered in document order (data-keyboard-stop).
_NUMBER_CONTROLS = """() => {
  const selector = [
    "a[href]", "button:not([disabled])", "input:not([disabled]):not([type=hidden])",
    "select:not([disabled])", "textarea:not([disabled])", "summary", "[tabindex]:not([tabindex='-1'])",
  ].join(",");
  const controls = Array.from(document.querySelectorAll(selector)).filter(
    (element) => element.checkVisibility({ visibilityProperty: true }) && !element.closest("[inert]")
  );
  return controls.map((element, index) => {
    element.dataset.keyboardStop = String(index);
    const label = element.getAttribute("aria-label") || element.textContent || element.name || element.id;
    const group = element.matches("input[type=radio]") ? `radio:${element.name}` : null;
    return { index, group, label: `${element.tagName.toLowerCase()} ${label.trim().slice(0, 60)}` };
  });
}"""


@dataclass(frozen=True)
class Control:
    index: int
    group: str | None
    """Radio buttons of one name are one Tab stop (the arrow keys move between them)."""
    label: str


def number_controls(page: Page) -> list[Control]:
    """The page's visible, enabled controls in document order, each marked with its number."""
    return [Control(**control) for control in page.evaluate(_NUMBER_CONTROLS)]


def focused_stop(page: Page) -> dict[str, Any]:
    """The focused control's number (None: the page itself has the focus) and how its focus is drawn:
    its own outline, or the outline of the one element it wraps (a highlighted passage's mark)."""
    focused: dict[str, Any] = page.evaluate(
        """() => {
          const element = document.activeElement;
          const drawn = (node) => {
            const style = getComputedStyle(node);
            return style.outlineStyle !== "none" && (parseFloat(style.outlineWidth) || 0) >= 2;
          };
          const only = element.children.length === 1 ? element.children[0] : null;
          return {
            stop: element.dataset.keyboardStop === undefined ? null : Number(element.dataset.keyboardStop),
            outline: drawn(element) || (only !== null && drawn(only)),
            inDatePicker: element.matches("input[type=date]") && !element.matches(":focus"),
            html: element.outerHTML.slice(0, 120),
          };
        }"""
    )
    return focused
