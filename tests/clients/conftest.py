"""The demo project with gold, as the export tests have it."""

from tests.exports_job.conftest import demo_gold  # noqa: F401
