"""Write the shipped slang map and lexicons (``kawal/engine/models/slang.json``, ``lexicons.json``).

The word lists are written by the Kawal team for this project (no third-party list is copied). Variants
(alay spelling, abbreviations) go in the slang map, so each lexicon holds only standard forms.
Run: ``python training/build_lexicons.py`` (``train_tone.py`` runs it first).
"""

from __future__ import annotations

import json
from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "kawal" / "engine" / "models"

# standard form -> variants seen in Indonesian social media (alay, abbreviations, regional spellings)
SLANG_GROUPS: dict[str, str] = {
    "tidak": "gk ga gak nggak ngga enggak engga tdk tak gak2 kagak kaga ndak nda ora g",
    "sudah": "udah udh sdh dah udeh",
    "belum": "blm blom lom",
    "banget": "bgt bngt bangett bingit",
    "yang": "yg yng",
    "dengan": "dgn dg",
    "untuk": "utk untk buat",
    "saja": "aja aj ae doang",
    "tapi": "tp tpi",
    "juga": "jg jga",
    "sekali": "skali",
    "karena": "krn karna soalnya",
    "sama": "sm",
    "bisa": "bs bsa",
    "lagi": "lg lgi",
    "kalau": "kalo klo kl",
    "gimana": "gmn gmna bagaimana",
    "kenapa": "knp knapa napa",
    "terima kasih": "makasih makasi mksh mksih trims thx tq tengkyu terimakasih",
    "begitu": "gitu gt",
    "begini": "gini",
    "apa": "ap",
    "aku": "aq gue gua gw gwa ane",
    "kamu": "km kmu lu lo loe elo elu lw u situ ente",
    "dia": "doi",
    "orang": "org",
    "banyak": "byk bnyk",
    "sangat": "sgt",
    "bagus": "bgs",
    "jelek": "jlek",
    "mantap": "mantab mantul mantep mntp",
    "anjing": "anjg anjing2 anjir anjrit anjrot anjay anying anjeng anjink njing njir njeng ajg ajig anj asu asw",
    "bangsat": "bgst bngst bangshat bangsad bgsd bangset",
    "goblok": "gblk goblog gblg goblokk bloon",
    "tolol": "tlol tll",
    "kontol": "kntl kontl",
    "memek": "mmk",
    "babi": "babik",
    "bajingan": "bjgn bajingn",
    "kampret": "kmprt",
    "keparat": "kprt",
    "brengsek": "brengsék brengsex",
    "tai": "taik tahi",
    "jancuk": "jancok cuk dancuk jancik",
    "ngentot": "ngentod ngntd ngtd entot",
    "bego": "bgo",
    "idiot": "idiott idjit",
    "sialan": "sial",
    "bodoh": "bodo",
    "bangke": "bangkek bengek",
    "kampang": "kmpg",
    "bacot": "bacod bct",
    "najis": "nazis",
    "mampus": "mampos",
    "fuck": "fck fuk fak f*ck f**k f*** fking fkin fcking",
    "fucking": "fuckin",
    "shit": "sh*t sht shiit",
    "bitch": "b*tch biatch bich",
    "asshole": "a**hole assh*le",
    "stupid": "stoopid stpd stupidd",
    "what the fuck": "wtf",
    "fuck you": "fu stfu",
    "okay": "ok oke okey okee",
    "please": "pls plz plis",
    "you": "u",
    "your": "ur",
    "are": "r",
    "because": "bc cuz coz",
    "people": "ppl",
    "thanks": "thx ty",
    "really": "rly",
}

