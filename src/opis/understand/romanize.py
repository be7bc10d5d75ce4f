"""Script and romanization rules for personal names: folding, Pinyin ↔ Wade-Giles, Russian schemes.

A historian meets one person under many spellings: 周恩来, Zhou Enlai, Chou En-lai, Чжоу Эньлай;
Рощин, Roshchin, Roščin, Roshhin. The authority in ``names.py`` matches names through
``name_key``: the written form folded (case, accents, apostrophes, hyphens and spaces dropped), its
honorifics removed, and "Family, Given" turned to "Given Family" — so "Mao, Zedong", "Mao Tse-tung"
and "mao tse tung" each meet the spellings generated here, and nothing is matched by similarity.

The Wade-Giles table is written out below rather than taken from pypinyin's
``Style.WADEGILES``: pypinyin 0.55 turns *lai* into "lei" and *quan* into "ch'van", which would put
"Chou En-lei" into the authority. Every Pinyin syllable is listed once with its Wade-Giles
spelling (apostrophes mark aspiration); ``WADE_GILES_ALTERNATES`` keeps the spellings editors of
the period also used ("Teh" in Chu Teh, "Yi" beside "I").
"""

import re
import unicodedata
from functools import lru_cache
from itertools import product

import iuliia  # type: ignore[import-untyped]  # ships no type hints
from pypinyin import Style
from pypinyin.style import convert as _pypinyin_convert

