"""Stories are stored once across runs: the dedupe keys are persisted, so a copy that arrives days later,
under another title and address, is still linked to the first story; short posts are never merged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kawal.apps.listening.ingest import store_items
from kawal.apps.listening.models import ListenItem
from kawal.engine.records import Item

pytestmark = pytest.mark.django_db

LONG = ("Bank Contoh mengumumkan pemutusan hubungan kerja terhadap sekitar dua ratus karyawan di kantor pusat "
        "Jakarta sebagai bagian dari restrukturisasi. Serikat pekerja menyatakan keberatan dan meminta "
        "perundingan ulang, sementara manajemen menyebut pesangon akan dibayar sesuai aturan yang berlaku. "
        "Kementerian Ketenagakerjaan memantau proses tersebut dan meminta kedua pihak menahan diri. "
        "Rapat lanjutan dijadwalkan pekan depan di kantor dinas setempat.")


def test_a_rewritten_copy_is_linked_by_its_text(org):
    first = store_items(org, [Item(id="a", title="Bank Contoh PHK 200 karyawan", text=LONG,
                                   url="https://warta.example/phk", published_at=datetime(2026, 11, 20, tzinfo=UTC))],
                        source="https://warta.example/rss")
    assert first.new == 1
    copy = store_items(org, [Item(id="b", title="Ratusan pegawai Bank Contoh terkena PHK",
                                  text="JAKARTA, KABAR - " + LONG.replace("sekitar", "kurang lebih"),
                                  url="https://kabar.example/2026/11/21/phk")], source="https://kabar.example/rss")
    assert (copy.new, copy.duplicates) == (0, 1)
    row = ListenItem.objects.get(external_id="b")
    assert row.duplicate_of.external_id == "a" and row.duplicate_reason.startswith("near-identical text")


def test_short_posts_with_the_same_words_are_separate_complaints(org):
    posts = [Item(id=str(n), text="gak bisa login", author=f"@u{n}") for n in range(3)]
    result = store_items(org, posts, source="mastodon")
    assert result.new == 3 and not ListenItem.objects.filter(duplicate_of__isnull=False).exists()
    again = store_items(org, posts, source="mastodon")
    assert (again.new, again.seen) == (0, 3)
