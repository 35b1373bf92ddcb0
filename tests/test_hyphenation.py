"""Words a language's hyphenation dictionary breaks wrongly break only where its rules allow
(locales/<lang>/language.yaml, hyphenation:), in the dictionaries the PDF is laid out with."""

from __future__ import annotations

import pyphen
import pytest

from jobdesc.hyphenation import exception_pattern, install_exceptions
from jobdesc.i18n import DEFAULT_LOCALES, LANGUAGES
from jobdesc.languages import rules

EXCEPTIONS = [(code, word) for code in LANGUAGES for word in rules(code).hyphenation]


def test_an_exception_is_a_whole_word_pattern_that_outranks_the_dictionary() -> None:
    assert exception_pattern("Zu-sam-men-ar-beit") == ".z8u9s8a8m9m8e8n9a8r9b8e8i8t."


def test_the_german_dictionary_no_longer_splits_zusammenarbeit_wrongly() -> None:
    install_exceptions()
    assert pyphen.Pyphen(lang="de_DE").inserted("Zusammenarbeit") == "Zu-sam-men-ar-beit"


@pytest.mark.parametrize(("code", "word"), EXCEPTIONS)
def test_each_listed_word_breaks_only_at_its_allowed_points(code: str, word: str) -> None:
    install_exceptions()
    allowed = set()
    position = 0
    for part in word.split("-")[:-1]:
        position += len(part)
        allowed.add(position)
    found = set(pyphen.Pyphen(lang=DEFAULT_LOCALES[code]).positions(word.replace("-", "")))
    assert found <= allowed, (word, sorted(found))