_WADE_GILES_TABLE = """
a=a ai=ai an=an ang=ang ao=ao
ba=pa bai=pai ban=pan bang=pang bao=pao bei=pei ben=pen beng=peng bi=pi bian=pien biao=piao
bie=pieh bin=pin bing=ping bo=po bu=pu
ca=ts'a cai=ts'ai can=ts'an cang=ts'ang cao=ts'ao ce=ts'e cei=ts'ei cen=ts'en ceng=ts'eng
cha=ch'a chai=ch'ai chan=ch'an chang=ch'ang chao=ch'ao che=ch'e chen=ch'en cheng=ch'eng
chi=ch'ih chong=ch'ung chou=ch'ou chu=ch'u chua=ch'ua chuai=ch'uai chuan=ch'uan
chuang=ch'uang chui=ch'ui chun=ch'un chuo=ch'o ci=tz'u cong=ts'ung cou=ts'ou cu=ts'u
cuan=ts'uan cui=ts'ui cun=ts'un cuo=ts'o
da=ta dai=tai dan=tan dang=tang dao=tao de=te dei=tei den=ten deng=teng di=ti dia=tia
dian=tien diao=tiao die=tieh din=tin ding=ting diu=tiu dong=tung dou=tou du=tu duan=tuan
dui=tui dun=tun duo=to
e=o ei=ei en=en eng=eng er=erh
fa=fa fan=fan fang=fang fei=fei fen=fen feng=feng fo=fo fou=fou fu=fu
ga=ka gai=kai gan=kan gang=kang gao=kao ge=ko gei=kei gen=ken geng=keng gong=kung gou=kou
gu=ku gua=kua guai=kuai guan=kuan guang=kuang gui=kuei gun=kun guo=kuo
ha=ha hai=hai han=han hang=hang hao=hao he=ho hei=hei hen=hen heng=heng hong=hung hou=hou
hu=hu hua=hua huai=huai huan=huan huang=huang hui=hui hun=hun huo=huo
ji=chi jia=chia jian=chien jiang=chiang jiao=chiao jie=chieh jin=chin jing=ching
jiong=chiung jiu=chiu ju=chü juan=chüan jue=chüeh jun=chün
ka=k'a kai=k'ai kan=k'an kang=k'ang kao=k'ao ke=k'o kei=k'ei ken=k'en keng=k'eng kong=k'ung
kou=k'ou ku=k'u kua=k'ua kuai=k'uai kuan=k'uan kuang=k'uang kui=k'uei kun=k'un kuo=k'uo
la=la lai=lai lan=lan lang=lang lao=lao le=le lei=lei len=len leng=leng li=li lia=lia
lian=lien liang=liang liao=liao lie=lieh lin=lin ling=ling liu=liu long=lung lou=lou lu=lu
luan=luan lun=lun luo=lo lü=lü lüe=lüeh
ma=ma mai=mai man=man mang=mang mao=mao me=me mei=mei men=men meng=meng mi=mi mian=mien
miao=miao mie=mieh min=min ming=ming miu=miu mo=mo mou=mou mu=mu
na=na nai=nai nan=nan nang=nang nao=nao ne=ne nei=nei nen=nen neng=neng ni=ni nia=nia
nian=nien niang=niang niao=niao nie=nieh nin=nin ning=ning niu=niu nong=nung nou=nou nu=nu
nuan=nuan nun=nun nuo=no nü=nü nüe=nüeh
o=o ou=ou
pa=p'a pai=p'ai pan=p'an pang=p'ang pao=p'ao pei=p'ei pen=p'en peng=p'eng pi=p'i pian=p'ien
piao=p'iao pie=p'ieh pin=p'in ping=p'ing po=p'o pou=p'ou pu=p'u
qi=ch'i qia=ch'ia qian=ch'ien qiang=ch'iang qiao=ch'iao qie=ch'ieh qin=ch'in qing=ch'ing
qiong=ch'iung qiu=ch'iu qu=ch'ü quan=ch'üan que=ch'üeh qun=ch'ün
ran=jan rang=jang rao=jao re=je ren=jen reng=jeng ri=jih rong=jung rou=jou ru=ju rua=jua
ruan=juan rui=jui run=jun ruo=jo
sa=sa sai=sai san=san sang=sang sao=sao se=se sen=sen seng=seng sha=sha shai=shai shan=shan
shang=shang shao=shao she=she shei=shei shen=shen sheng=sheng shi=shih shou=shou shu=shu
shua=shua shuai=shuai shuan=shuan shuang=shuang shui=shui shun=shun shuo=shuo si=ssu
song=sung sou=sou su=su suan=suan sui=sui sun=sun suo=so
ta=t'a tai=t'ai tan=t'an tang=t'ang tao=t'ao te=t'e tei=t'ei teng=t'eng ti=t'i tian=t'ien
tiao=t'iao tie=t'ieh ting=t'ing tong=t'ung tou=t'ou tu=t'u tuan=t'uan tui=t'ui tun=t'un
tuo=t'o
wa=wa wai=wai wan=wan wang=wang wei=wei wen=wen weng=weng wo=wo wu=wu
xi=hsi xia=hsia xian=hsien xiang=hsiang xiao=hsiao xie=hsieh xin=hsin xing=hsing
xiong=hsiung xiu=hsiu xu=hsü xuan=hsüan xue=hsüeh xun=hsün
ya=ya yan=yen yang=yang yao=yao ye=yeh yi=i yin=yin ying=ying yo=yo yong=yung you=yu yu=yü
yuan=yüan yue=yüeh yun=yün
za=tsa zai=tsai zan=tsan zang=tsang zao=tsao ze=tse zei=tsei zen=tsen zeng=tseng zha=cha
zhai=chai zhan=chan zhang=chang zhao=chao zhe=che zhei=chei zhen=chen zheng=cheng zhi=chih
zhong=chung zhou=chou zhu=chu zhua=chua zhuai=chuai zhuan=chuan zhuang=chuang zhui=chui
zhun=chun zhuo=cho zi=tzu zong=tsung zou=tsou zu=tsu zuan=tsuan zui=tsui zun=tsun zuo=tso
"""
WADE_GILES: dict[str, str] = dict(pair.split("=") for pair in _WADE_GILES_TABLE.split())
# Spellings used beside the table's: Chu Teh, P'eng Teh-huai; Ch'en Yi beside Ch'en I; Szu.
WADE_GILES_ALTERNATES: dict[str, tuple[str, ...]] = {
    "de": ("teh",),
    "te": ("t'eh",),
    "yi": ("yi",),
    "si": ("szu",),
    "e": ("ê",),
}
PINYIN_SYLLABLES = frozenset(WADE_GILES)
_PINYIN_ALIASES = {"lue": "lüe", "nue": "nüe", "lv": "lü", "nv": "nü", "lve": "lüe", "nve": "nüe"}

# Russian romanization schemes (iuliia): common/press, BGN/PCGN, Library of Congress with and
# without diacritics, the scientific system (Roščin), ISO 9 = GOST 7.79 A (Roŝin) and B (Roshhin),
# passports (ICAO), and the Moscow Metro scheme that gives the press's "Roschin", "Khruschev".
RUSSIAN_SCHEMES = {
    "wikipedia": iuliia.WIKIPEDIA,
    "bgn_pcgn": iuliia.BGN_PCGN,
    "ala_lc": iuliia.ALA_LC,
    "ala_lc_alt": iuliia.ALA_LC_ALT,
    "scientific": iuliia.SCIENTIFIC,
    "gost_779": iuliia.GOST_779,
    "gost_779_alt": iuliia.GOST_779_ALT,
    "icao_doc_9303": iuliia.ICAO_DOC_9303,
    "mosmetro": iuliia.MOSMETRO,
    "bs_2979": iuliia.BS_2979,
}

