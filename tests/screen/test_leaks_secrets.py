"""Payment cards, credentials and internal hosts: formats people really paste, and what only looks close."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kawal.engine.screen.leaks import find_leaks
from kawal.engine.screen.leaks.cards import issuer, luhn_valid
from kawal.engine.screen.leaks.credentials import looks_like_secret


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.span[0]:f.span[1]]) for f in find_leaks(text)]


@pytest.mark.parametrize("text, value", [
    ("Kartu kredit saya 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111"),
    ("card 5555-5555-5555-4444 cvv 123", "5555-5555-5555-4444"),
    ("amex 3782 822463 10005", "3782 822463 10005"),
    ("pay with 4012888888881881 please", "4012888888881881"),
    ("JCB card 3530111333300000", "3530111333300000"),
])
def test_it_finds_card_numbers(text: str, value: str) -> None:
    assert kinds(text) == [("leak.card", value)]


@pytest.mark.parametrize("text", [
    "order 4111 1111 1111 1112",                 # fails Luhn
    "tweet 1212121212121212121 viral",            # 19-digit id, no card word
    "resi 9999 9999 9999 9995",                   # no issuer starts with 9
    "https://twitter.com/x/status/4111111111111111",  # inside a URL
])
def test_it_leaves_non_cards_alone(text: str) -> None:
    assert kinds(text) == []


def test_luhn_and_issuer() -> None:
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert issuer("4111111111111111") == "Visa" and issuer("2221000000000009") == "Mastercard"
    assert issuer("371449635398431") == "American Express" and issuer("9111111111111111") is None


def test_a_card_message_shows_only_the_last_four_digits() -> None:
    [finding] = find_leaks("visa 4111 1111 1111 1111")
    assert "1111 1111" not in finding.message and "4111" not in finding.message


GITHUB = "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
GOOGLE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
OPENAI = "sk-proj-" + "Tq9f3Kz81LmNoPqRsTuVwXyZ0123456789abcd"
SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkJ1ZGkifQ."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")


@pytest.mark.parametrize("value, kind", [
    (GITHUB, "leak.credential.github"), (AWS, "leak.credential.aws"), (GOOGLE, "leak.credential.google"),
    (STRIPE, "leak.credential.stripe"), (OPENAI, "leak.credential.openai"), (SLACK, "leak.credential.slack"),
    (JWT, "leak.credential.jwt"),
])
def test_it_finds_known_token_formats_and_masks_them(value: str, kind: str) -> None:
    text = f"deploy pakai {value} ya"
    [finding] = find_leaks(text)
    assert (finding.kind, text[finding.span[0]:finding.span[1]]) == (kind, value)
    assert value not in finding.message and value[6:-2] not in finding.message
    assert finding.severity == "critical"


def test_it_finds_a_private_key_block_whole() -> None:
    block = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"
    text = f"ini key server:\n{block}\nmakasih"
    assert kinds(text) == [("leak.private_key", block)]


@pytest.mark.parametrize("text, value", [
    ("password: Hunter2024!", "Hunter2024!"),
    ("kata sandi = R4hasia#99", "R4hasia#99"),
    ("sandinya Bandung2026 ya", "Bandung2026"),
    ("api_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
    ("the wifi password is Kopi-Susu-88.", "Kopi-Susu-88"),
])
def test_it_finds_a_secret_given_after_a_secret_word(text: str, value: str) -> None:
    assert kinds(text) == [("leak.credential.secret", value)]


@pytest.mark.parametrize("text", [
    "Did you try resetting your password here: https://accounts.google.com/signin/v2/recoveryidentifier",
    "Chase Online passwords are case sensitive.",
    "Password is required to continue",
    "tokennya sudah kami kirim lewat email",
    "Secretary of State Rex Tillerson",
    "PIN 4 digit, jangan dibagikan",
    "Try these tips if you can't receive your verification code: https://support.example.com",
    "https://t.co/2rT0l9N9Cu",
])
def test_it_leaves_prose_about_passwords_alone(text: str) -> None:
    assert kinds(text) == []


def test_looks_like_secret() -> None:
    assert looks_like_secret("hunter2xY") and looks_like_secret("Kopi-Susu-88")
    assert not looks_like_secret("sensitive") and not looks_like_secret("12345678")
    assert not looks_like_secret("https://example.com/a1")


@pytest.mark.parametrize("text, value", [
    ("buka http://jira.corp.bankku.co.id/browse/OPS-12", "jira.corp.bankku.co.id"),
    ("db ada di db01.internal sekarang", "db01.internal"),
    ("printer kantor printer3.local", "printer3.local"),
    ("intranet.bankku.co.id lagi down", "intranet.bankku.co.id"),
    ("server 10.12.0.5 mati", "10.12.0.5"),
    ("psql -h 192.168.1.20:5432", "192.168.1.20:5432"),
    ("coba 172.16.4.1 dulu", "172.16.4.1"),
    ("jalan di localhost:8080 kok", "localhost:8080"),
    ("dev di http://127.0.0.1:5000/admin", "http://127.0.0.1:5000/admin"),
    ("build gagal di http://jenkins:8080/job/x", "http://jenkins:8080/job/x"),
    ("cek http://intranet/hr ya", "http://intranet/hr"),
])
def test_it_finds_internal_hosts(text: str, value: str) -> None:
    assert kinds(text) == [("leak.internal_host", value)]


@pytest.mark.parametrize("text", [
    "Mac OS X 10.5.7 or later", "versi 10.15.7.300 rilis", "192.169.1.1 is public", "172.32.0.1 is public",
    "Tanggal 10.12.2026", "the local news", "www.corp.com is our site", "skor 10.0.0.1000",
])
def test_it_leaves_versions_public_addresses_and_words_alone(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize("text, value", [
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("DB_PASSWORD=s3cr3tPass!", "s3cr3tPass!"),
    ('SECRET_KEY = "django-insecure-8f7a6s5d4f3g2h1j"', "django-insecure-8f7a6s5d4f3g2h1j"),
    ('{"password": "abc123XYZ"}', "abc123XYZ"),
])
def test_it_finds_secrets_in_pasted_config(text: str, value: str) -> None:
    assert kinds(text) == [("leak.credential.secret", value)]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["4", "51", "55", "2221", "6011", "3530"]), st.data())
def test_property_every_luhn_valid_sixteen_digit_card_is_found(prefix: str, data: st.DataObject) -> None:
    body = prefix + data.draw(st.text(alphabet="0123456789", min_size=15 - len(prefix), max_size=15 - len(prefix)))
    number = body + next(d for d in "0123456789" if luhn_valid(body + d))
    grouped = " ".join(number[i:i + 4] for i in range(0, 16, 4))
    text = f"kartu kredit {grouped} exp 09/28"
    assert kinds(text) == [("leak.card", grouped)]


@pytest.mark.parametrize("text, value", [
    ("Masukkan PIN: 123456", "123456"),
    ("OTP kamu 483920, jangan kasih siapa-siapa", "483920"),
    ("kode verifikasi 7731", "7731"),
    ("pw: abc123XYZ", "abc123XYZ"),
])
def test_it_finds_codes_and_short_password_words(text: str, value: str) -> None:
    [(kind, found)] = kinds(text)
    assert kind.startswith("leak.credential.") and found == value


def test_an_internal_host_after_a_user_name_is_found() -> None:
    assert kinds("ssh deploy@build01.corp") == [("leak.internal_host", "build01.corp")]
