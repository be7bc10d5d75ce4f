"""The authority of persons: a name in any spelling, script or order finds the one person it means.

Real data: the curated list shipped with opis and the Office of the Historian people records in
../shared/corpora/hsg-authority (read in place; the cache goes to a session temp folder).
"""

import json
import tarfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from conftest import CORPORA
from opis.understand import hsg_people, names, romanize
from opis.understand.names import Authority, Person

HSG_TARBALL = CORPORA / "hsg-authority" / "people" / "people-data.tar.gz"
CURATED = json.loads(names.CURATED.read_text("utf-8"))


@pytest.fixture(scope="session")
def hsg_tarball() -> Path:
    if not HSG_TARBALL.exists():
        pytest.skip(f"{HSG_TARBALL} is not here; the shared corpora live beside the checkout")
    return HSG_TARBALL


@pytest.fixture(scope="session")
def cache_dir(request, tmp_path_factory) -> Path:
    """pytest's cache folder, so later runs read the hsg cache; its name follows the tarball and
    the rules' source, so a change to either builds it afresh."""
    if request.config.cache is None:
        return tmp_path_factory.mktemp("names-cache")
    return request.config.cache.mkdir("opis-names")


@pytest.fixture(scope="session")
def hsg_files(hsg_tarball) -> dict:
    """One pass over the tarball: how many person records it holds, and a few records' XML."""
    wanted = {"100316", "112176"}
    found = {"count": 0}
    with tarfile.open(hsg_tarball) as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".xml"):
                found["count"] += 1
                if Path(member.name).stem in wanted:
                    found[Path(member.name).stem] = ET.fromstring(
                        archive.extractfile(member).read()
                    )
    return found


@pytest.fixture(scope="session")
def authority(hsg_tarball, cache_dir) -> Authority:
    return Authority.load(hsg_tarball=hsg_tarball, cache_dir=cache_dir)


@pytest.fixture(scope="session")
def curated_only() -> Authority:
    return Authority.load()


@pytest.fixture
def default_authority(authority, monkeypatch) -> Authority:
    """The module-level API (names.resolve, …) answering from the session's authority."""
    monkeypatch.setattr(names, "_default", authority)
    return authority


# resolve ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "person_id"),
    [
        ("Chou En-lai", "zhou-enlai"),
        ("Zhou Enlai", "zhou-enlai"),
        ("Чжоу Эньлай", "zhou-enlai"),
        ("周恩来", "zhou-enlai"),
        ("周恩來", "zhou-enlai"),
        ("Premier Chou En-lai", "zhou-enlai"),
        ("Mao Tse-tung", "mao-zedong"),
        ("Mao, Zedong", "mao-zedong"),
        ("MAO ZEDONG", "mao-zedong"),
        ("Мао Цзэ-дун", "mao-zedong"),
        ("Chairman Mao", "mao-zedong"),
        ("Filippov", "stalin-iosif"),
        ("FILIPPOV", "stalin-iosif"),
        ("Fyn Si", "stalin-iosif"),
        ("Сталин", "stalin-iosif"),
        ("Marshal Stalin", "stalin-iosif"),
        ("I. V. Stalin", "stalin-iosif"),
        ("Stalin, I. V.", "stalin-iosif"),
        ("Сталин И. В.", "stalin-iosif"),
        ("Roshchin", "roshchin-nikolai"),
        ("Рощин", "roshchin-nikolai"),
        ("Roščin", "roshchin-nikolai"),
        ("Roshhin", "roshchin-nikolai"),
        ("roscin", "roshchin-nikolai"),
        ("Liu Shao-ch'i", "liu-shaoqi"),
        ("Liu Shao-chi", "liu-shaoqi"),
        ("Kao Kang", "gao-gang"),
        ("P’eng Teh-huai", "peng-dehuai"),
        ("Chu Teh", "zhu-de"),
        ("Kim Il-sung", "kim-il-sung"),
        ("Kim Il Sung", "kim-il-sung"),
        ("Ким Ир Сен", "kim-il-sung"),
        ("김일성", "kim-il-sung"),
        ("Pak Hŏn-yŏng", "pak-hon-yong"),
        ("Rhee, Dr. Syngman", "rhee-syngman"),
        ("Vishinsky", "vyshinsky-andrei"),
        ("Вышинский", "vyshinsky-andrei"),
        ("Khrushchov", "khrushchev-nikita"),
        ("Nguyen Ai Quoc", "ho-chi-minh"),
        ("Dean Acheson", "acheson-dean"),
        ("Acheson, Dean G.", "acheson-dean"),
        ("Truman", "truman-harry"),
        ("K. M. Panikkar", "panikkar-kavalam-madhava"),
        ("George F. Kennan", "kennan-george"),
        ("Chang Wen-tien", "zhang-wentian"),
    ],
)
def test_resolve_finds_the_person_in_any_spelling(authority, name, person_id):
    person = authority.resolve(name)
    assert person is not None, (
        f"{name!r} resolved to nobody; candidates {authority.candidates(name)}"
    )
    assert person.id == person_id