_LETTERS = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "ŀ": "l",
}
_LETTER_TABLE = str.maketrans(_LETTERS)
# Combining marks: accents, the ALA-LC tie (t͡s), half marks; Hangul jamo are letters and stay.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_WORD = re.compile(r"[^\w,]+")
_APOSTROPHES = re.compile(r"['’‘ʼʻʹʺ`´\u02bc\u02bb\"“”«»]")
_SUFFIX = {
    "jr": "jr",
    "junior": "jr",
    "sr": "sr",
    "senior": "sr",
    "ii": "ii",
    "2d": "ii",
    "2nd": "ii",
    "iii": "iii",
    "3d": "iii",
    "3rd": "iii",
    "iv": "iv",
    "4th": "iv",
}
# Honorifics, ranks and offices written before a name ("Marshal Stalin", "Premier Chou En-lai",
# "Rhee, Dr. Syngman"); "and", "of", "the" for "Generalissimo and Marshal of the Soviet Union".
# Not Mrs., Madame, Miss: "Madame Chiang Kai-shek" is not Chiang Kai-shek.
_TITLES_TEXT = """
and mr messrs dr prof professor sir dame monsieur herr senor comrade tovarishch tov gospodin
pandit sardar shri sri excellency honorable honourable hon rt right the president vice premier
prime minister chairman chairwoman ambassador envoy secretary general of state foreign deputy
under senator sen rep representative governor gov generalissimo marshal field air army navy fleet
admiral adm rear commodore colonel col lieutenant lt lieut captain capt commander cmdr major maj
brigadier brig gen mgen ltgen ret retired king queen emperor empress prince princess crown chief
justice judge bishop cardinal father rev reverend soviet union peoples товарищ тов господин маршал
генерал генералиссимус председатель посол министр премьер президент
"""
_TITLE_WORDS = frozenset(_TITLES_TEXT.split())
_CJK_TITLES = re.compile(
    r"(主席|总理|總理|同志|元帅|元帥|将军|將軍|大使|先生|总统|總統|首相|委员长|委員長)+$"
)


def fold(text: str) -> str:
    """Lower case, accents and diacritics removed, letters such as ø and ß spelled out."""
    text = str(text or "")
    if text.isascii():
        return text.lower()
    stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()
    return unicodedata.normalize("NFC", stripped.translate(_LETTER_TABLE))


@lru_cache(maxsize=131072)
def name_key(text: str) -> str:
    """The matching key of a name: "Mao, Zedong" → "zedongmao"; "MAO Tse-tung" → "maotsetung".

    Folded; apostrophes, brackets and punctuation dropped; titles before a name removed ("Marshal
    Stalin", "Rhee, Dr. Syngman", "Mao Tse-tung, Chairman", 斯大林同志); a generation suffix
    ("Jr.", "II", "2d") kept at the end; "Family, Given" read as "Given Family"; spaces and hyphens
    removed, so "Kim Il Sung" and "Kim Il-sung", "Chou En-lai" and "Chou Enlai" meet.
    """
    folded = _APOSTROPHES.sub("", fold(text))
    if _CJK_TITLES.search(folded) and len(_CJK_TITLES.sub("", folded).strip()) > 1:
        folded = _CJK_TITLES.sub("", folded)  # 斯大林同志 → 斯大林; 毛主席 stays whole
    parts = [p.split() for p in _NOT_WORD.sub(" ", folded).split(",")]
    parts = [p for p in parts if p]
    suffix = ""
    for i, part in enumerate(parts):
        if len(part) == 1 and part[0] in _SUFFIX:
            suffix, parts = _SUFFIX[part[0]], parts[:i] + parts[i + 1 :]
            break
    parts = parts[:1] + [p for p in parts[1:] if not all(w in _TITLE_WORDS for w in p)]
    parts = [_without_titles(p) for p in parts]
    words = [w for p in (reversed(parts) if len(parts) == 2 else parts) for w in p]
    if not suffix and len(words) > 1 and words[-1] in _SUFFIX:
        suffix, words = _SUFFIX[words[-1]], words[:-1]
    return "".join(words).replace("_", "") + suffix


def _without_titles(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) - 1 and words[i] in _TITLE_WORDS:
        i += 1
    return words[i:]


