"""Legal risk rules: accusations, SARA and financial promises; negations and ordinary sentences stay quiet."""

import pytest

from kawal.engine.screen.legal import find_legal


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.span[0]:f.span[1]]) for f in find_legal(text)]


@pytest.mark.parametrize("text, span", [
    ("Bupati Sleman itu koruptor!", "Bupati Sleman itu koruptor"),
    ("pejabat X maling", "pejabat X maling"),
    ("CEO X is a fraud", "CEO X is a fraud"),
    ("Crooked Hillary wants your guns", "Crooked Hillary"),
    ("Katanya Pak Budi penipu", "Pak Budi penipu"),
    ("@dirut_bumn tukang tipu", "@dirut_bumn tukang tipu"),
    ("Hillary is a liar", "Hillary is a liar"),
    ("Kepala dinasnya koruptor semua", "Kepala dinasnya koruptor"),
    ("Hakim Andi disuap", "Hakim Andi disuap"),
])
def test_it_finds_accusations_against_people_and_officials(text: str, span: str) -> None:
    assert found(text) == [("legal.defamation", span)]


@pytest.mark.parametrize("text", [
    "Pemimpin harus bebas korupsi",
    "Dia bukan maling",
    "He is not a fraud",
    "Tangkap koruptor!",
    "Tim Saber Pungli (Sapu Bersih Pungutan Liar) dibentuk",
    "Parkir liar di depan kantor",
    "Beware of scammers asking for your PIN",
    "https://support.example.com/articles/Contents-of-the-Criminal-Enterprise",
    "Film tentang mafia Italia tayang minggu ini",
])
def test_it_leaves_negations_and_ordinary_sentences_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "Dasar Cina pelit semua", "orang Batak itu kasar dan malas", "Muslims are terrorists",
    "kafir itu najis",
])
def test_it_finds_sara_in_a_demeaning_frame(text: str) -> None:
    assert [k for k, _ in found(text)] == ["legal.sara"]


@pytest.mark.parametrize("text", [
    "Selamat Hari Raya Nyepi untuk umat Hindu", "Islam bukan teroris",
    "Kita bersaudara: Jawa, Batak, Papua, Bugis", "Happy Hanukkah to our Jewish friends",
])
def test_it_leaves_neutral_mentions_of_groups_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text, span", [
    ("Investasi ini dijamin untung!", "dijamin untung"),
    ("Join sekarang, pasti cuan", "pasti cuan"),
    ("Profit 10% per bulan", "Profit 10% per"),
    ("guaranteed returns on every trade", "guaranteed returns"),
    ("A risk-free investment opportunity", "risk-free investment"),
    ("Saham BBCA pasti naik bulan depan", "pasti naik"),
    ("Deposito tanpa risiko", "tanpa risiko"),
])
def test_it_finds_promises_that_look_like_financial_advice(text: str, span: str) -> None:
    assert found(text) == [("legal.financial_promise", span)]


@pytest.mark.parametrize("text", [
    "Harga BBM pasti naik, hemat energi ya",
    "Untung ada kamu!",
    "Diskon 10% untuk pembelian pertama",
    "Returns are accepted within 30 days",
    "Jangan mudah percaya janji untung besar tanpa risiko",   # a warning, not a promise
    "Waspada investasi bodong yang menjanjikan pasti cuan",
])
def test_it_leaves_prices_and_everyday_luck_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("text, span", [
    ("Bupati X korupsi dana desa", "Bupati X korupsi"),
    ("CEO Smith stole millions from investors", "CEO Smith stole"),
])
def test_an_accusing_verb_accuses_its_subject(text: str, span: str) -> None:
    assert found(text) == [("legal.defamation", span)]


def test_an_accusing_verb_does_not_accuse_its_object_or_cross_sentences() -> None:
    assert found("kemarin menipu Budi") == []                       # Budi is the victim
    assert found("kemarin penipu Budi") == [("legal.defamation", "penipu Budi")]   # Budi is accused
    assert found("Kita harus menjaga KPK. Korupsi adalah kejahatan luar biasa") == []


@pytest.mark.parametrize("text", ["Go back to your country!", "usir semua pendatang", "pulang sana ke negaramu"])
def test_telling_people_to_leave_is_sara(text: str) -> None:
    assert [k for k, _ in found(text)] == ["legal.sara"]