@pytest.mark.parametrize("name", ["Nobody Atall", "", "   ", "—", "Zhou", "Qwertyuiop, Asdf"])
def test_a_name_matching_nobody_resolves_to_none(authority, name):
    assert authority.resolve(name) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kim", {"kim-il-sung", "kim-tu-bong"}),
        ("Malik", {"malik-yakov", "malik-charles-h"}),
        ("Harry Truman", {"truman-harry"}),
        ("Kovalev", {"kovalev-ivan", "kovalev-anatoly-g"}),
    ],
)
def test_an_ambiguous_name_resolves_to_none_and_offers_candidates(authority, name, expected):
    assert authority.resolve(name) is None
    offered = {person.id for person in authority.candidates(name)}
    assert len(offered) >= 2
    assert expected <= offered


def test_a_curated_name_outranks_a_surname_derived_for_another_record(authority):
    """Roshchin in 1945-1955 documents is Nikolai, the ambassador; A. A. Roshchin stays findable."""
    assert authority.resolve("Roshchin").id == "roshchin-nikolai"
    assert [p.canonical for p in authority.candidates("Roshchin")] == [
        "Roshchin, Nikolai Vasilievich",
        "Roshchin, Alexei Alexeevich",
    ]
    assert authority.resolve("A. A. Roshchin").hsg_id == "111623"


def test_a_wife_is_not_her_husband(authority):
    assert authority.resolve("Madame Chiang Kai-shek").hsg_id == "112754"
    assert authority.resolve("Chiang Kai-shek").id == "chiang-kai-shek"


@pytest.mark.parametrize(
    ("name", "year", "person_id"),
    [
        ("Filippov", None, "stalin-iosif"),
        ("Filippov", 1950, "stalin-iosif"),
        ("Филиппов", 1953, "stalin-iosif"),
        ("Filippov", 1947, None),
        ("Fyn Si", 1949, "stalin-iosif"),
        ("Feng Xi", None, "stalin-iosif"),
        ("Nguyen Ai Quoc", 1930, "ho-chi-minh"),
        ("Stalin", None, None),  # a name, not a pseudonym
    ],
)
def test_pseudonym_of_is_bounded_by_the_years_attested(authority, name, year, person_id):
    person = authority.pseudonym_of(name, year)
    assert (person.id if person else None) == person_id


# the module-level API and the JSON shape ----------------------------------------------------------


def test_module_api_answers_from_the_default_authority(default_authority):
    stalin = names.resolve("Filippov")
    assert stalin is names.pseudonym_of("Filippov", 1950)
    assert names.resolve("Kim") is None
    assert len(names.candidates("Kim")) > 2
    assert names.variants_for(stalin)[0] == "Stalin, Iosif Vissarionovich"


def test_person_json_shape(default_authority):
    shape = names.person_json(names.resolve("Filippov"))
    assert list(shape) == ["id", "canonical", "variants", "pseudonyms"]
    assert shape["id"] == "stalin-iosif"
    assert shape["canonical"] == "Stalin, Iosif Vissarionovich"
    assert {"Сталин", "Joseph Stalin", "Stalin, Joseph", "I. V. Stalin"} <= set(shape["variants"])
    assert "Filippov" not in shape["variants"]
    filippov = shape["pseudonyms"][0]
    assert list(filippov) == ["name", "from_year", "to_year", "source"]
    assert (filippov["name"], filippov["from_year"], filippov["to_year"]) == (
        "Filippov",
        1950,
        1953,
    )
    assert "Cold War International History Project Bulletin" in filippov["source"]
    json.dumps(shape)


