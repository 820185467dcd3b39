"""Indonesian personal data: real-looking positives, and the digit runs posts are full of that are not."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kawal.engine.screen.leaks import find_leaks
from kawal.engine.screen.leaks.personal import PROVINCES, is_role_mailbox, plausible_nik


def kinds(text: str) -> list[tuple[str, str]]:
    """(kind, exact text under the span) for every finding."""
    return [(f.kind, text[f.span[0]:f.span[1]]) for f in find_leaks(text)]


# Jakarta Selatan (31 74), district 05, a woman born 12-03-1985 (day 52 = 12 + 40), serial 0002.
NIK_WOMAN = "3174055203850002"
# Kota Surabaya (35 78), district 01, a man born 25-12-1990, serial 0117.
NIK_MAN = "3578012512900117"


@pytest.mark.parametrize("text, value", [
    (f"Mohon bantu cek, NIK saya {NIK_WOMAN} belum terdaftar", NIK_WOMAN),
    ("KTP: 3578 0125 1290 0117 a.n. Budi", "3578 0125 1290 0117"),
    (f"{NIK_MAN}", NIK_MAN),
    ("nik 3273-0141-0988-0003.", "3273-0141-0988-0003"),
    ("nik 31.74.05.520385.0002", "31.74.05.520385.0002"),
])
def test_it_finds_a_nik_with_an_exact_span(text: str, value: str) -> None:
    assert kinds(text) == [("leak.nik", value)]


@pytest.mark.parametrize("number", [
    "9974055203850002",   # province 99 does not exist
    "3100055203850002",   # regency 00
    "3174055213850002",   # month 13
    "3174053102850002",   # 31 February
    "3174055203850000",   # serial 0000
    "3174057203850002",   # day 72 - 40 = 32
])
def test_it_rejects_sixteen_digits_without_a_nik_structure(number: str) -> None:
    assert not plausible_nik(number)
    assert kinds(f"nomor {number}") == []


def test_it_accepts_a_womans_birth_day_plus_forty() -> None:
    assert plausible_nik(NIK_WOMAN) and plausible_nik(NIK_MAN)


@pytest.mark.parametrize("text", [
    "Pesanan #3174055203850002 sudah dikirim",                  # order number after '#'
    "Tweet 1174055203850002123 viral",                          # longer id containing a NIK-like run
    "https://web.archive.org/web/3174055203850002/https://x.co",  # inside a URL
    "Resi JNE JP3174055203850002 sedang diproses",              # tracking number with letters
    "Harga Rp 150.000, diskon 25% sampai 31-12-2026 pukul 08.15",
    "Tweet id 1234567890123456789 and order 20200405031915",
    "#KTP3174055203850002",
])
def test_it_leaves_ids_prices_and_dates_alone(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize("text, value", [
    ("NPWP kami 01.234.567.8-012.000", "01.234.567.8-012.000"),
    ("npwp: 012345678012000", "012345678012000"),
])
def test_it_finds_an_npwp(text: str, value: str) -> None:
    assert kinds(text) == [("leak.npwp", value)]


def test_a_bare_fifteen_digit_run_is_not_an_npwp_without_the_word() -> None:
    assert kinds("Nomor pesanan 012345678012000 sudah diproses") == []


@pytest.mark.parametrize("text, value", [
    ("WA aja ke 0812-3456-7890 ya kak", "0812-3456-7890"),
    ("hubungi +62 812 3456 7890", "+62 812 3456 7890"),
    ("telp 6285712345678", "6285712345678"),
    ("Nomor Tri 0896.1234.5678", "0896.1234.5678"),
    ("+62 21 5795 1234 (kantor)", "+62 21 5795 1234"),
    ("hp: 081398765432.", "081398765432"),
    ("hub (0812) 3456-7890", "(0812) 3456-7890"),
    ("+62 (812) 3456 7890", "+62 (812) 3456 7890"),
])
def test_it_finds_indonesian_phone_numbers(text: str, value: str) -> None:
    assert kinds(text) == [("leak.phone", value)]


@pytest.mark.parametrize("text", [
    "Harga Rp 150.000 atau Rp 1.250.000",
    "Promo 08.00-12.00 WIB tanggal 08-12-2026",
    "call 1-800-956-4442 for help",
    "Order 0800123456789 diproses",          # 080 is not an operator prefix
    "ticket #081234567890",                   # ticket number after '#'
    "Kode voucher 0812345",                   # too short for a phone
])
def test_it_leaves_prices_times_and_foreign_numbers_alone(text: str) -> None:
    assert kinds(text) == []


def test_it_finds_a_personal_email_but_not_a_team_mailbox() -> None:
    text = "Kirim ke budi.santoso87@gmail.com atau support@bank.co.id, humas@kemkes.go.id"
    assert kinds(text) == [("leak.email", "budi.santoso87@gmail.com")]
    assert is_role_mailbox("reportphish@wellsfargo.com") and not is_role_mailbox("siti@corp.co.id")


def test_it_finds_an_address_written_to_dodge_scrapers() -> None:
    assert kinds("email budi[at]gmail.com") == [("leak.email", "budi[at]gmail.com")]
    assert kinds("tulis ke rina (at) yahoo (dot) co (dot) id") == [("leak.email", "rina (at) yahoo (dot) co (dot) id")]
    assert kinds("support [at] bank [dot] co [dot] id") == []


def test_an_email_message_masks_the_local_part() -> None:
    [finding] = find_leaks("mail rina.wijaya@yahoo.co.id")
    assert "rina.wijaya" not in finding.message and "yahoo.co.id" in finding.message


@pytest.mark.parametrize("text, value", [
    ("Alamat: Jl. Melati Raya No. 12, Kel. Cempaka", "Jl. Melati Raya No. 12"),
    ("rumahnya di Jalan Kenanga 5 No 3A Bandung", "Jalan Kenanga 5 No 3A"),
    ("Gg. Mawar No.7 dekat masjid", "Gg. Mawar No.7"),
    ("RT 003/RW 007 Kelurahan Tebet", "RT 003/RW 007"),
    ("Perumahan Griya Blok C2 No. 15", "Blok C2 No. 15"),
    ("alamat: Perum Griya Asri Blok B3/12", "Blok B3/12"),
    ("Jln. Sudirman Kav. 52-53, Jakarta", "Jln. Sudirman Kav. 52-53"),
])
def test_it_finds_home_addresses(text: str, value: str) -> None:
    assert kinds(text) == [("leak.address", value)]


@pytest.mark.parametrize("text", [
    "Pembangunan jalan tol Solo-Ngawi selesai Oktober 2017",
    "Pembagian kartu di Desa Tulikup Kec. Gianyar Bali",
    "Jalan sehat bersama warga Solo",
    "Retweet RT @budi: mantap",
])
def test_it_leaves_ordinary_mentions_of_roads_and_places_alone(text: str) -> None:
    assert kinds(text) == []


def test_messages_never_repeat_the_number() -> None:
    for text in (f"NIK {NIK_WOMAN}", "WA 081234567890", "NPWP 01.234.567.8-012.000"):
        for finding in find_leaks(text):
            assert text[finding.span[0]:finding.span[1]] not in finding.message


def test_allowed_values_are_not_reported() -> None:
    text = "Hubungi call center kami di 0811 1500 123 atau WA 0812-3456-7890"
    assert kinds(text) == [("leak.phone", "0811 1500 123"), ("leak.phone", "0812-3456-7890")]
    assert [f.kind for f in find_leaks(text, allow=["08111500123", "0811 1500 123"])] == ["leak.phone"]


@pytest.mark.parametrize("text, value", [
    ("transfer ke rek BCA 1234567890 a.n. Budi", "1234567890"),
    ("No. Rekening Mandiri: 123-00-1234567-8", "123-00-1234567-8"),
    ("norek 0987654321098 ya", "0987654321098"),
    ("account number 0012345678", "0012345678"),
    ("Nomor rek gue BCA 8720123456, WA aja", "8720123456"),
    ("rekening saya di BCA 1234567890", "1234567890"),
])
def test_it_finds_bank_account_numbers_next_to_the_word(text: str, value: str) -> None:
    assert kinds(text) == [("leak.bank_account", value)]


@pytest.mark.parametrize("text", ["rekening kamu sudah aktif", "Rekap 2020 1234567890", "rekor 1234567890 views"])
def test_ten_digits_without_an_account_word_are_not_an_account(text: str) -> None:
    assert kinds(text) == []


@st.composite
def niks(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCES)))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 40]))
    return (f"{province}{draw(st.integers(1, 79)):02d}{draw(st.integers(1, 99)):02d}{day:02d}{month:02d}"
            f"{draw(st.integers(0, 99)):02d}{draw(st.integers(1, 9999)):04d}")


@settings(max_examples=150, deadline=None)
@given(niks(), st.sampled_from(["NIK {}", "ktp saya {} ya", "{}", "Data: {}."]))
def test_property_every_structured_nik_is_found_with_its_exact_span(number: str, frame: str) -> None:
    text = frame.format(number)
    assert kinds(text) == [("leak.nik", number)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 .-+#@/:Rp", max_size=60))
def test_property_spans_always_cover_what_the_message_describes(text: str) -> None:
    for finding in find_leaks(text):
        start, end = finding.span
        assert 0 <= start < end <= len(text)
        assert text[start].isalnum() or text[start] == "+"
        assert text[end - 1].isalnum()


@pytest.mark.parametrize("text", [
    "Diposting 20200405031915, diperbarui 2026-11-24T12:47:14Z",
    "epoch 1732452434000 ms",
    "Resi J&T JP0112345678901 dan JNE 0112345678901234 sedang dikirim",
    "Order ID 6281234567890123456 sudah dibayar",          # 19 digits starting with 62
    "Invoice INV/2026/11/000123 jatuh tempo 30/11/2026",
    "#2019GantiPresiden #081234567890 #PromoAkhirTahun",
    "Skor 3-1, menit 89:45, penonton 45.000 orang",
    "Harga turun jadi Rp 1.499.000 (hemat Rp 500.000)",
    "Versi 1.2.3.4 dan build 20261124.1",
    "ISBN 978-602-03-1234-5",
    "Kode pos 12950, Jakarta Selatan",
])
def test_every_detector_stays_quiet_on_everyday_numbers(text: str) -> None:
    assert kinds(text) == []
