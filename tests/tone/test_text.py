"""Normalisation, tokenisation and feature hashing shared by training and inference."""

import numpy as np

from kawal.engine.screen import text


def test_it_maps_alay_spelling_and_slang_to_standard_forms() -> None:
    assert text.tokenize("G0bl0k") == ["goblok"]
    assert text.tokenize("anjiiiing") == ["anjing"]
    assert text.tokenize("bgst") == ["bangsat"]
    assert text.tokenize("gk bgt") == ["tidak", "banget"]
    assert text.tokenize("makasiiih") == ["terima", "kasih"]


def test_it_keeps_ordinary_words_and_english_untouched() -> None:
    assert text.tokenize("Cool food, good price") == ["cool", "food", "good", "price"]
    assert text.tokenize("Pelayanan cepat") == ["pelayanan", "cepat"]


def test_it_replaces_urls_and_mentions_and_splits_hashtags() -> None:
    tokens = text.tokenize("@budi_s lihat https://example.com/x?y=1 #TidakBecus")
    assert tokens == ["xuser", "lihat", "xurl", "tidak", "becus"]


def test_it_unescapes_html_entities() -> None:
    assert "&amp;" not in " ".join(text.tokenize("kopi &amp; teh"))


def test_it_finds_lexicon_words_and_phrases() -> None:
    hits = text.lexicon_hits(text.tokenize("dasar otak udang, goblok"))
    entries = {(h.lexicon, h.entry) for h in hits}
    assert ("abuse_strong", "otak udang") in entries
    assert ("abuse_strong", "goblok") in entries


def test_it_hashes_deterministically_into_the_feature_space() -> None:
    tokens = text.tokenize("Pelayanan sangat buruk, kecewa berat")
    first, second = text.featurize(tokens), text.featurize(tokens)
    assert np.array_equal(first.indices, second.indices)
    assert np.array_equal(first.values, second.values)
    assert first.indices.max() < text.n_features()
    hashed = first.indices < text.N_HASH
    assert abs(float(np.linalg.norm(first.values[hashed])) - 1.0) < 1e-5


def test_it_featurizes_empty_text_without_error() -> None:
    feats = text.featurize(text.tokenize(""))
    assert len(feats.indices) == len(feats.values) == 0


def test_it_reads_censored_swear_words() -> None:
    assert text.tokenize("no one knows how to f***ing drive") == ["no", "one", "knows", "how", "to", "fucking", "drive"]
    assert text.tokenize("b*ngs*t") == ["bangsat"]
    assert text.tokenize("anj*ng") == ["anjing"]


def test_it_leaves_asterisks_alone_when_no_single_word_fits() -> None:
    assert text.uncensor("*****") is None
    assert text.uncensor("f***") is None  # fool, fuck, fake...: the slang map decides such cases, not a guess


def test_it_keeps_digits_in_ordinary_tokens() -> None:
    assert text.tokenize("promo 5g mp3 covid19") == ["promo", "5g", "mp3", "covid19"]


def aimed(sentence: str) -> set[str]:
    tokens = text.tokenize(sentence)
    return {k for k in text.dense_features(tokens, text.lexicon_hits(tokens)) if k.startswith("aim+")}


def test_an_insult_said_of_someone_is_marked_aimed_and_a_mention_is_not() -> None:
    assert aimed("@USER the senator is a lying, spineless coward") == {"aim+abuse_weak"}
    assert aimed("what a clown") == {"aim+abuse_weak"}
    assert aimed("you absolute moron") == {"aim+abuse_strong"}
    assert aimed("The clown at the birthday party was great") == set()
    assert aimed("a documentary about pigs on a farm") == set()