def _plain_pinyin(word: str) -> str:
    """Lower case Pinyin with tone marks removed and ü kept."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0308")
    return unicodedata.normalize("NFC", kept)


def split_pinyin(word: str) -> list[str] | None:
    """Syllables of a Pinyin word ("Enlai" → en, lai), or None when it is not Pinyin.

    A syllable starting with a vowel must begin the word (Pinyin writes Xi'an with an apostrophe),
    and among the remaining readings the one with fewest syllables wins ("Xian" is one syllable).
    """
    word = _plain_pinyin(word)
    if not word or not word.isalpha():
        return None
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            syllable = _PINYIN_ALIASES.get(word[start:end], word[start:end])
            previous = best[start]
            if previous is None or syllable not in PINYIN_SYLLABLES:
                continue
            if start and syllable[0] in "aoe":
                continue
            current = best[end]
            if current is None or len(previous) + 1 < len(current):
                best[end] = previous + [syllable]
    return best[-1]


def _capitalize(syllables: list[str], hyphen: str) -> str:
    text = hyphen.join(syllables)
    return text[:1].upper() + text[1:]


def pinyin_to_wade_giles(name: str, apostrophes: bool = True) -> str:
    """ "Zhou Enlai" → "Chou En-lai", "Liu Shaoqi" → "Liu Shao-ch'i": given syllables hyphenated.

    Words that are not Pinyin are kept as written. The first word is the family name.
    """
    out = []
    for word in name.split():
        syllables = split_pinyin(word)
        if syllables is None:
            out.append(word)
            continue
        wg = [WADE_GILES[s] for s in syllables]
        if not apostrophes:
            wg = [s.replace("'", "") for s in wg]
        out.append(_capitalize(wg, "-"))
    return " ".join(out)


def wade_giles_forms(name: str, limit: int = 8) -> list[str]:
    """Wade-Giles spellings of a Pinyin name: table, alternates, with and without apostrophes."""
    split = [split_pinyin(w) for w in name.split()]
    words = [w for w in split if w is not None]
    if not words or len(words) < len(split):
        return []
    choices = [[(WADE_GILES[s],) + WADE_GILES_ALTERNATES.get(s, ()) for s in w] for w in words]
    forms: list[str] = []
    for combination in product(*(list(product(*word)) for word in choices)):
        text = " ".join(_capitalize(list(word), "-") for word in combination)
        for form in (text, text.replace("'", "")):
            if form not in forms:
                forms.append(form)
        if len(forms) >= limit:
            break
    return forms


_STRICT: dict[
    str, set[str]
] = {}  # with apostrophes and umlauts, as Wade-Giles is meant to be written
_LOOSE: dict[str, set[str]] = {}  # without them, as cables and newspapers wrote it
for _pinyin, _wg in WADE_GILES.items():
    for _form in (_wg, *WADE_GILES_ALTERNATES.get(_pinyin, ())):
        _STRICT.setdefault(_form, set()).add(_pinyin)
        _LOOSE.setdefault(fold(_form.replace("'", "")), set()).add(_pinyin)
WADE_GILES_SYLLABLES = frozenset(_LOOSE)


def wade_giles_to_pinyin(name: str, limit: int = 1) -> list[str]:
    """Pinyin readings of a Wade-Giles name: "Chang Wen-t'ien" → ["Zhang Wentian"].

    A name that marks aspiration anywhere is read strictly (an unmarked "Chang" is then zhang, not
    chang). Without apostrophes or umlauts one spelling may stand for several syllables; the
    readings are returned only when there are at most ``limit`` of them, so no guess is made.
    """
    text = name.replace("’", "'").replace("‘", "'").replace("ʻ", "'")
    strict = "'" in text
    words = []
    for word in text.split():
        syllables = [s for s in word.split("-") if s]
        options = []
        for syllable in syllables:
            plain = _plain_pinyin(syllable)
            found = _STRICT.get(plain) if strict else None
            options.append(sorted(found or _LOOSE.get(fold(plain.replace("'", "")), set())))
        if not syllables or not all(options):
            return []
        words.append(options)
    readings = []
    for combination in product(*(list(product(*word)) for word in words)):
        readings.append(" ".join(_capitalize(list(w), "") for w in combination))
        if len(readings) > limit:
            return []
    return readings


def is_wade_giles_name(name: str) -> bool:
    """True for names such as "Chang Han-fu", "Ch'en Yi": WG syllables, a hyphen or apostrophe."""
    words = name.replace("’", "'").replace("‘", "'").split()
    if len(words) < 2 or not any("-" in w or "'" in w for w in words[1:] + words[:1]):
        return False
    return all(fold(s) in WADE_GILES_SYLLABLES for w in words for s in w.split("-"))


def is_pinyin_name(name: str) -> bool:
    """True for "Huang Hua", "Deng Xiaoping": two or three words, each made of Pinyin syllables."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(split_pinyin(w) for w in words)


def pinyin_to_cyrillic(name: str, hyphenate: bool = False) -> str:
    """Palladius (the Russian system for Chinese): "Zhou Enlai" → "Чжоу Эньлай"; with ``hyphenate``
    "Mao Zedong" → "Мао Цзэ-дун", as Soviet documents of the 1950s wrote given names."""
    out = []
    for i, word in enumerate(name.split()):
        syllables = split_pinyin(word)
        if syllables is None:
            return ""
        parts = [_pypinyin_convert(s, Style.CYRILLIC, strict=True) for s in syllables]
        cyrillic = ("-" if hyphenate and i else "").join(parts)
        out.append(cyrillic[:1].upper() + cyrillic[1:])
    return " ".join(out)


def russian_romanizations(text: str) -> list[str]:
    """A Cyrillic name in each scheme of ``RUSSIAN_SCHEMES``, without repeats, common form first."""
    forms: list[str] = []
    for schema in RUSSIAN_SCHEMES.values():
        form = schema.translate(text)
        if form not in forms:
            forms.append(form)
    return forms


def strip_apostrophes(text: str) -> str:
    """ "Liu Shao-ch'i" → "Liu Shao-chi", as cables and newspapers wrote Wade-Giles."""
    return _APOSTROPHES.sub("", text)


def drop_titles(text: str) -> str:
    """ "President Truman" → "Truman"; "Rhee, Dr. Syngman" → "Rhee, Syngman"; case kept."""
    parts = []
    for part in text.split(","):
        words = part.split()
        n = 0
        while n < len(words) - 1 and fold(strip_apostrophes(words[n])).strip(".") in _TITLE_WORDS:
            n += 1
        parts.append(" ".join(words[n:]))
    return ", ".join(p for p in parts if p)


def russian_scheme_names(parts: list[str]) -> list[tuple[str, ...]]:
    """The parts of a Cyrillic name (family, given, patronymic) in each scheme, without repeats."""
    names: list[tuple[str, ...]] = []
    for schema in RUSSIAN_SCHEMES.values():
        name = tuple(schema.translate(part) for part in parts)
        if name not in names:
            names.append(name)
    return names


_GENERATION = re.compile(r",?\s+(Jr\.?|Sr\.?|II|III|IV|2d|2nd|3d|3rd)$")


def western_forms(family: str, given: str, suffix: str = "") -> list[tuple[str, bool]]:
    """ "Acheson", "Dean Gooderham" → Acheson, Dean Gooderham; Dean Gooderham Acheson; Dean Acheson;
    D. G. Acheson; Acheson, D. G.; and the bare surname, flagged True."""
    family, given = family.strip(), given.strip()
    end = f" {suffix}" if suffix else ""
    if not given:
        return [(family + end, False)]
    words = given.split()
    inits = initials(given)
    forms = [(f"{family}, {given}{end}", False), (f"{given} {family}{end}", False)]
    if len(words) > 1 and len(words[0]) > 2:
        forms.append((f"{words[0]} {family}{end}", False))
    if inits:
        forms += [(f"{inits} {family}{end}", False), (f"{family}, {inits}{end}", False)]
    return [*forms, (family, True)]


def name_forms(text: str, family_first: bool) -> list[tuple[str, bool]]:
    """A written name and its forms by rule: word orders, initials, the bare surname (flagged True).

    "Family, Given" is read as such; a name without a comma is family-first for Chinese, Korean and
    Vietnamese persons ("Mao Zedong" → "Mao, Zedong") and given-first otherwise.
    """
    text = drop_titles(text)
    if not re.search(r"[A-Za-zÀ-ɏЀ-ӿ]", text):
        return []
    generation = _GENERATION.search(text)
    suffix = generation.group(1) if generation else ""
    core = text[: generation.start()] if generation else text
    words = core.split()
    if "," in core:
        family, given = core.split(",", 1)
        return [(text, False), *western_forms(family, given, suffix)]
    if len(words) < 2:
        return [(text, True)]
    if family_first:
        return [(text, False), (f"{words[0]}, {' '.join(words[1:])}", False), (words[0], True)]
    return [(text, False), *western_forms(words[-1], " ".join(words[:-1]), suffix)]


def initials(given: str) -> str:
    """ "Iosif Vissarionovich" → "I. V."; "Dean G." → "D. G."; "K.M." → "K. M."."""
    words = [w for w in re.split(r"[\s.]+", given) if w]
    return " ".join(w[0].upper() + "." for w in words if w[0].isalpha())
