"""Entities named in an item: the organisation's own, then other people and organisations.

The organisation's own names, handles, products and executives come from its configuration
(:class:`OrgProfile`) and are matched exactly (whole words, any case). Others are found with light
heuristics, no NLP model: capitalised word sequences, read with Indonesian and English honorifics and
titles (Bapak, Ibu, Menteri, Dirut, CEO, ...) marking a person, company forms (PT, Tbk, Persero, Inc, Ltd)
and institution words (Bank, Kementerian, Ministry) marking an organisation, and a list of well-known
Indonesian institutions (OJK, Kominfo, KPPU, ...). Headlines are in Title Case, so in a title only those
markers count, never a bare capitalised sequence.

Kinds: ``own_organization``, ``own_handle``, ``own_product``, ``own_executive``, ``person``,
``organization``. Each :class:`Entity` carries the reason it was recognised.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HONORIFICS = frozenset("bapak pak ibu bu sdr sdri saudara saudari mr mrs ms dr prof h hj kak mas mbak".split())
TITLES = frozenset(
    """menteri wamen dirut direktur presdir ceo cfo cto coo founder pendiri presiden wapres gubernur bupati
    walikota kapolri kapolda kapolres ketua komisaris jubir sekjen kepala chairman chairwoman minister
    president governor senator sekretaris manajer manager juru bicara spokesperson ekonom pengamat analis
    peneliti dosen profesor economist analyst researcher professor secretary sekper""".split()
)
TITLE_MODIFIERS = frozenset("utama wakil umum jenderal executive eksekutif bicara corporate senior chief".split())
OFFICE_WORDS = frozenset(
    """keuangan bumn perdagangan kesehatan komunikasi digital informatika luar dalam negeri pertahanan
    perhubungan agama sosial pendidikan ketenagakerjaan perindustrian pertanian hukum ham investasi
    koperasi ukm pariwisata energi esdm pupr kelautan perikanan dpr mpr ri indonesia of the for and dan
    home affairs finance trade health foreign""".split()
)
ORG_SUFFIXES = frozenset("tbk inc corp corporation ltd llc plc gmbh limited bhd berhad holdings group grup co".split())
# words that end an organisation's name in English: "Securities and Exchange Commission", "New York Times"
ORG_TAILS = frozenset(
    """commission authority agency association council institute foundation times post journal news bank
    university college court police party ministry department office bureau exchange fund capital
    partners securities airlines airways motors telecom""".split()
)
ORG_PREFIXES = frozenset(
    """pt cv bank kementerian kemenkeu kemnaker badan komisi dinas universitas institut yayasan lembaga
    asosiasi serikat pemerintah pemprov pemkot pemkab polda polres pengadilan mahkamah ministry
    department university agency commission association union council otoritas bursa kantor kepolisian
    kejaksaan komnas dewan partai federasi konfederasi perusahaan federation authority""".split()
)
INSTITUTIONS = frozenset(
    """ojk kominfo komdigi kppu kpk bssn ylki polri tni dpr mpr bpk bpom bi bappenas kemenkeu kemnaker
    kemendag kemenkes bei idx lps djp pln pertamina telkom bumn sec ftc fbi eu""".split()
)
PLACES = frozenset(
    """indonesia jakarta surabaya bandung medan bali jawa sumatera sumatra sulawesi kalimantan papua
    yogyakarta jogja semarang makassar palembang batam tangerang bekasi depok bogor barat timur utara
    selatan tengah raya singapura singapore malaysia asia amerika america eropa europe china tiongkok
    jepang japan dki nusantara""".split()
)
COMMON = frozenset(
    """ini itu saat namun menurut sementara selain dalam pada di ke dari kami saya kita mereka dia hal sejak
    setelah sebelum karena jika kalau apa bagaimana kenapa mengapa tidak ada para sebanyak hingga sampai
    bahkan adapun sebelumnya kemudian lalu juga yang untuk dengan akibat pelanggan layanan warganet netizen
    kata ujar jelas tambah terkait meski walau sedangkan tapi tetapi sehingga agar oleh bagi kepada tentang
    the this that these those a an in on at for from with after before when while but and or if it we i he
    she they our my your his her their its some many according meanwhile however today yesterday also as
    senin selasa rabu kamis jumat sabtu minggu monday tuesday wednesday thursday friday saturday sunday
    januari februari maret april mei juni juli agustus september oktober november desember january
    february march june july august october december rp usd idr""".split()
)
CONNECTORS = frozenset({"of", "for", "de", "van", "bin", "binti"})
_CAP_TOKEN = r"(?:[A-Z][a-z]{0,3}\.|[A-Z][\w'’&-]*|\([A-Z][a-z]+\))"
_INITIAL = re.compile(r"[A-Z]\.")
_CONNECTOR = r"(?:[ \t]+(?:of|for|de|van|bin|binti))?"  # "Ministry of Finance", "Ahmad bin Ali"
_CAP_SEQ = re.compile(rf"{_CAP_TOKEN}(?:{_CONNECTOR}[ \t]+{_CAP_TOKEN})*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”\n]\s*)$")


class OrgConfigError(ValueError):
    """An organisation file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Executive:
    name: str
    title: str | None = None
    handles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrgProfile:
    """Who "we" are: names, handles, products and executives to recognise in what is said."""

    name: str
    aliases: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    executives: tuple[Executive, ...] = ()

    def executive_terms(self) -> list[str]:
        """Names and handles of the executives (for the ``executive`` topic group)."""
        return [term for e in self.executives for term in (e.name, *(h.lstrip("@") for h in e.handles))]


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    kind: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind}


