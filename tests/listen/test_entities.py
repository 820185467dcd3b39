"""Entities: the organisation's own from its configuration, others by honorifics, titles and company forms."""

from __future__ import annotations

import pytest

from kawal.engine.listen.entities import Executive, OrgConfigError, OrgProfile, find_entities, load_org

ORG = OrgProfile("PT Bank Contoh Tbk", aliases=("Bank Contoh", "BCX"), handles=("@bankcontoh",),
                 products=("ContohPay",), executives=(Executive("Budi Santoso", "Direktur Utama", ("budis",)),))


def _pairs(text: str, title: str | None = None, org: OrgProfile | None = ORG) -> list[tuple[str, str]]:
    return [(e.name, e.kind) for e in find_entities(text, title, org)]


def test_own_names_handles_products_and_executives_are_found_once_under_their_canonical_name():
    found = _pairs("bank contoh lagi-lagi: @BankContoh, ContohPay dan BCX sama saja. @budis diam. Budi Santoso juga.")
    assert found == [("PT Bank Contoh Tbk", "own_organization"), ("@bankcontoh", "own_handle"),
                     ("ContohPay", "own_product"), ("Budi Santoso", "own_executive")]


def test_own_names_match_whole_words_only():
    assert _pairs("bankcontohan dan @bankcontoh_care bukan akun kami") == []


def test_people_after_indonesian_and_english_titles():
    text = ("Menteri Keuangan Sri Mulyani Indrawati belum berkomentar. Ketua YLKI Tulus Abadi angkat bicara. "
            "Tesla CEO Elon Musk replied. Mr. John Smith of Globex Corp said nothing. Ibu Ani datang.")
    found = _pairs(text, org=None)
    for expected in [("Sri Mulyani Indrawati", "person"), ("Tulus Abadi", "person"), ("Tesla", "organization"),
                     ("Elon Musk", "person"), ("John Smith", "person"), ("Globex Corp", "organization"),
                     ("Ani", "person")]:
        assert expected in found


def test_organisations_by_company_form_institution_word_or_known_acronym():
    text = ("PT Telkom Indonesia (Persero) Tbk tidak terdampak, kata Acme Inc. dan Universitas Indonesia. "
            "Otoritas Jasa Keuangan dan OJK juga KPPU ikut memantau, begitu pula the Ministry of Finance.")
    found = _pairs(text, org=None)
    for expected in ["PT Telkom Indonesia (Persero) Tbk", "Acme Inc.", "Universitas Indonesia",
                     "Otoritas Jasa Keuangan", "OJK", "KPPU", "Ministry of Finance"]:
        assert (expected, "organization") in found


def test_sentence_starts_places_and_dates_are_not_names():
    found = _pairs("Menurut Andi Wijaya, gangguan terjadi di Jakarta Selatan pada Senin. Namun Pelanggan Kecewa.",
                   org=None)
    assert found == [("Andi Wijaya", "person")]


def test_title_case_headlines_only_yield_marked_entities():
    title = "Layanan ContohPay Gangguan, Pelanggan Tak Bisa Transaksi Kata Dirut Budi Santoso"
    found = _pairs("", title=title, org=None)
    assert found == [("Budi Santoso", "person")]


def test_a_dirut_of_a_company_is_the_company_not_a_person():
    assert _pairs("Dirut PT Contoh Jaya, Hendra Gunawan, membantah.", org=None) == [
        ("PT Contoh Jaya", "organization"), ("Hendra Gunawan", "person")]


def test_org_file_loads_and_bad_files_name_the_problem(tmp_path):
    path = tmp_path / "org.toml"
    path.write_text('[organization]\nname = "Bank Contoh"\nhandles = ["@bankcontoh"]\n'
                    '[[executives]]\nname = "Budi Santoso"\ntitle = "CEO"\n', encoding="utf-8")
    org = load_org(path)
    assert org.name == "Bank Contoh" and org.executives[0].title == "CEO"
    path.write_text('[organization]\naliases = ["x"]\n', encoding="utf-8")
    with pytest.raises(OrgConfigError, match="needs a 'name'"):
        load_org(path)
    path.write_text('[organization]\nname = "X"\nproducts = "Pay"\n', encoding="utf-8")
    with pytest.raises(OrgConfigError, match="'products' must be a list"):
        load_org(path)
    with pytest.raises(OrgConfigError, match="cannot read"):
        load_org(tmp_path / "missing.toml")


def test_news_style_attributions():
    text = ("Ekonom Universitas Indonesia Faisal Basri menilai wajar. Corporate Secretary BSI Gunawan A. Hartoyo "
            "menyebut serangan siber. The story was first reported by the New York Times.")
    found = _pairs(text, org=None)
    for expected in [("Universitas Indonesia", "organization"), ("Faisal Basri", "person"),
                     ("Gunawan A. Hartoyo", "person"), ("New York Times", "organization")]:
        assert expected in found
    assert not any(name in ("Corporate", "A.") for name, _ in found)
