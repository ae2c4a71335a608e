from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "annotator.interchange"
    label = "interchange"
    verbose_name = "Interchange with other annotation tools"

    def ready(self) -> None:
        # registers the import_annotations job kind, so services enqueue it by kind
        from . import tasks  # noqa: F401
