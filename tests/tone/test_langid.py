"""Language identification: id, en, other."""

import pytest

from kawal.engine.screen.langid import detect


@pytest.mark.parametrize(
    "sentence",
    [
        "Pelayanan di kantor cabang kemarin sangat mengecewakan",
        "Selamat pagi",
        "gk bisa login dari td, tolong dibantu min",
        "meeting nanti jam 3 ya guys, jangan telat",  # code-switched
        "Barusan check-in, flight-nya delay lagi dong",
    ],
)
def test_it_detects_indonesian(sentence: str) -> None:
    assert detect(sentence) == "id"


@pytest.mark.parametrize(
    "sentence",
    ["Thanks for the quick help with my order", "Do your research", "Why was my card charged twice?"],
)
def test_it_detects_english(sentence: str) -> None:
    assert detect(sentence) == "en"


@pytest.mark.parametrize(
    "sentence",
    ["Bonjour tout le monde, comment allez-vous?", "Guten Morgen, wie geht es dir heute?", "", "   ", "12345 !!!",
     "@kawal https://example.com #"],
)
def test_it_says_other_for_neither_language_or_no_words(sentence: str) -> None:
    assert detect(sentence) == "other"


def test_it_ignores_mentions_urls_and_hashtag_signs() -> None:
    assert detect("@OfficialBrand #Kecewa pesanan saya belum datang https://t.co/abc") == "id"
