"""The shipped tone model: loads offline, scores probabilities, lands clear cases on the right side."""

import json
import socket
from pathlib import Path

import pytest

from kawal.engine.screen.tone import SCORE_KEYS, ToneModel, _load_shipped

ROOT = Path(__file__).resolve().parents[2]

# Hand-written for these tests; test_examples_are_not_training_data checks they are not in training/data.
ID_ABUSIVE = [
    "Dasar admin goblok, dari kemarin gak dibales",
    "bangsat lu, duit gue balikin",
    "menteri tolol, rakyat makin susah",
    "anjing lo, nipu pelanggan terus",
]
EN_ABUSIVE = ["You stupid idiot, just shut up", "This is fucking bullshit, you clowns"]
HARD_NEGATIVES = [
    "Anjing kami sudah divaksin rabies kemarin sore",
    "Gila keren banget pertunjukan tarinya semalam!",
    "Polisi menangkap tersangka perampokan toko emas",
    "Harga daging babi di pasar naik jelang Natal",
    "Saya kecewa, paket saya belum datang juga",
    "My dog is the best boy in the world",
]
HOSTILE_REPLIES = [
    ("Baca lagi syaratnya kak, jangan asal komen", "Kenapa promo saya tidak berlaku?"),
    ("Maybe do your research before complaining", "Your prices doubled overnight"),
]
COURTEOUS_REPLIES = [
    ("Mohon maaf kak, boleh DM nomor pesanannya supaya kami bantu cek?", "Kenapa promo saya tidak berlaku?"),
    ("Sorry about that, please DM us and we'll sort it out", "Your prices doubled overnight"),
]


@pytest.fixture(scope="module")
def model() -> ToneModel:
    return ToneModel.load()


def test_examples_are_not_training_data() -> None:
    training = {
        json.loads(line)["text"].strip().lower()
        for line in (ROOT / "training" / "data" / "tone_examples.jsonl").read_text("utf-8").splitlines()
    }
    ours = ID_ABUSIVE + EN_ABUSIVE + HARD_NEGATIVES + [t for t, _ in HOSTILE_REPLIES + COURTEOUS_REPLIES]
    assert not {t.lower() for t in ours} & training


def test_it_loads_from_the_package_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tone model must not touch the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    _load_shipped.cache_clear()
    fresh = ToneModel.load()
    assert fresh.weights.shape[1] == 7
    assert fresh.score("Pelayanan cepat, terima kasih")["positive"] > 0.5


def test_scores_are_probabilities(model: ToneModel) -> None:
    for sentence in ID_ABUSIVE + HARD_NEGATIVES + ["", "!!!", "😡😡😡"]:
        scores = model.score(sentence)
        assert all(0.0 <= scores[k] <= 1.0 for k in SCORE_KEYS)
        assert abs(scores["negative"] + scores["neutral"] + scores["positive"] - 1.0) < 1e-5
        assert scores["lang"] in {"id", "en", "other"}


@pytest.mark.parametrize("sentence", ID_ABUSIVE + EN_ABUSIVE)
def test_clear_abuse_is_flagged(model: ToneModel, sentence: str) -> None:
    labels = model.labels(model.score(sentence))
    assert labels["abusive"] and labels["offensive"], sentence


@pytest.mark.parametrize("sentence", HARD_NEGATIVES)
def test_hard_negatives_stay_clean(model: ToneModel, sentence: str) -> None:
    labels = model.labels(model.score(sentence))
    assert not labels["abusive"] and not labels["offensive"] and not labels["hostile"], sentence


@pytest.mark.parametrize(("reply", "to"), HOSTILE_REPLIES)
def test_dismissive_official_replies_are_hostile(model: ToneModel, reply: str, to: str) -> None:
    assert model.labels(model.score(reply, reply_to_text=to))["hostile"]


