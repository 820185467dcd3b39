"""Classification on our own labelled examples (Indonesian and English), and the record it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kawal.engine.listen.classify import Classifier
from kawal.engine.listen.entities import Executive, OrgProfile
from kawal.engine.listen.topics import TopicConfigError, default_topics, load_topics
from kawal.engine.listen.understand import Sentiment, Understanding
from kawal.engine.records import Item

LABELLED = [json.loads(line) for line in (Path(__file__).parent / "data" / "labelled.jsonl").open(encoding="utf-8")]
ORG = OrgProfile("PT Bank Contoh Tbk", aliases=("Bank Contoh",), handles=("@bankcontoh",), products=("ContohPay",),
                 executives=(Executive("Budi Santoso", "Direktur Utama", ("@budisantoso",)),))


def _fixed(text: str, lang: str) -> Sentiment:
    return Sentiment("neutral", {"negative": 0.2, "neutral": 0.6, "positive": 0.2}, "fixed for the test")


FIXED = Understanding(language=lambda text: "id", sentiment=_fixed)


def _item(example: dict) -> Item:
    return Item(id=example["id"], text=example["text"], title=example.get("title"))


@pytest.mark.parametrize("example", LABELLED, ids=[e["id"] for e in LABELLED])
def test_topics_match_the_labelled_examples(example):
    result = Classifier(org=ORG, understanding=FIXED).classify(_item(example))
    assert sorted(hit.topic for hit in result.topics) == sorted(example["topics"]), result.reasons


def test_shipped_models_give_language_and_sentiment():
    classifier = Classifier(org=ORG)
    langs = {e["id"]: classifier.classify(_item(e)).lang for e in LABELLED}
    wrong = {ident: lang for ident, lang in langs.items() if lang != ident[:2]}
    assert len(wrong) <= 2, wrong
    complaint = classifier.classify(Item(id="c", text="Kecewa banget, saldo kepotong dua kali dan CS gak respon"))
    praise = classifier.classify(Item(id="p", text="Thank you, the staff were very helpful and friendly"))
    assert complaint.sentiment.label == "negative" and praise.sentiment.label == "positive"
    assert complaint.reasons[1].startswith("sentiment negative (") and "tone model" in complaint.reasons[1]


def test_the_record_has_the_documented_fields_and_reasons():
    item = Item(id="x1", title="Cuitan Dirut Bank Contoh Soal Nasabah Tuai Kecaman",
                text="Unggahan @budisantoso di media sosial viral. Menteri BUMN Erick Thohir ikut berkomentar.")
    record = Classifier(org=ORG, understanding=FIXED).classify(item).to_json()
    assert set(record) >= {"id", "lang", "sentiment", "topics", "entities", "reasons"}
    assert record["id"] == "x1" and record["lang"] == "id" and record["sentiment"] == "neutral"
    assert record["topics"][0]["topic"] == "executive_conduct" and 0.5 <= record["topics"][0]["score"] <= 1
    assert {"name": "Budi Santoso", "kind": "own_executive"} in record["entities"]
    assert {"name": "PT Bank Contoh Tbk", "kind": "own_organization"} in record["entities"]
    assert {"name": "Erick Thohir", "kind": "person"} in record["entities"]
    assert any("'cuitan'" in reason for reason in record["reasons"])
    assert any("follows the title or honorific 'Menteri'" in reason for reason in record["reasons"])


def test_an_executive_from_the_configuration_triggers_executive_conduct():
    text = "Budi Santoso posted a rant on LinkedIn and then deleted it"
    assert [hit.topic for hit in Classifier(org=ORG, understanding=FIXED).classify(Item(id="1", text=text)).topics] \
        == ["executive_conduct"]
    assert Classifier(understanding=FIXED).classify(Item(id="1", text=text)).topics == ()


def test_language_given_by_the_source_is_trusted():
    result = Classifier(understanding=FIXED).classify(Item(id="1", text="gangguan", lang="en"))
    assert result.lang == "en" and result.reasons[0] == "language en: given by the source"


def test_a_topic_file_adds_and_replaces_topics(tmp_path):
    path = tmp_path / "topics.toml"
    path.write_text('[topics.esg]\nlabel = "Environment"\nstrong = ["limbah", "pencemaran", "pollution"]\n'
                    '[topics.billing]\nlabel = "Billing"\nstrong = ["invoice"]\n', encoding="utf-8")
    topics = load_topics(path)
    assert {"esg", "outage", "billing"} <= set(topics.topics)
    assert [hit.topic for hit in topics.match("Pabrik buang limbah ke sungai")] == ["esg"]
    assert topics.match("minta refund") == []  # billing replaced by the user's own
    path.write_text('replace_defaults = true\n[topics.esg]\nstrong = ["limbah"]\n', encoding="utf-8")
    assert list(load_topics(path).topics) == ["esg"]


@pytest.mark.parametrize(("content", "message"), [
    ("[topics.x]\nlabel = 1\nstronk = ['a']\n", "unknown key\\(s\\) stronk"),
    ("[topics.x]\nlabel = 'X'\n", "has no 'strong' or 'weak' terms"),
    ("[topics.x]\nstrong = 'a'\n", "'strong' must be a list of strings"),
    ("[topics.x]\nstrong = ['a']\nrequires = ['boss']\n", "unknown group\\(s\\) boss"),
    ("threshold = 2\n", "'threshold' must be a number in \\(0, 1\\]"),
    ("[topics.x\n", "is not valid TOML"),
    ("[topics.x]\nstrong = ['a']\nexclude_patterns = ['(']\n", "not a valid regular expression"),
])
def test_bad_topic_files_name_the_problem(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TopicConfigError, match=message):
        load_topics(path)


def test_scores_add_up_evidence_and_one_weak_term_is_not_enough():
    topics = default_topics()
    assert topics.match("lemot banget hari ini") == []
    (hit,) = topics.match("aplikasi lemot")
    assert hit.topic == "outage" and hit.score == pytest.approx(1 - 0.6 * 0.6)
    assert topics.match("aplikasinya lemot") == [hit]  # "-nya" read as the bare word
    (strong,) = topics.match("PHK")
    assert strong.score == pytest.approx(0.9)
    (both,) = topics.match("gangguan")  # the strong term, and the weak '~ganggu' family it belongs to
    assert both.score == pytest.approx(1 - 0.1 * 0.6)


def test_patterns_catch_phrasings_a_list_cannot_hold_and_the_reason_shows_the_text():
    topics = default_topics()
    (hit,) = topics.match("Retailer to close 40 stores, cutting 1,200 jobs")
    assert hit.topic == "workforce" and "cutting 1 200 jobs" in hit.terms
    assert "'cutting 1 200 jobs'" in hit.reason()
    assert topics.match("Perusahaan akan memangkas 10 persen karyawan tahun depan")[0].topic == "workforce"


def test_tilde_terms_match_indonesian_affixed_forms_but_not_unrelated_words():
    topics = default_topics()
    for text in ("Situs itu diretas semalam", "Peretasan terjadi semalam", "Kelompok itu meretas server"):
        assert [hit.topic for hit in topics.match(text)] == ["security"], text
    assert [hit.topic for hit in topics.match("Sudah lunas tapi masih ditagih terus")] == ["billing"]
    assert topics.match("Dia ketagihan kopi") == []  # ke-...-an is not expanded: addicted, not billed
