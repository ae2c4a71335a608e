"""The shared browser fixtures (tests/browser/conftest.py), made visible to the manage
tests: imported, not copied, so there is one Chromium set-up."""

from tests.browser.conftest import browser, context, page  # noqa: F401
