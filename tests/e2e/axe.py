"""axe-core on every page the real-browser tests visit (axe-playwright-python bundles it).

Each browser runs it on every document when the page has loaded (an init
script asks Python, which puts axe-core in); the serious and critical violations are reported
back to Python through an exposed binding, so no test has to remember to ask.
``check(page)`` runs it on the page as it is now (``shot()`` does, so every
screen saved is checked in the state it was saved), and the browser fixture
fails the test on any report at its end.

A page already checked in this test run — the same path, window size
and structure: its elements, their classes, roles, types, styles and ARIA
states, and which of them hold text, but not the text or the values that
are data (names, dates, one-time tokens) — is not checked again on load:
tests pass the login page and the portal dozens of times with other people
and other data, and axe-core is the costliest step of a browser test. The
test processes of one run share what was checked (``share_checks``: a
folder with a file per page), and axe-core itself is put into a page only
when the page is to be checked (half a megabyte of script otherwise parsed
on every load). A screen saved with ``shot()`` is checked as it is, unless
its structure was checked already.
"""

import hashlib
import json
import os
import shutil
import tempfile
import time
from functools import cache
from pathlib import Path

IMPACTS = ("serious", "critical")
_REPORT = "__netdekomonAxeReport"


@cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


# Only the rules that can find a serious or critical violation run (a third of axe-core's
# time went to rules that report at most "moderate": landmarks, heading order, region):
# a rule's impact is the highest of its own and its checks'. Should axe-core's internals
# change so that none is found, every rule runs.
_RULES = """(() => { const rank = {minor: 1, moderate: 2, serious: 3, critical: 4};
  const impact = id => rank[(((axe._audit.data || {}).checks || {})[id] || {}).impact] || 0;
  const strongest = rule => Math.max(rank[rule.impact] || 0,
    ...[...rule.any, ...rule.all, ...rule.none].map(check => impact(check.id || check)));
  const rules = ((axe._audit || {}).rules || []).filter(rule => rule.enabled && strongest(rule) >= 3);
  return rules.length ? {type: "rule", values: rules.map(rule => rule.id)} : undefined; })()"""

_RUN = """(() => axe.run(document, {resultTypes: ["violations"], runOnly: %s}).then(r => ({
  url: location.pathname + location.search,
  violations: r.violations.filter(v => %s.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))
})))()""" % (_RULES, json.dumps(list(IMPACTS)))

# One run at a time per document (axe refuses a second while one is running).
_QUEUED = """(() => { const run = (window.__netdekomonAxe || Promise.resolve()).catch(() => {}).then(() => %s);
  window.__netdekomonAxe = run; return run; })()""" % _RUN

_SEEN = "__netdekomonAxeSeen"
_DONE = "__netdekomonAxeDone"
_KEY = "__netdekomonAxeKey"
_ON_LOAD = """
if (window.top === window) {
  window.%s = false;  // true once the check on load has reported or was skipped
  const finished = () => { window.%s = true; };
  // Attributes whose values decide what axe-core finds; of the others (data: names, dates,
  // one-time tokens, ids and the references to them) only the name and whether it is empty.
  const STYLED = /^(class|role|type|lang|dir|scope|tabindex|style|hidden|disabled|aria-(?!labelledby$|describedby$|controls$|owns$|activedescendant$).*)$/;
  const key = () => {
    // The page's structure as axe sees it: its elements, their attributes, and which
    // hold text — not the text itself. The same structure at the same size is checked once.
    const parts = [];
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) { if (node.data.trim()) { parts.push("#"); } continue; }
      let part = node.tagName;
      for (const attribute of node.attributes) {
        part += " " + attribute.name + (STYLED.test(attribute.name) ? "=" + attribute.value : attribute.value ? "" : "=");
      }
      parts.push(part);
    }
    const markup = parts.join("|");
    let hash = 2166136261;  // FNV-1a
    for (let i = 0; i < markup.length; i++) { hash = Math.imul(hash ^ markup.charCodeAt(i), 16777619); }
    const touch = matchMedia("(pointer: coarse)").matches;  // the phone-only styles
    return [location.pathname, innerWidth, innerHeight, touch, hash >>> 0].join(" ");
  };
  window.%s = key;  // check() asks it too: a screen whose structure was checked on load is not checked again
  window.addEventListener("load", () => setTimeout(() => {
    const page = key();
    window.%s(page).then(seen => seen ? null : %s.then(report => window.%s({...report, key: page})))
      .catch(() => {}).finally(finished);
  }, 0));
}
""" % (_DONE, _DONE, _KEY, _SEEN, _QUEUED, _REPORT)

