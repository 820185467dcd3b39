"""Indonesian personal data: NIK, NPWP, mobile phone numbers, e-mail and home addresses, bank accounts.

Each detector checks structure, not just length, because posts are full of harmless digit runs (order and
ticket numbers, timestamps, tweet ids, prices) and a false alarm on every one of them would teach people
to ignore the screen.
"""

from __future__ import annotations

import re

from kawal.engine.records import Finding
from kawal.engine.screen.leaks.common import Span, digits, make, mask, overlaps, preceded_by_tag

# Province codes (Kemendagri), the first two digits of a NIK. 91-96 are Papua and the provinces split from it
# (92 Papua Barat; 93-96 created in 2022).
PROVINCES = frozenset(
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 75 76 81 82 "
    "91 92 93 94 95 96".split()
)
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29: YY does not tell the century

# 16 digits, contiguous or in groups of four (spaces, dots or dashes), not part of a longer word or number.
NIK_RE = re.compile(r"(?<![\w.,-])(\d{16}|\d{4}([ .-])\d{4}\2\d{4}\2\d{4}|\d{6}([ .-])\d{6}\3\d{4})(?![\w]|[.,-]\d)")
NIK_WORD_RE = re.compile(r"\b(?:NIK|KTP|e-?KTP|no\.? ?induk|nomor induk)\b", re.IGNORECASE)
# Right after the word NIK/KTP any grouping of the 16 digits counts ("31.74.05.520385.0002").
NIK_LOOSE_RE = re.compile(r"(?<![\w.,-])\d(?:[ .-]?\d){15}(?![\w]|[.,-]\d)")

NPWP_FORMATTED_RE = re.compile(r"(?<![\w.-])\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}(?![\w]|[.-]\d)")
NPWP_BARE_RE = re.compile(r"(?<![\w.,-])(?:\d{15}|\d{16})(?![\w]|[.,-]\d)")
NPWP_WORD_RE = re.compile(r"\bNPWP\b", re.IGNORECASE)

# Mobile prefixes of the Indonesian operators after the leading 0 / 62:
# Telkomsel 811-813, 821-823, 851-853; Indosat 814-816, 855-858; XL 817-819, 859, 877-878;
# Axis 831-833, 838; Smartfren 881-889; Tri 895-899.
MOBILE_PREFIX = r"8(?:1[1-9]|2[1-3]|3[1-38]|5[1-35-9]|7[78]|8[1-9]|9[5-9])"
SEP = r"[ .-]?"
PHONE_RE = re.compile(
    rf"(?<![\w+])(?:\+62{SEP}\(?0?|62{SEP}\(?|\(?0)(?:{MOBILE_PREFIX})\)?(?:{SEP}\d){{6,9}}(?![\w]|[.,-]\d)"
    rf"|(?<![\w+])\+62{SEP}\(?0?\)?{SEP}[2-9]\d{{0,2}}(?:{SEP}\d){{6,8}}(?![\w]|[.,-]\d)"
)

# "budi[at]gmail.com", "budi (at) gmail (dot) com": written to dodge scrapers, still a person's address.
EMAIL_OBFUSCATED_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}\s?[\[(]\s?at\s?[\])]\s?[A-Za-z0-9-]+"
    r"(?:(?:\.|\s?[\[(]\s?dot\s?[\])]\s?)[A-Za-z0-9-]+)+\b",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# Mailboxes of a function rather than a person: an organisation publishing its own support address is not a
# leak. Matched against the start of the local part.
ROLE_MAILBOXES = (
    "abuse", "admin", "billing", "care", "contact", "cs", "customer", "feedback", "halo", "hello", "help",
    "hubungi", "humas", "info", "kontak", "layanan", "legal", "marketing", "media", "news", "noreply",
    "no-reply", "office", "pengaduan", "postmaster", "press", "privacy", "redaksi", "report", "sales",
    "security", "service", "support", "team", "tim", "webmaster",
)

BANKS = (r"BCA|BRI|BNI|Mandiri|BSI|CIMB(?:\s+Niaga)?|Danamon|Permata|BTN|Jago|Jenius|SeaBank|Muamalat|OCBC(?:\s+NISP)?"
         r"|Maybank|Panin|Mega|BPD\s+\w+|Bank\s+\w+")
# An account number needs the word for it: 10-16 digits on their own are any id.
BANK_ACCOUNT_RE = re.compile(
    rf"\b(?:no(?:mor)?\.?\s*)?(?:rek(?:ening)?\.?|norek|account(?:\s+(?:no\.?|number))?|acc\.?\s*no\.?)"
    r"(?:\s+(?:saya|aku|gue|gw|kamu|anda|kami|atas\s+nama\s+\w+|di|ke))*"
    rf"\s*(?:(?:{BANKS})\s*)?[:.]?\s*(?P<number>\d(?:[ .-]?\d){{9,15}})(?![\w]|[.,-]\d)",
    re.IGNORECASE,
)