def test_search_terms_hold_every_form_a_document_may_use(authority):
    terms = set(names.search_terms(authority.get("zhou-enlai")))
    assert {"Zhou Enlai", "Chou En-lai", "周恩来", "周恩來", "Чжоу Эньлай", "Zhou, Enlai"} <= terms
    assert {"Liu Shao-ch'i", "Liu Shao-chi"} <= set(names.search_terms(authority.get("liu-shaoqi")))
    stalin = set(names.search_terms(authority.get("stalin-iosif")))
    assert {"Filippov", "Фын Си", "Roščin"} & stalin == {"Filippov", "Фын Си"}


# the Office of the Historian people ---------------------------------------------------------------


def test_hsg_people_load_with_the_tarball_count(authority, hsg_files):
    expected = hsg_files["count"]
    assert expected > 16000
    assert authority.hsg_count == expected
    merged = sum(1 for entry in CURATED["persons"] if entry.get("hsg"))
    assert len(authority) == expected - merged + len(CURATED["persons"])


@pytest.mark.parametrize(("hsg_id", "slug"), [("100316", "allison-john-moore"), ("112176", None)])
def test_a_us_diplomat_resolves_by_every_name_form_in_the_data(authority, hsg_files, hsg_id, slug):
    record = hsg_files[hsg_id]
    written = [n.text for n in record.findall("names/originals/original/name")]
    assert written
    for name in written:
        person = authority.resolve(name)
        assert person is not None and person.hsg_id == hsg_id, name
    if slug:
        assert authority.resolve(written[0]).id == slug


def test_a_curated_person_in_the_hsg_data_is_one_person(authority):
    acheson = authority.resolve("Acheson, Dean Gooderham")
    assert acheson.id == "acheson-dean" and acheson.curated and acheson.hsg_id == "100070"
    assert acheson.canonical == "Acheson, Dean Gooderham"
    assert "Dean G. Acheson" in acheson.variants  # from the Office of the Historian
    assert "Ачесон" in acheson.variants  # from the curated list
    assert any("Office of the Historian" in source for source in acheson.sources)
    assert not [p for p in authority.candidates("Dean G. Acheson") if p is not acheson]


def test_the_cache_gives_the_same_authority_quickly(authority, hsg_tarball, cache_dir):
    assert list(cache_dir.glob("hsg-people-*.marshal"))
    started = time.perf_counter()
    again = Authority.load(hsg_tarball=hsg_tarball, cache_dir=cache_dir)
    elapsed = time.perf_counter() - started
    assert len(again) == len(authority)
    assert again.resolve("Chou En-lai").variants == authority.resolve("Chou En-lai").variants
    assert elapsed < 10  # about 1 s on an idle core; generous for a shared machine


# the curated list --------------------------------------------------------------------------------


def test_every_curated_person_resolves_by_canonical_and_explicit_variants(curated_only):
    for entry in CURATED["persons"]:
        for name in [entry["canonical"], *entry.get("variants", [])]:
            person = curated_only.resolve(name)
            assert person is not None and person.id == entry["id"], (name, entry["id"])


def test_every_curated_person_cites_sources_and_pseudonyms_have_years(curated_only):
    for person in curated_only.persons.values():
        assert person.sources and person.roles and person.description, person.id
        for pseudonym in person.pseudonyms:
            assert pseudonym.from_year and pseudonym.to_year and pseudonym.source, person.id
            assert pseudonym.from_year <= pseudonym.to_year


@pytest.mark.parametrize(
    "entry", [e for e in CURATED["persons"] if e["script"] == "zh"], ids=lambda e: e["id"]
)
def test_curated_pinyin_agrees_with_the_characters(entry, curated_only):
    from_characters = "".join(lazy_pinyin(entry["names"]["hanzi"]))
    assert from_characters == entry["names"]["pinyin"].replace(" ", "").lower()
    wade_giles = romanize.pinyin_to_wade_giles(entry["names"]["pinyin"])
    assert curated_only.resolve(wade_giles).id == entry["id"]


# the romanization rules ---------------------------------------------------------------------------