_SHARED = "NETDEKOMON_AXE_CHECKED"  # the run's folder of checked pages, for every test process
_own_folder: list[tuple[str, str | None]] = []  # this process's folder, and what the variable held before


def share_checks() -> None:
    """Called by the run's first process before it starts the others: they inherit the folder.
    A run inside a run (a test starting pytest) gets a folder of its own."""
    for stale in Path(tempfile.gettempdir()).glob("netdekomon-axe-*"):  # left by a run that was killed
        if time.time() - stale.stat().st_mtime > 24 * 3600:
            shutil.rmtree(stale, ignore_errors=True)
    folder = tempfile.mkdtemp(prefix="netdekomon-axe-")
    _own_folder.append((folder, os.environ.get(_SHARED)))
    os.environ[_SHARED] = folder


def end_sharing() -> None:
    """Remove this process's folder (no other) and put back what the variable held before."""
    if not _own_folder:
        return
    folder, before = _own_folder.pop()
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop(_SHARED, None)
    else:
        os.environ[_SHARED] = before


class _Checked:
    """The pages whose check finished in this run (a check cut short by the next
    navigation does not count: the page is checked again when it comes back)."""

    def __init__(self):
        self._here: set[str] = set()

    @staticmethod
    def _file(key: str) -> Path | None:
        folder = os.environ.get(_SHARED)
        return Path(folder) / hashlib.sha256(key.encode()).hexdigest() if folder else None

    def __contains__(self, key: str) -> bool:
        if key in self._here:
            return True
        file = self._file(key)
        return file is not None and file.exists()

    def add(self, key: str) -> None:
        self._here.add(key)
        file = self._file(key)
        try:
            if file is not None:
                file.touch()
        except OSError:  # the folder is gone: the other processes check the page again, nothing is lost
            pass


_checked = _Checked()


def _reported(reports: list, report: dict) -> None:
    key = report.pop("key")
    reports.append(report)  # first: the report is kept whatever happens to the record of the check
    _checked.add(key)


def _seen_or_loaded(frame, key: str) -> bool:
    """True when the page was checked already; else axe-core is put into it (from here:
    the site's Content-Security-Policy forbids the page to evaluate it) to be run."""
    if key in _checked:
        return True
    if frame.evaluate("typeof axe") == "undefined":
        frame.evaluate(_axe_source())
    return False


def watch(context, reports: list) -> None:
    """Check every page this browser loads (once per distinct page); reports collect in ``reports``."""
    context.expose_binding(_REPORT, lambda source, report: _reported(reports, report))
    context.expose_binding(_SEEN, lambda source, key: _seen_or_loaded(source["frame"], key))
    context.add_init_script(_ON_LOAD)


def settle(page, timeout_ms: int = 5_000) -> None:
    """Wait until the check on load of the page now shown has reported (or was skipped)."""
    if page.is_closed() or page.url == "about:blank":
        return
    try:  # bounded: a page that never finishes loading (a provider gone at the end of a test) has no check
        page.wait_for_function(f"() => window.{_DONE} === true", timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - a page closed, navigating or never loaded has nothing more to report
        pass


def check(page) -> None:
    """Fail now on a serious or critical violation of the page as it is (unless this
    structure at this size was checked already in this run)."""
    key = page.evaluate(f"typeof window.{_KEY} === 'function' ? window.{_KEY}() : null")
    if key is not None and key in _checked:
        return
    if page.evaluate("typeof axe") == "undefined":
        page.evaluate(_axe_source())
    report = page.evaluate(_QUEUED)
    assert not report["violations"], describe([report])
    if key is not None:
        _checked.add(key)


def describe(reports) -> str:
    lines = ["axe-core found serious/critical accessibility violations:"]
    for report in reports:
        for v in report["violations"]:
            lines.append(f"  {report['url']}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
    return "\n".join(lines)