ADDRESS_RES = (
    # Jl. Melati Raya No. 12 / Jalan Kenanga 5 No 3A / Gg. Mawar No.7 / Jln. Sudirman Kav. 52-53
    re.compile(
        r"\b(?:Jl\.?|Jln\.?|Jalan|Gg\.?|Gang)\s+(?:[A-Z0-9][\w'.-]*\s+){1,5}?(?:,\s*)?(?:No|Kav)\.?\s*\d{1,4}"
        r"(?:-\d{1,4}|[A-Za-z])?\b"
    ),
    # RT 003/RW 007, RT.03 RW.05, RT 3 / RW 12
    re.compile(r"\bRT\.?\s*0*\d{1,3}\s*(?:/|,)?\s*RW\.?\s*0*\d{1,3}\b", re.IGNORECASE),
    # Blok C2 No. 15, Blok B3/12 (housing estates)
    re.compile(r"\b(?:Blok|Blk\.?)\s+[A-Z]{1,2}\d{0,3}(?:\s*/\s*(?:No\.?\s*)?|\s*,?\s*No\.?\s*)\d{1,4}\b"),
)


def plausible_nik(number: str) -> bool:
    """True when 16 digits have a NIK's structure: province, regency, district, birth date, serial."""
    if len(number) != 16 or number[:2] not in PROVINCES:
        return False
    regency, district = int(number[2:4]), int(number[4:6])
    day, month, serial = int(number[6:8]), int(number[8:10]), int(number[12:16])
    if day > 40:  # women: day of birth + 40
        day -= 40
    return (1 <= regency <= 79 and district >= 1 and 1 <= month <= 12 and 1 <= day <= DAYS_IN_MONTH[month - 1]
            and serial >= 1)


def find_nik(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    loose = [m for m in NIK_LOOSE_RE.finditer(text) if NIK_WORD_RE.search(text, max(0, m.start() - 20), m.start())]
    for m in sorted([*NIK_RE.finditer(text), *loose], key=lambda m: m.start()):
        number = digits(m.group())
        if overlaps(m.span(), skip) or preceded_by_tag(text, m.start()) or not plausible_nik(number):
            continue
        if overlaps(m.span(), [f.span for f in found if f.span]):
            continue
        found.append(make("leak.nik", "high", m.span(),
                          f"Looks like a national ID number (NIK {mask(number)}): province {number[:2]}, a "
                          "valid birth date and serial. Publishing someone's NIK exposes them to identity fraud."))
    return found


def find_npwp(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for m in NPWP_FORMATTED_RE.finditer(text):
        if not overlaps(m.span(), skip):
            found.append(_npwp_finding(m.span(), digits(m.group())))
    for m in NPWP_BARE_RE.finditer(text):
        # A bare 15/16-digit run is only a tax number when the text says so; otherwise it is any id.
        if overlaps(m.span(), skip) or not NPWP_WORD_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        found.append(_npwp_finding(m.span(), m.group()))
    return found


def _npwp_finding(span: Span, number: str) -> Finding:
    return make("leak.npwp", "high", span,
                f"Looks like a tax ID number (NPWP {mask(number)}). A taxpayer number is personal data "
                "under UU PDP and must not be published.")


def find_phone(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for m in PHONE_RE.finditer(text):
        if overlaps(m.span(), skip) or preceded_by_tag(text, m.start()):
            continue
        number = digits(m.group())
        found.append(make("leak.phone", "medium", m.span(),
                          f"Looks like an Indonesian phone number ({mask(number)}). If it belongs to a person "
                          "rather than your public service line, publishing it is a personal data leak."))
    return found


def is_role_mailbox(address: str) -> bool:
    """True for addresses of a function (support@, humas@, reportphish@) rather than of a person."""
    local = address.split("@", 1)[0].lower()
    return local.startswith(ROLE_MAILBOXES)


def find_email(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for m in [*EMAIL_RE.finditer(text), *EMAIL_OBFUSCATED_RE.finditer(text)]:
        local, domain = re.split(r"@|\s?[\[(]\s?at\s?[\])]\s?", m.group(), maxsplit=1, flags=re.IGNORECASE)
        if overlaps(m.span(), skip) or is_role_mailbox(local + "@"):
            continue
        found.append(make("leak.email", "medium", m.span(),
                          f"Contains a personal e-mail address ({mask(local, 1, 0)}@{domain}). Publishing a "
                          "person's address invites spam and phishing; use a team mailbox instead."))
    return found


def find_address(text: str, skip: list[Span]) -> list[Finding]:
    found: list[Finding] = []
    for pattern in ADDRESS_RES:
        for m in pattern.finditer(text):
            if overlaps(m.span(), skip) or overlaps(m.span(), [f.span for f in found if f.span]):
                continue
            found.append(make("leak.address", "medium", m.span(),
                              "Looks like a street address (street and house number or RT/RW). If it is "
                              "someone's home, publishing it can put them at risk."))
    return found


def find_bank_account(text: str, skip: list[Span]) -> list[Finding]:
    found = []
    for m in BANK_ACCOUNT_RE.finditer(text):
        span = m.span("number")
        if overlaps(span, skip):
            continue
        found.append(make("leak.bank_account", "medium", span,
                          f"Looks like a bank account number ({mask(digits(m.group('number')), 0, 3)}). If it is "
                          "a person's account rather than your published payment account, it is personal data."))
    return found


DETECTORS = (find_nik, find_npwp, find_phone, find_email, find_address, find_bank_account)