@pytest.mark.parametrize(("reply", "to"), COURTEOUS_REPLIES)
def test_courteous_official_replies_are_not_hostile(model: ToneModel, reply: str, to: str) -> None:
    assert not model.labels(model.score(reply, reply_to_text=to))["hostile"]


def test_sentiment_lands_on_the_right_side(model: ToneModel) -> None:
    assert model.labels(model.score("Makanannya enak dan pelayanannya ramah sekali"))["sentiment"] == "positive"
    assert model.labels(model.score("Pengirimannya lama dan barangnya rusak"))["sentiment"] == "negative"
    assert model.labels(model.score("The crew was lovely and the flight was on time"))["sentiment"] == "positive"
    assert model.labels(model.score("Lost my luggage and nobody answers the phone"))["sentiment"] == "negative"


def test_batch_equals_single(model: ToneModel) -> None:
    texts = ID_ABUSIVE + HARD_NEGATIVES
    replies = [None, "Kenapa telat?"] * (len(texts) // 2)
    batch = model.score_batch(texts, reply_to_texts=replies)
    assert batch == [model.score(t, reply_to_text=r) for t, r in zip(texts, replies, strict=True)]


def test_given_language_is_kept(model: ToneModel) -> None:
    assert model.score("ok", lang="en")["lang"] == "en"


def test_explain_points_at_the_insult(model: ToneModel) -> None:
    sentence = "Dasar admin goblok, dari kemarin gak dibales"
    reasons = model.explain(sentence, head="abusive")
    assert reasons, "an abusive sentence must have reasons"
    (start, end), feature, contribution = reasons[0]
    assert sentence[start:end].lower() == "goblok"
    assert "goblok" in feature and contribution > 0


def test_explain_traces_alay_spelling_back_to_the_original_span(model: ToneModel) -> None:
    sentence = "kerja gak becus, g0bl0k"
    spans = [sentence[s:e] for (s, e), _, _ in model.explain(sentence, head="abusive")]
    assert "g0bl0k" in spans


def test_bad_input_gets_a_clear_error(model: ToneModel) -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        model.score(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="langs has 1 items but texts has 2"):
        model.score_batch(["a", "b"], langs=["id"])
    with pytest.raises(ValueError, match="unknown tone head"):
        model.explain("halo", head="angry")


def test_abuse_aimed_at_the_addressee_is_hostile_and_explained(model: ToneModel) -> None:
    sentence = "Lu tuh goblok, gak usah komen"
    scores = model.score(sentence)
    assert scores["hostile"] >= scores["abusive"] >= 0.5
    spans = [sentence[s:e].lower() for (s, e), _, _ in model.explain(sentence, head="hostile")]
    assert "goblok" in spans


def test_a_swear_word_counts_as_hostile_only_when_aimed_at_someone(model: ToneModel) -> None:
    undirected = model.score("Bangsat, servernya down lagi pas deadline")
    directed = model.score("Bangsat lu, servernya down lagi pas deadline")
    assert model.labels(undirected)["abusive"] and not model.labels(undirected)["hostile"]
    assert model.labels(directed)["hostile"]


def test_long_text_is_scored_and_explained_with_spans_inside_it(model: ToneModel) -> None:
    sentence = "Pelayanan buruk sekali, dasar goblok. " * 800
    assert model.labels(model.score(sentence))["abusive"]
    reasons = model.explain(sentence, head="abusive", top=3)
    assert reasons and all(sentence[s:e].lower() == "goblok" for (s, e), _, _ in reasons)


def test_english_insults_without_swear_words_are_offensive_and_civil_criticism_is_not() -> None:
    model = ToneModel.load()
    for insult in ("You are a pathetic liar", "what a clown", "nobody asked you, moron",
                   "this senator is a disgrace"):
        assert model.score(insult)["offensive"] >= 0.5, insult
    for civil in ("this policy is wrong", "The senator voted against the bill",
                  "She absolutely killed it at the show", "my flight was cancelled, please help"):
        assert model.score(civil)["offensive"] < 0.5, civil
