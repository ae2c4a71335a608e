from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "annotator.core"
    label = "core"

    def ready(self) -> None:
        # Load the Celery app with Django so that @shared_task binds to it everywhere.
        import annotator.celery  # noqa: F401
