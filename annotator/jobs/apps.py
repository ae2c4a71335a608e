from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "annotator.jobs"
    label = "jobs"

    def ready(self) -> None:
        from . import heartbeat  # noqa: F401  (connects the worker signals)