WADE_GILES = [
    ("Zhou Enlai", "Chou En-lai"),
    ("Mao Zedong", "Mao Tse-tung"),
    ("Liu Shaoqi", "Liu Shao-ch'i"),
    ("Gao Gang", "Kao Kang"),
    ("Peng Dehuai", "P'eng Te-huai"),
    ("Zhu De", "Chu Te"),
    ("Deng Xiaoping", "Teng Hsiao-p'ing"),
    ("Jiang Jieshi", "Chiang Chieh-shih"),
    ("Nie Rongzhen", "Nieh Jung-chen"),
    ("Qiao Guanhua", "Ch'iao Kuan-hua"),
    ("Wu Xiuquan", "Wu Hsiu-ch'üan"),
    ("Zhang Wentian", "Chang Wen-t'ien"),
    ("Wang Jiaxiang", "Wang Chia-hsiang"),
    ("Li Kenong", "Li K'o-nung"),
    ("Chen Yi", "Ch'en I"),
    ("Lin Biao", "Lin Piao"),
    ("Shi Zhe", "Shih Che"),
    ("Huang Hua", "Huang Hua"),
    ("Xu Xiangqian", "Hsü Hsiang-ch'ien"),
    ("Sun Zhongshan", "Sun Chung-shan"),
    ("Cai Weiping", "Ts'ai Wei-p'ing"),
    ("Zeng Guofan", "Tseng Kuo-fan"),
    ("Ye Jianying", "Yeh Chien-ying"),
    ("Ci Xi", "Tz'u Hsi"),
]


@pytest.mark.parametrize(("pinyin", "wade_giles"), WADE_GILES)
def test_pinyin_to_wade_giles(pinyin, wade_giles):
    assert romanize.pinyin_to_wade_giles(pinyin) == wade_giles
    assert romanize.pinyin_to_wade_giles(pinyin, apostrophes=False) == wade_giles.replace("'", "")
    assert wade_giles in romanize.wade_giles_forms(pinyin)


@pytest.mark.parametrize(("pinyin", "wade_giles"), [w for w in WADE_GILES if "'" in w[1]])
def test_marked_wade_giles_reads_back_to_one_pinyin(pinyin, wade_giles):
    assert romanize.wade_giles_to_pinyin(wade_giles) == [pinyin]


def test_the_wade_giles_table_covers_every_syllable_once():
    assert len(romanize.WADE_GILES) == len(romanize.PINYIN_SYLLABLES) > 400
    assert romanize.WADE_GILES["lai"] == "lai" and romanize.WADE_GILES["quan"] == "ch'üan"


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("Enlai", ["en", "lai"]), ("Xian", ["xian"]), ("Fangao", ["fan", "gao"]), ("Kim", None)],
)
def test_split_pinyin(word, syllables):
    assert romanize.split_pinyin(word) == syllables


@pytest.mark.parametrize(
    ("cyrillic", "expected"),
    [
        ("Рощин", {"Roshchin", "Roščin", "Roshhin", "Roŝin"}),
        ("Вышинский", {"Vyshinsky", "Vyshinskii"}),
    ],
)
def test_russian_schemes(cyrillic, expected):
    assert expected <= set(romanize.russian_romanizations(cyrillic))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Mao, Zedong", "Zedong Mao"),
        ("Chou En-lai", "CHOU ENLAI"),
        ("Liu Shao-ch’i", "Liu Shao-chi"),
        ("Kim Il-sung", "Kim Il Sung"),
        ("Kim Il-sŏng", "Kim Il-song"),
        ("Rhee, Dr. Syngman", "Syngman Rhee"),
        ("MacArthur, Douglas, II", "Douglas MacArthur 2d"),
        ("Stalin, Generalissimo Iosif Vissarionovich", "Iosif Vissarionovich Stalin"),
        ("Товарищ Сталин", "сталин"),
        ("斯大林同志", "斯大林"),
    ],
)
def test_name_keys_meet(one, other):
    assert romanize.name_key(one) == romanize.name_key(other)


@pytest.mark.parametrize(
    ("written", "forms"),
    [
        ("Mao Zedong (Mao Tse-tung)", ["Mao Zedong", "Mao Tse-tung"]),
        ("Chiao (Ch'iao) Kuan-hua", ["Chiao Kuan-hua", "Ch'iao Kuan-hua"]),
        ("Nehru, B.K. (Braj Kumar)", ["Nehru, B.K.", "Nehru, Braj Kumar"]),
        ("Bohlen, Charles Eustis (“Chip”)", ["Bohlen, Charles Eustis"]),
        ("Mao Tse-Tung, Chairman", ["Mao Tse-Tung"]),
        ("Chou En-lai.", ["Chou En-lai"]),
        ("Madam", []),
    ],
)
def test_clean_hsg_name(written, forms):
    titles = ["Chairman", "Madam"]
    assert hsg_people.clean_hsg_name(written, titles) == forms


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_resolve_never_raises(curated_only, text):
    result = curated_only.resolve(text)
    assert result is None or isinstance(result, Person)
    curated_only.candidates(text)
    curated_only.pseudonym_of(text, 1950)
