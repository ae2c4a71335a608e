from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "annotator.interchange"
    label = "interchange"
    verbose_name = "Interchange with other annotation tools"
