"""The real-browser fixtures of tests/e2e, for this app's browser test beside its code."""

from tests.e2e.conftest import browser_factory, chromium, chromium_path, playwright_driver  # noqa: F401
