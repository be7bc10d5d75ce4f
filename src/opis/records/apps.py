from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "opis.records"
    label = "records"
    verbose_name = "Catalogue"
