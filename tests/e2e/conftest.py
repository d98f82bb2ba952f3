"""Real-browser tests: Playwright for Python driving Debian's Chromium.

Playwright's own browser download does not work here, so the browser is
Debian's ``chromium`` (``executable_path``), installed with apt-get when it
is missing. Under CI a browser that cannot be had fails the run; elsewhere
the tests are skipped with a notice. The app is served by pytest-django's
``live_server`` (a real HTTP server on loopback, transactional database).

Every screen a test saves with ``shot()`` is checked with axe-core, and
saved as a PNG under a fixed name: to ``docs/screenshots/`` (shown in the
README) when ``UPDATE_SCREENSHOTS=1`` (``make screenshots``), to a
temporary folder when ``KEEP_SCREENSHOTS=1`` (to look at the pages), and
not at all in a plain test run (0.3 s a screen, about a minute of a run).
"""

import fcntl
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from . import axe

SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "netdekomon-screenshots"
    if os.environ.get("KEEP_SCREENSHOTS") == "1"
    else None
)
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
APT_PACKAGES = ["chromium", "fonts-ipafont-gothic"]
APT_LOCK = os.path.join(tempfile.gettempdir(), "netdekomon-e2e-apt.lock")  # the font renders the Japanese screens
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}


def _find_chromium() -> str | None:
    for path in CHROMIUM_PATHS:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium")


def _apt_install() -> str:
    """Install Debian's Chromium (and a Japanese font); returns what apt-get said when it failed."""
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return "apt-get is not available to this user"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *APT_PACKAGES]
    # One test process at a time: the other would find apt's lock taken and skip its browser tests.
    with open(APT_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _find_chromium() is not None and _has_japanese_font():
            return ""  # installed by the process that held the lock
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:  # a fresh machine may need the package lists first
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
            result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    return "" if result.returncode == 0 else (result.stderr or result.stdout)[-500:]


def _has_japanese_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    result = subprocess.run([fc_list, ":lang=ja"], capture_output=True, text=True)
    return bool(result.stdout.strip())


@pytest.fixture(scope="session")
def chromium_path():
    path = _find_chromium()
    if path is not None and not _has_japanese_font():
        _apt_install()  # screenshots only; the tests do not depend on it
    if path is None:
        problem = _apt_install()
        path = _find_chromium()
        if path is None:
            message = f"Chromium is not installed and `apt-get install -y chromium` failed: {problem}"
            if os.environ.get("CI") == "true":
                pytest.fail(message, pytrace=False)
            pytest.skip(f"SKIPPED browser tests: {message}")
    return path


@pytest.fixture(scope="module")
def playwright_driver(chromium_path):
    """Playwright for one test module, started and stopped with it.

    Playwright's sync API runs an event loop in this thread while it is
    started; the ORM calls a test makes between browser steps are ordinary
    synchronous calls, so Django's async-safety check is lifted while the
    module's tests run (pytest tears a module's fixtures down before the
    next module's first test, so no other test runs with the check lifted).
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as driver:
            yield driver


@pytest.fixture(scope="module")
def chromium(playwright_driver, chromium_path):
    """One Chromium for the module's tests; each of their browsers is a fresh context in it."""
    browser = playwright_driver.chromium.launch(executable_path=chromium_path, headless=True, args=LAUNCH_ARGS)
    yield browser
    browser.close()


def _open(chromium, viewport, **options):
    """A fresh browser: its own cookies, storage and cache (a new context of the module's Chromium)."""
    context = chromium.new_context(viewport=viewport, locale="ja-JP", timezone_id="Asia/Tokyo", **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def browser_factory(chromium, live_server):
    """Opens fresh browsers (own profile, own cookies) on the live server.

    axe-core checks every page they load (tests/e2e/axe.py); the test fails
    on a serious or critical violation.
    """
    opened, axe_reports = [], []

    def open_browser(viewport=DESKTOP, **options):
        context = _open(chromium, viewport, **options)
        axe.watch(context, axe_reports)
        opened.append((context, options.get("java_script_enabled", True)))
        page = context.pages[0] if context.pages else context.new_page()
        page.base = live_server.url
        return page

    yield open_browser
    for context, scripts in opened:
        for page in context.pages if scripts else ():  # without JavaScript no check runs on load
            axe.settle(page)  # the last page's check reports back before the verdict
    for context, _ in opened:
        context.close()
    failing = [r for r in axe_reports if r["violations"]]
    assert not failing, axe.describe(failing)


@pytest.fixture
def page(browser_factory):
    return browser_factory()


def shot(page, name: str, *, full_page: bool = True) -> Path | None:
    """Check the current screen with axe-core and save it as <SCREENSHOTS>/<name>.png when screens are kept."""
    axe.check(page)
    if SCREENSHOTS is None:
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    return path


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in a PNG, read from the pixels (zxing-cpp)."""
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    found = [b for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(found) == 1, f"expected one QR code in the screenshot, found {len(found)}"
    return found[0].text