def _strings(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise OrgConfigError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def _executive(raw: Any, where: str) -> Executive:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise OrgConfigError(f"{where}: each executive needs a 'name'")
    title = raw.get("title")
    if title is not None and not isinstance(title, str):
        raise OrgConfigError(f"{where}: executive {raw['name']!r}: 'title' must be a string")
    return Executive(raw["name"], title, _strings(raw, "handles", f"{where}: executive {raw['name']!r}"))


def org_from_mapping(raw: dict[str, Any], where: str = "organisation") -> OrgProfile:
    org = raw.get("organization", raw)
    if not isinstance(org, dict) or not isinstance(org.get("name"), str) or not org["name"].strip():
        raise OrgConfigError(f"{where}: the organisation needs a 'name'")
    executives = raw.get("executives", org.get("executives", []))
    if not isinstance(executives, list):
        raise OrgConfigError(f"{where}: 'executives' must be a list of tables")
    return OrgProfile(org["name"], _strings(org, "aliases", where), _strings(org, "handles", where),
                      _strings(org, "products", where), tuple(_executive(e, where) for e in executives))


def load_org(path: str | Path) -> OrgProfile:
    """An :class:`OrgProfile` from a TOML or JSON file (see docs/listening.md for the shape)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        raw = json.loads(text) if str(path).endswith(".json") else tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise OrgConfigError(f"cannot read organisation file {path}: {exc}") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise OrgConfigError(f"{path} is not valid TOML/JSON: {exc}") from None
    return org_from_mapping(raw, str(path))


def _phrase(term: str) -> re.Pattern[str]:
    body = r"[\s_-]*".join(re.escape(word) for word in term.split())
    return re.compile(rf"(?<![\w@]){body}(?![\w])", re.IGNORECASE)


def _handle(handle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@])@{re.escape(handle.lstrip('@'))}(?!\w)", re.IGNORECASE)


def _own_checks(org: OrgProfile) -> list[tuple[str, str, list[re.Pattern[str]], str]]:
    """(canonical name, kind, patterns, why) for each own entity; aliases report the canonical name."""
    checks = [(org.name, "own_organization", [_phrase(n) for n in (org.name, *org.aliases)],
               "the organisation's name")]
    checks += [(h if h.startswith("@") else "@" + h, "own_handle", [_handle(h)], "the organisation's handle")
               for h in org.handles]
    checks += [(p, "own_product", [_phrase(p)], "a product of the organisation") for p in org.products]
    for e in org.executives:
        role = f"executive{' (' + e.title + ')' if e.title else ''}"
        patterns = [_phrase(e.name)] + [_handle(h) for h in e.handles]
        checks.append((e.name, "own_executive", patterns, f"the organisation's {role}"))
    return checks


def own_entities(text: str, org: OrgProfile) -> list[Entity]:
    """The organisation's own names, handles, products and executives found in ``text``."""
    found: list[Entity] = []
    for name, kind, patterns, why in _own_checks(org):
        match = next((m for p in patterns if (m := p.search(text))), None)
        if match is not None:
            found.append(Entity(name, kind, f"'{match.group(0)}' is {why}"))
    return found


def _words(seq: str) -> list[str]:
    return [w.strip("’',") for w in seq.split()]


def _low(token: str) -> str:
    return token.lower().rstrip(".")


def _strip_title(tokens: list[str]) -> tuple[list[str], str | None]:
    """Leading honorifics/titles (and the office they head) removed; the title found, if any."""
    title = None
    while tokens and (_low(tokens[0]) in HONORIFICS | TITLES | TITLE_MODIFIERS):
        title = title or tokens[0]
        tokens = tokens[1:]
    if title and _low(title) in TITLES:
        while (len(tokens) > 1 and _low(tokens[0]) not in ORG_PREFIXES
               and (_low(tokens[0]) in OFFICE_WORDS | INSTITUTIONS or tokens[0].isupper())):
            tokens = tokens[1:]
    return tokens, title


def _organisation(tokens: list[str]) -> str | None:
    lower = [_low(t) for t in tokens]
    if len(tokens) >= 2 and (lower[0] in ORG_PREFIXES or lower[-1] in ORG_SUFFIXES or "(persero)" in lower):
        return "company form or institution word"
    if len(tokens) >= 2 and lower[-1] in ORG_TAILS:
        return f"a name ending in '{tokens[-1]}'"
    if len(tokens) == 1 and lower[0] in INSTITUTIONS:
        return "a known institution"
    return None


def _is_name(tokens: list[str]) -> bool:
    names = [t for t in tokens if t not in CONNECTORS]
    words = [t for t in names if not _INITIAL.fullmatch(t)]
    return (1 <= len(names) <= 4 and not any(_low(w) in COMMON | PLACES | ORG_SUFFIXES for w in words)
            and all(t[:1].isupper() and (not t.isupper() or _INITIAL.fullmatch(t)) for t in names)
            and not all(_INITIAL.fullmatch(t) for t in names))


def _title_split(tokens: list[str]) -> tuple[list[str], list[str], str] | None:
    """(organisation before the title, person after it, the title) when a title sits inside the sequence."""
    for index, token in enumerate(tokens):
        if _low(token) in HONORIFICS | TITLES:
            rest, title = _strip_title(tokens[index:])
            start = index
            while start > 0 and _low(tokens[start - 1]) in TITLE_MODIFIERS:  # "Corporate Secretary"
                start -= 1
            return tokens[:start], rest, title or token
    return None


def _org_entity(tokens: list[str], why: str) -> Entity:
    while len(tokens) > 1 and _INITIAL.fullmatch(tokens[0]):  # "U.S. Securities ..." splits as "U." "S. ..."
        tokens = tokens[1:]
    return Entity(" ".join(tokens), "organization", f"'{' '.join(tokens)}': {why}")


def _titled(before: list[str], person: list[str], title: str) -> list[Entity]:
    """Entities around a title: "Tesla CEO Elon Musk", "Mr. John Smith of Globex Corp"."""
    found = []
    if before and (_organisation(before) or _is_name(before)):
        found.append(_org_entity(before, f"named with the title '{title}'"))
    if person and _low(person[0]) in ORG_PREFIXES:  # "Dirut PT Contoh Jaya": the office, not the person
        # "Ekonom Universitas Indonesia Faisal Basri": an Indonesian institution's name often ends in a place
        end = next((i for i, t in enumerate(person) if i > 0 and _low(t) in PLACES), None)
        if end is None or not _is_name(person[end + 1:]):
            return [*found, _org_entity(person, f"company form, named with the title '{title}'")]
        found.append(_org_entity(person[:end + 1], f"institution named with the title '{title}'"))
        person = person[end + 1:]
    cut = next((i for i, token in enumerate(person) if token in ("of", "for")), None)
    if cut is not None:
        person, employer = person[:cut], person[cut + 1:]
        if employer and (_organisation(employer) or _is_name(employer)):
            found.append(_org_entity(employer, f"named as {' '.join(person)}'s organisation"))
    if person and _is_name(person):
        found.append(Entity(" ".join(person), "person",
                            f"'{' '.join(person)}' follows the title or honorific '{title}'"))
    return found


def _classify(seq: str, at_start: bool, in_title: bool) -> list[Entity]:
    tokens = _words(seq)
    if at_start and tokens and _low(tokens[0]) in COMMON:
        tokens = tokens[1:]
    if not tokens:
        return []
    split = _title_split(tokens)
    if split and split[1]:
        return _titled(*split)
    if why := _organisation(tokens):
        return [_org_entity(tokens, why)]
    if not in_title and len(tokens) >= 2 and _is_name(tokens):
        return [Entity(" ".join(tokens), "person", f"'{' '.join(tokens)}': a capitalised name")]
    return []


def other_entities(text: str, *, in_title: bool = False) -> list[Entity]:
    """People and organisations named in ``text`` by the capitalisation heuristics."""
    found = []
    for match in _CAP_SEQ.finditer(text):
        at_start = bool(_SENTENCE_END.search(text[:match.start()]))
        found += _classify(match.group(0), at_start, in_title)
    return found


def find_entities(text: str, title: str | None = None, org: OrgProfile | None = None) -> list[Entity]:
    """Own entities first, then others, each name once. A name that contains or is part of one of the
    organisation's own names ("Aplikasi Bank Contoh", "Budi") is left to the own entity."""
    whole = f"{title}\n{text}" if title else text
    found = own_entities(whole, org) if org else []
    if title:
        found += other_entities(title, in_title=True)
    found += other_entities(text)
    return _unique(found, _own_forms(org) if org else set())


def _own_forms(org: OrgProfile) -> set[str]:
    names = (org.name, *org.aliases, *org.products, *(e.name for e in org.executives))
    return {name.casefold() for name in names}


def _covered(entity: Entity, own_forms: set[str]) -> bool:
    name = entity.name.casefold()
    words = set(name.split())
    return any(own in name or name in own.split() or words <= set(own.split()) for own in own_forms)


def _unique(found: list[Entity], own_forms: set[str]) -> list[Entity]:
    seen: set[str] = set()
    result = []
    for entity in found:
        key = entity.name.casefold()
        if key in seen or (not entity.kind.startswith("own_") and _covered(entity, own_forms)):
            continue
        seen.add(key)
        result.append(entity)
    return result
