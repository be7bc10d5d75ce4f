"""The words dates are written in: month names (English, Russian, French, German), roman month
numerals, seasons, the thirds of early/mid/late, Chinese digits. Data for ``opis.understand.dates``.
"""

import calendar

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
RUSSIAN_MONTHS = (
    "январь января янв",
    "февраль февраля февр фев",
    "март марта мар",
    "апрель апреля апр",
    "май мая",
    "июнь июня июн",
    "июль июля июл",
    "август августа авг",
    "сентябрь сентября сент сен",
    "октябрь октября окт",
    "ноябрь ноября нояб ноя",
    "декабрь декабря дек",
)
FRENCH_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)
GERMAN_MONTHS = "januar februar märz april mai juni juli august september oktober november dezember"
MONTH_WORDS = dict(MONTHS) | {"0ctober": 10, "0ct": 10}  # OCR reads the O of October as 0
for _number, _words in enumerate(RUSSIAN_MONTHS, start=1):
    MONTH_WORDS.update(dict.fromkeys(_words.split(), _number))
for _names in (FRENCH_MONTHS, GERMAN_MONTHS):
    MONTH_WORDS.update({name: i for i, name in enumerate(_names.split(), start=1)})
ROMAN_MONTHS = {
    r: i
    for i, r in enumerate(
        ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"], 1
    )
}
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
THIRDS = {"early": 0, "beginning": 0, "mid": 1, "middle": 1, "late": 2, "end": 2}
CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