LEXICONS: dict[str, list[str]] = {
    # strong Indonesian and English insults, slurs and profanity: abusive wherever they appear
    "abuse_strong": (
        "bangsat goblok tolol kontol memek bajingan keparat brengsek ngentot ngewe jancuk kampret bego idiot "
        "dungu pantek pepek perek pecun lonte pelacur sundal jablay bispak bencong banci kunyuk bangke "
        "sompret jembut titit kampang laknat biadab bacot picek congek budek matamu raimu modar mampus "
        "cebong kadrun tolol goblog sarap kafir bahlul bloon oon begok geblek "
        "fuck fucked fucking fucker motherfucker shit shitty bullshit bitch bitches asshole bastard cunt dick "
        "retard retarded faggot fag nigga nigger whore slut moron morons dumbass jackass douchebag prick pussy "
        "twat wanker scumbag scum idiots imbecile "
        "dickhead shithead dipshit dumbfuck fuckface asshat douche tosser bellend subhuman cretin cretins "
        "imbeciles halfwit halfwits dimwit dimwits nitwit nitwits"
    ).split()
    + ["otak udang", "otak kosong", "muka tembok", "tidak punya otak", "dasar anjing", "anak haram",
       "sampah masyarakat", "kurang ajar", "otak dengkul", "anak anjing", "what the fuck", "fuck you",
       "son of a bitch", "piece of shit", "shut up", "go to hell", "shut the fuck up"],
    # ambiguous words: abusive as an insult, harmless as animals, praise ("gila keren") or exclamations
    "abuse_weak": (
        "anjing babi monyet gila sinting sial sialan bodoh tai asu setan iblis sampah bodo jelek busuk "
        "norak kampungan alay celeng onta aseng antek bangkai cacat buta tuli autis jijik najis "
        "munafik pembohong penjilat licik picik edan bebal udik pecundang maling rampok "
        "damn hell crap stupid dumb dumber fool loser trash garbage pathetic ugly fat freak clown hoe hoes "
        "liar liars disgusting pig pigs hypocrite traitor jerk creep thug coward fraud lunatic psycho "
        "ignorant ass asses sucks suck evil nazi libtard snowflake commie worthless useless "
        # English insults without swear words (OLID-style attacks on a person): harmless as animals, props
        # or quoted words, so ambiguous; aimed at someone they count through the "you+" interaction
        "buffoon buffoons clowns fools losers cowards hypocrites frauds creeps jerks trolls snake snakes rat "
        "rats parasite parasites leech grifter grifters hack hacks bigot bigots lowlife lowlifes weasel "
        "crook crooks disgrace embarrassment degenerate degenerates dunce dolt muppet twit prat airhead "
        "bimbo nutjob nutcase weirdo crybaby sellout vermin maggot racist sexist moronic idiotic brainless "
        "spineless gutless deranged unhinged delusional vile despicable dishonest incompetent dumbo "
        "pervert narcissist sheep puppet thief thieves"
    ).split(),
    # dismissive or condescending phrases typical of an antagonistic reply (standard forms)
    "hostile": [
        "baca lagi", "jangan asal", "asal komentar", "asal ngomong", "asal bunyi", "sok tahu", "sok tau",
        "makanya", "belajar dulu", "baca dulu", "cari tahu dulu", "tidak usah", "urus saja", "bukan urusan",
        "terserah", "kalau tidak suka", "tidak suka ya", "silakan pindah", "pakai yang lain", "cari yang lain",
        "banyak bacot", "bacot", "nyinyir", "julid", "cerewet", "lebay", "baper", "sebar hoaks", "jangan fitnah",
        "buzzer", "pansos", "do your research", "read again", "read the", "learn to read", "get a life",
        "whatever you say", "nobody asked", "who asked", "cry more", "cope harder", "seethe", "educate yourself",
        "you don't really believe", "do you really think", "calm down", "relax", "not our problem",
        "your problem", "deal with it", "go elsewhere", "take your business", "get over it", "lol", "lmao",
        "wkwk", "wkwkwk", "kasihan deh", "kok sewot", "santai aja", "santai saja", "santai dong", "ngegas",
        "salah sendiri",
        "derp", "clueless", "ignorant", "ridiculous", "nonsense", "fake news", "as usual", "typical",
    ],
    # service courtesy markers: apologies, thanks, offers of help
    "courteous": [
        "mohon maaf", "maaf", "terima kasih", "mohon", "silakan dm", "silakan hubungi", "kami bantu",
        "kami cek", "kami informasikan", "sampaikan", "ditindaklanjuti", "kendala", "ketidaknyamanan",
        "kak", "kakak", "bapak", "ibu", "sorry", "apologize", "apologies", "thank", "thanks", "please dm",
        "we'd like to help", "happy to help", "let us know", "we're sorry", "inconvenience", "look into",
        "follow up", "assist", "reach out",
    ],
    "positive": (
        "bagus baik mantap keren enak puas senang suka cinta hebat ramah nyaman murah cepat rekomendasi "
        "recommended bersih lezat indah sukses berhasil terbaik memuaskan membantu mudah lancar aman segar "
        "gurih empuk lengkap luas sejuk asyik asik seru lucu sempurna juara top istimewa spesial bangga "
        "bahagia gembira syukur alhamdulillah salut apresiasi terbantu worth oke sip joss nikmat wangi rapi "
        "good great excellent amazing awesome love loved lovely nice happy best perfect fantastic helpful friendly "
        "delicious recommend fast easy wonderful thanks thank glad enjoy enjoyed beautiful smooth comfortable "
        "clean fresh brilliant superb outstanding pleasant impressive cool fun proud grateful appreciate "
        "appreciated kind polite quick reliable affordable tasty cozy incredible exceptional favorite"
    ).split() + ["luar biasa", "tidak mengecewakan", "sangat membantu", "well done", "thank you", "top notch"],
    "negative": (
        "buruk jelek kecewa mengecewakan lambat lama mahal kotor jorok rusak gagal parah payah "
        "menyesal kesal marah benci sedih hancur busuk tipu penipu bohong lelet error "
        "gangguan lemot ribet susah basi hilang telat terlambat bau hambar keras alot sempit panas berisik "
        "antri antre kasar jutek judes cuek bosan kapok rugi kacau mengecewakan buruk sakit takut khawatir "
        "bingung repot capek lelah pusing miskin korupsi bencana banjir macet mogok kecelakaan "
        "bad terrible awful horrible worst hate disappointed disappointing slow expensive dirty broken "
        "rude poor delayed delay cancelled canceled lost never worse sucks useless angry annoyed scam "
        "unacceptable unhelpful ridiculous frustrating frustrated furious upset sad stuck stranded "
        "overpriced cold stale bland smelly noisy crowded late wrong missing damaged refund complaint "
        "fail failed failure problem issue issues nightmare pathetic incompetent ignored waiting"
    ).split() + ["tidak enak", "tidak puas", "tidak bisa", "tidak ramah", "tidak sesuai", "not good",
                 "never again", "not working", "on hold", "no response"],
}


def slang_map() -> dict[str, str]:
    table: dict[str, str] = {}
    for standard, variants in SLANG_GROUPS.items():
        for variant in variants.split():
            table.setdefault(variant, standard)
    return dict(sorted(table.items()))


def main() -> None:
    MODELS.mkdir(parents=True, exist_ok=True)
    (MODELS / "slang.json").write_text(json.dumps(slang_map(), ensure_ascii=False, indent=0) + "\n", "utf-8")
    lex = {"_about": "Written by the Kawal team; standard forms only (variants live in slang.json)."}
    lex.update({name: sorted(set(words)) for name, words in LEXICONS.items()})
    (MODELS / "lexicons.json").write_text(json.dumps(lex, ensure_ascii=False, indent=0) + "\n", "utf-8")


if __name__ == "__main__":
    main()
