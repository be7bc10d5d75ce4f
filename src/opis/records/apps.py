from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "opis.records"
    label = "records"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from opis.records import sign_ins  # it imports models: only once they are loaded

        sign_ins.connect()
