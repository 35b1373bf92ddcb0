"""Names written only in Cyrillic reach Latin-script documents in their language's official
romanization, checked on the examples each standard gives."""

from __future__ import annotations

import pytest

from jobdesc.translit import romanize

# Transliteration Act (Bulgaria, 2009), art. 3 table and art. 4(2) ("-ия" at the end of a word).
BULGARIAN = [
    ("Атанас", "Atanas"), ("Благоевград", "Blagoevgrad"), ("Велико Търново", "Veliko Tarnovo"),
    ("Габрово", "Gabrovo"), ("Добрич", "Dobrich"), ("Жеравна", "Zheravna"), ("Йордан", "Yordan"),
    ("Ловеч", "Lovech"), ("Пловдив", "Plovdiv"), ("Русе", "Ruse"), ("София", "Sofia"), ("Троян", "Troyan"),
    ("Хасково", "Haskovo"), ("Цар Калоян", "Tsar Kaloyan"), ("Чепеларе", "Chepelare"), ("Шумен", "Shumen"),
    ("Щастливец", "Shtastlivets"), ("Търговище", "Targovishte"), ("Шьопен", "Shyopen"), ("Юрий", "Yuriy"),
    ("Ямбол", "Yambol"), ("Мария", "Maria"), ("Иван Петров Георгиев", "Ivan Petrov Georgiev"),
]  # fmt: skip
# Cabinet of Ministers Resolution No. 55 of 27.01.2010 (Ukraine), the table's own examples.
UKRAINIAN = [
    ("Алушта", "Alushta"), ("Борщагівка", "Borshchahivka"), ("Вінниця", "Vinnytsia"), ("Гадяч", "Hadiach"),
    ("Згорани", "Zghorany"), ("Ґалаґан", "Galagan"), ("Рівне", "Rivne"), ("Єнакієве", "Yenakiieve"),
    ("Житомир", "Zhytomyr"), ("Закарпаття", "Zakarpattia"), ("Медвин", "Medvyn"), ("Іршава", "Irshava"),
    ("Їжакевич", "Yizhakevych"), ("Кадиївка", "Kadyivka"), ("Йосипівка", "Yosypivka"), ("Стрий", "Stryi"),
    ("Олексій", "Oleksii"), ("Київ", "Kyiv"), ("Лебедин", "Lebedyn"), ("Миколаїв", "Mykolaiv"),
    ("Харків", "Kharkiv"), ("Біла Церква", "Bila Tserkva"), ("Чернівці", "Chernivtsi"), ("Шостка", "Shostka"),
    ("Гоща", "Hoshcha"), ("Юрій", "Yurii"), ("Корюківка", "Koriukivka"), ("Яготин", "Yahotyn"),
    ("Костянтин", "Kostiantyn"), ("Знам'янка", "Znamianka"), ("Феодосія", "Feodosiia"),
]  # fmt: skip
# ICAO Doc 9303 as used for Russian passports.
RUSSIAN = [
    ("Дмитрий", "Dmitrii"), ("Фёдор", "Fedor"), ("Подъячев", "Podieiachev"), ("Щукин", "Shchukin"),
    ("Юлия", "Iuliia"), ("Наталья", "Natalia"), ("Хабаровск", "Khabarovsk"), ("Цветков", "Tsvetkov"),
    ("Эдуард", "Eduard"), ("Рыбаков", "Rybakov"), ("Майя", "Maiia"),
]  # fmt: skip


@pytest.mark.parametrize(("cyrillic", "latin"), BULGARIAN)
def test_bulgarian_streamlined_system(cyrillic: str, latin: str) -> None:
    assert romanize(cyrillic, "bg") == latin


@pytest.mark.parametrize(("cyrillic", "latin"), UKRAINIAN)
def test_ukrainian_2010_table(cyrillic: str, latin: str) -> None:
    assert romanize(cyrillic, "uk") == latin


@pytest.mark.parametrize(("cyrillic", "latin"), RUSSIAN)
def test_russian_icao_9303(cyrillic: str, latin: str) -> None:
    assert romanize(cyrillic, "ru") == latin


def test_a_surname_in_capitals_stays_in_capitals() -> None:
    assert romanize("Іван ГЕОРГІЄВ", "uk") == "Ivan HEORHIIEV"
    assert romanize("ЖЕКОВ", "bg") == "ZHEKOV"
