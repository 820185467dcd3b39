"""Dedupe: a syndicated story and a post seen twice count once; different complaints stay separate."""

from __future__ import annotations

from kawal.engine.records import Item
from kawal.sources.dedupe import Deduper, canonical_url, minhash, normalise_title, similarity, words

BODY = (
    "Aplikasi pembayaran XYZ mengalami gangguan sejak Selasa malam sekitar pukul 19.00 WIB. Ribuan pelanggan "
    "mengeluhkan tidak bisa login dan transaksi gagal, sementara saldo sebagian pelanggan terpotong meski "
    "pembayaran tidak berhasil. Direktur Utama XYZ Budi Santoso menyatakan tim teknis sedang menangani "
    "masalah tersebut dan meminta maaf kepada seluruh pelanggan atas ketidaknyamanan yang terjadi. Ia "
    "memastikan dana nasabah aman dan saldo yang terpotong akan dikembalikan paling lambat dalam tiga hari "
    "kerja. Otoritas Jasa Keuangan meminta XYZ segera memulihkan layanan dan melaporkan penyebab gangguan."
)


def _news(ident: str, title: str, url: str, text: str = BODY, source: str = "feed") -> Item:
    return Item(id=ident, title=title, url=url, text=text, source=source, kind="news")


def test_canonical_url_drops_tracking_fragments_and_mobile_hosts():
    plain = "https://warta.example/ekonomi/xyz-gangguan"
    for variant in (
        "http://www.warta.example/ekonomi/xyz-gangguan/?utm_source=twitter&utm_medium=social#komentar",
        "https://m.warta.example/ekonomi/xyz-gangguan?fbclid=IwAR0abc",
        "https://warta.example/ekonomi/xyz-gangguan/amp",
        "https://WARTA.example:443/ekonomi/xyz-gangguan?gclid=1&_ga=2",
    ):
        assert canonical_url(variant) == plain
    assert canonical_url("https://warta.example/read?id=2&page=1") == "https://warta.example/read?id=2&page=1"
    assert canonical_url("https://warta.example/read?page=1&id=2") == "https://warta.example/read?id=2&page=1"
    assert canonical_url("https://warta.example/read?id=3") != canonical_url("https://warta.example/read?id=2")


def test_normalise_title_drops_outlet_suffix_and_punctuation():
    assert normalise_title("Layanan XYZ Gangguan, Pelanggan Tak Bisa Transaksi - Warta Ekonomi") == \
        "layanan xyz gangguan pelanggan tak bisa transaksi"
    assert normalise_title("LAYANAN XYZ GANGGUAN: Pelanggan Tak Bisa Transaksi!") == \
        "layanan xyz gangguan pelanggan tak bisa transaksi"


def test_minhash_is_close_for_small_edits_and_far_for_rewritten_text():
    base = minhash(words(BODY))
    edited = minhash(words("Jakarta, Kabar Contoh -- " + BODY.replace("tiga hari", "3 hari")))
    rewritten = minhash(words(" ".join(reversed(BODY.split()))))
    assert minhash(words(BODY)) == base
    assert similarity(base, edited) >= 0.7
    assert similarity(base, rewritten) < 0.2


def test_a_syndicated_article_with_tracking_and_a_new_title_counts_once():
    deduper = Deduper()
    original = _news("w-1", "Layanan XYZ Gangguan, Pelanggan Tak Bisa Transaksi",
                     "https://warta.example/ekonomi/xyz-gangguan")
    shared = _news("w-1b", "Layanan XYZ Gangguan, Pelanggan Tak Bisa Transaksi - Warta",
                   "https://warta.example/ekonomi/xyz-gangguan?utm_source=wa&utm_campaign=share")
    partner = _news("p-77", "Pelanggan XYZ Tak Bisa Transaksi Akibat Gangguan Sejak Selasa Malam",
                    "https://partner.example/read/77?ref=warta", "Jakarta, Partner -- " + BODY)
    assert not deduper.check(original).is_duplicate
    url_verdict = deduper.check(shared)
    assert url_verdict.duplicate_of == "w-1" and "same article URL" in (url_verdict.reason or "")
    text_verdict = deduper.check(partner)
    assert text_verdict.duplicate_of == "w-1" and "near-identical text" in (text_verdict.reason or "")


def test_the_same_title_on_another_site_counts_once():
    deduper = Deduper()
    deduper.check(_news("a", "Bank Contoh Umumkan PHK 300 Karyawan", "https://a.example/1", text="Ringkas."))
    verdict = deduper.check(_news("b", "Bank Contoh umumkan PHK 300 karyawan | Kabar", "https://b.example/9",
                                  text="Berbeda."))
    assert verdict.duplicate_of == "a" and verdict.reason == "same title"


def test_a_post_seen_twice_counts_once_but_identical_complaints_by_different_people_do_not():
    deduper = Deduper()
    post = Item(id="1790", text="@xyz gak bisa login dari tadi", source="mastodon", author="ani")
    assert not deduper.check(post).is_duplicate
    assert deduper.check(Item(id="1790", text=post.text, source="mastodon", author="ani")).duplicate_of == "1790"
    for n, author in enumerate(("budi", "citra", "dewi")):
        assert not deduper.check(Item(id=f"18{n}", text=post.text, source="mastodon", author=author)).is_duplicate


def test_different_articles_are_not_merged():
    deduper = Deduper()
    deduper.check(_news("a", "Layanan XYZ Gangguan, Pelanggan Tak Bisa Transaksi", "https://a.example/1"))
    other_body = ("Serikat pekerja PT Contoh Jaya mengancam mogok kerja pekan depan setelah perundingan upah "
                  "dengan manajemen menemui jalan buntu. Ketua serikat menyebut tuntutan kenaikan upah sepuluh "
                  "persen ditolak, sementara perusahaan beralasan kondisi keuangan sedang tertekan akibat "
                  "penurunan permintaan ekspor. Dinas Ketenagakerjaan setempat berencana memediasi kedua pihak "
                  "agar mogok tidak mengganggu produksi dan pengiriman ke pelanggan di luar negeri.")
    verdict = deduper.check(_news("b", "Serikat Pekerja Contoh Jaya Ancam Mogok", "https://a.example/2", other_body))
    assert not verdict.is_duplicate
