from django.apps import AppConfig


class WebConfig(AppConfig):
    """The reading room and API; installed so its templates and static files are found."""

    name = "opis.web"
    label = "web"
    verbose_name = "opis reading room"
