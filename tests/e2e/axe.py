"""axe-core on every page the real-browser tests visit (axe-playwright-python bundles it).

Each browser gets axe injected into every document (an init script) and runs it
when the page has loaded; the serious and critical violations are reported
back to Python through an exposed binding, so no test has to remember to ask.
``check(page)`` runs it on the page as it is now (``shot()`` does, so every
screen saved is checked in the state it was saved), and the browser fixture
fails the test on any report at its end.
"""

import json
from functools import cache
from pathlib import Path

IMPACTS = ("serious", "critical")
_REPORT = "__netdekomonAxeReport"


@cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


_RUN = """(() => axe.run(document, {resultTypes: ["violations"]}).then(r => ({
  url: location.pathname + location.search,
  violations: r.violations.filter(v => %s.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))
})))()""" % json.dumps(list(IMPACTS))

# One run at a time per document (axe refuses a second while one is running).
_QUEUED = """(() => { const run = (window.__netdekomonAxe || Promise.resolve()).catch(() => {}).then(() => %s);
  window.__netdekomonAxe = run; return run; })()""" % _RUN

_ON_LOAD = """
if (window.top === window) {
  window.addEventListener("load", () => setTimeout(() => %s.then(window.%s).catch(() => {}), 0));
}
""" % (_QUEUED, _REPORT)


def watch(context, reports: list) -> None:
    """Check every page this browser loads; reports collect in ``reports``."""
    context.expose_binding(_REPORT, lambda source, report: reports.append(report))
    context.add_init_script(_axe_source() + "\n" + _ON_LOAD)


def check(page) -> None:
    """Fail now on a serious or critical violation of the page as it is."""
    if page.evaluate("typeof axe") == "undefined":
        page.evaluate(_axe_source())
    report = page.evaluate(_QUEUED)
    assert not report["violations"], describe([report])


def describe(reports) -> str:
    lines = ["axe-core found serious/critical accessibility violations:"]
    for report in reports:
        for v in report["violations"]:
            lines.append(f"  {report['url']}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
    return "\n".join(lines)
