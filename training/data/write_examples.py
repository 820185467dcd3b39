"""Write ``training/data/tone_examples.jsonl``: the Kawal team's own labelled examples.

There is no openly licensed Indonesian abuse set, and hostile replies by official accounts and sarcasm
have no allowed data at all, so the team wrote these: hand-written sentences plus small, readable templates
that cross targets, insults and complaints (so that a word is learned, not a sentence). Labels per row:
``abusive``/``offensive``/``hostile``/``sarcasm`` (0/1) and ``sentiment`` where the row teaches it; a head
ignores rows without its key. ``reply_to_text`` gives the post an official reply answers.

Abuse rows carry no ``hostile`` label: the hostile head learns dismissive and mocking tone, and the model
adds abuse aimed at the addressee to the hostile score at inference (see ``ToneModel.score``).

Nothing here is copied from the benchmark sets in ``benchmarks/data`` (they were written separately).
Run: ``python training/data/write_examples.py``.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "tone_examples.jsonl"
rng = random.Random(2026)
rows: list[dict] = []


def add(text: str, **labels: object) -> None:
    rows.append({"text": text, **labels})


ABUSIVE = {"abusive": 1, "offensive": 1, "sentiment": "negative"}
CLEAN = {"abusive": 0, "offensive": 0}

# --- Indonesian abuse, hand-written -----------------------------------------------------------------
ID_ABUSE = """Dasar goblok, kerja gak becus!
anjing lu, bacot mulu
bgst emang nih orang
G0bl0k bgt sih adminnya
tolol, gitu aja gak ngerti
bangsat lo semua
kontol lah pelayanan kayak gini
dasar bajingan penipu
Pejabat tai, makan uang rakyat
muka tembok, gak punya malu
otak udang emang
dasar anjg lo
USER USER dasar kampret, nyebar fitnah mulu
heh bego, mikir pake otak
babi lo, duit rakyat diembat
ajg, paket gue dibanting kurir
kerja kok kayak monyet, gak ada otak
mampus lo, rasain
jancuk, server down maneh
brengsek, pulsa gue kesedot terus
asu, antrian bpjs gak maju2
pantek, dibohongin terus sama marketing
wakil rakyat bajingan semua
lu tuh sampah, gak guna
idiot, baca dong aturannya
cs nya tolol semua ya?
k0nt0l, refund gak masuk2
anjir goblok bener yang bikin kebijakan
dasar cebong tolol
dasar kadrun goblok
lonte, jual diri ke partai
bego lu, dibayar berapa jadi buzzer?
sinting tuh menteri, ngomong ngawur
keparat, gaji gak dibayar 3 bulan
jablay lo
dungu, gak paham data malah koar2
sialan lo semua, tipu2 rakyat
tai lah, ojol gak dateng2
ngentot, harga cabe naik lagi
pejabat biadab, rakyat kelaparan kalian pesta
kurang ajar lo, ngatain orang tua
setan lo, kerjaannya nipu
bodoh banget jadi presiden
b4ngs4t, aplikasi eror mulu
anjeng lah, telat lagi keretanya
goblog sia, teu bisa gawe
memek, capek gue ngurus beginian
najis, muka lo kayak kotoran
pelacur politik, pindah2 partai
dasar tukang korupsi, maling berdasi bajingan
""".strip().splitlines()
for line in ID_ABUSE:
    add(line, lang="id", **ABUSIVE)

# --- Indonesian abuse, templates ---------------------------------------------------------------------
TARGETS = ["lu", "lo", "kamu", "elu", "kalian", "admin", "adminnya", "pejabatnya", "menteri", "DPR", "pemerintah",
           "bapak", "cs nya", "kurirnya", "bupati", "gubernur", "pak lurah", "timnya", "bosnya", "satpamnya"]
INSULTS = ["goblok", "gblk", "tolol", "bego", "bangsat", "bgst", "anjing", "anjg", "babi", "bajingan", "kampret",
           "brengsek", "keparat", "kontol", "tai", "idiot", "dungu", "sinting", "g0bl0k", "t0l0l", "anjiiing",
           "bangsaaat", "monyet", "asu", "jancok", "sampah", "otak udang", "bodoh", "pantek", "setan"]
FRAMES = ["dasar {i}", "{t} {i}", "{i} {t}", "{t} emang {i}", "{i} bener {t} ini", "kerja gak becus, {i}!",
          "{i}, {c}", "{c}. {t} {i}!", "{c}, dasar {i}", "{t} ini {i} banget", "woi {i}, {c}",
          "{i} lah {t}", "mikir dong {i}", "{t} kayak {i}"]
COMPLAINTS = ["paket belum nyampe", "refund gak cair", "aplikasi error terus", "harga naik terus",
              "jalanan rusak gak dibenerin", "antrian panjang banget", "sinyal ilang", "tagihan dobel",
              "pesanan salah kirim", "janji doang", "gaji gak naik2", "air mati seharian", "listrik padam lagi",
              "duit rakyat dikorupsi", "laporan gue dicuekin"]
for frame, insult in itertools.product(FRAMES, INSULTS):
    if rng.random() < 0.45:
        text = frame.format(t=rng.choice(TARGETS), i=insult, c=rng.choice(COMPLAINTS))
        add(text[0].upper() + text[1:] if rng.random() < 0.3 else text, lang="id", **ABUSIVE)

# --- Indonesian clean, including hard negatives -----------------------------------------------------
ID_CLEAN = """Anjing saya suka main di taman setiap pagi
Gila keren banget konsernya semalam!
Babi hutan masuk ke kebun warga di Sumatera
Polisi menangkap pelaku pencurian motor di Bekasi
Pelanggan mengeluh: pelayanannya lambat sekali
Monyet di Sangeh lucu-lucu
Film ini gila sih, bagus parah
anjing tetangga menggonggong semalaman, susah tidur
peternakan babi di Bali terkena wabah
gila, pemandangannya indah banget
gila sih timnas mainnya keren
setan dalam film ini serem banget
tersangka korupsi dana desa ditahan kejaksaan
pelaku penipuan mengaku sebagai petugas bank
Kata 'goblok' tidak pantas diucapkan di depan anak
Pelapor menyebut dirinya dihina dengan kata kasar
Saya kecewa dengan pelayanan hari ini, mohon diperbaiki
Pesanan saya belum sampai, tolong dicek ya min
Aplikasinya lemot banget hari ini
Harga tiket naik terus, berat buat kami
Jalan di depan rumah rusak parah, mohon diperbaiki
Kenapa tagihan saya naik dua kali lipat?
Sudah seminggu refund belum masuk, bagaimana ini?
Terima kasih kak, sudah dibantu
Makasih min, responnya cepet
Selamat pagi, semoga harimu menyenangkan
Kucingku lucu banget pagi ini
Anjing pelacak membantu menemukan korban longsor
Sate babi khas Bali enak sekali
Kebun binatang membuka kandang monyet baru
Gila, nilai ujianku naik jauh
Capek banget kerja hari ini
Duh macet parah di tol dalam kota
Mohon info jadwal pelayanan hari Sabtu
Kapan promo akhir tahun dimulai?
Sayang banget tokonya tutup lebih awal
Berita hari ini: banjir merendam tiga kecamatan
Kasus pembunuhan di Jakarta Timur masih diselidiki
Pengadilan memvonis terdakwa penipuan lima tahun penjara
Menteri meresmikan jalan tol baru
DPR menggelar rapat dengar pendapat dengan KPK
Warga protes soal kenaikan tarif air
Gubernur meninjau lokasi banjir
Presiden menghadiri KTT di Jakarta
Tim kami sedang memperbaiki gangguan jaringan
Semoga cepat pulih ya, Pak
Bapak itu baik sekali, membantu kami menyeberang
Aku sebel banget sama hujan hari ini
Ya ampun, lupa bawa dompet
Bodo amat sama gosip, fokus kerja aja
Waduh, parah juga ya macetnya
Asli, seru banget acaranya
Ngakak banget nonton videonya
Rasain tuh kalau nggak bawa payung, basah kan hehe
Sialnya, kereta terakhir sudah berangkat
Tikus-tikus di gudang sudah dibasmi
Ayam goreng di sini juara banget
Dia orangnya keras kepala tapi baik hati
Jangan malas belajar ya, adik-adik
Pelayanan di kantor imigrasi cepat dan ramah
""".strip().splitlines()
for line in ID_CLEAN:
    add(line, lang="id", hostile=0, **CLEAN)

ANIMAL_FRAMES = ["{a} saya sakit, ada rekomendasi dokter hewan?", "foto {a} lucu di kebun binatang",
                 "daging {a} dijual di pasar tradisional", "{a} liar terlihat di pinggir hutan",
                 "video {a} main bola viral di media sosial"]
for frame, animal in itertools.product(ANIMAL_FRAMES, ["anjing", "babi", "monyet", "kambing", "kucing", "anjingku"]):
    add(frame.format(a=animal), lang="id", hostile=0, sentiment="neutral", **CLEAN)
for word in ["gila", "gilaaa", "gokil", "anjay", "parah"]:
    for thing in ["keren", "bagus", "enak", "mantap", "seru"]:
        add(f"{word} {thing} banget {rng.choice(['filmnya', 'makanannya', 'konsernya', 'acaranya', 'hasilnya'])}",
            lang="id", hostile=0, sentiment="positive", **CLEAN)
for complaint in COMPLAINTS:
    add(f"{complaint}, tolong dibantu ya min", lang="id", hostile=0, sentiment="negative", **CLEAN)
    add(f"kecewa, {complaint}", lang="id", hostile=0, sentiment="negative", **CLEAN)
for crime in ["pembunuhan", "pencurian", "penipuan", "korupsi", "penganiayaan", "pelecehan"]:
    add(f"Polisi menetapkan tersangka kasus {crime} di {rng.choice(['Bandung', 'Medan', 'Surabaya', 'Makassar'])}",
        lang="id", hostile=0, sentiment="negative", **CLEAN)

# --- English abuse and clean ---------------------------------------------------------------------------
EN_ABUSE = """You're a fucking idiot
Shut up, you stupid clown
What a moron, seriously
This company is full of lying bastards
Go to hell, you pathetic loser
Your CEO is a piece of shit
fuck this airline and fuck your customer service
stfu nobody cares what you think
dumbass politicians ruining everything
you absolute muppet, read before you tweet
what a bunch of useless morons
she's a lying bitch
get lost you worthless troll
Only an idiot would believe this garbage
these clowns couldn't run a lemonade stand
""".strip().splitlines()
for line in EN_ABUSE:
    add(line, lang="en", **ABUSIVE)
EN_CLEAN = """My dog loves playing in the park
That concert was insanely good
Police arrested a suspect in the fraud case
I'm disappointed with the delay, please fix it
My flight was cancelled and nobody told me
The hotel room was dirty and the staff were rude
Can you check my order status please?
The senator voted against the bill
What a killer performance last night!
This burger is sick, highly recommend
The new update broke my app, any fix?
I hate Mondays so much
Thanks for the quick help!
The court sentenced the killer to life in prison
We need to talk about the hate speech problem online
""".strip().splitlines()
for line in EN_CLEAN:
    add(line, lang="en", hostile=0, **CLEAN)

# --- English insults vs strong but civil opinion (OLID-style political and brand talk) -------------------
EN_TARGETS = ["you", "he", "she", "this guy", "the senator", "your CEO", "the president", "the mayor", "that reporter",
              "your company", "the minister", "these people", "the coach", "that influencer"]
EN_INSULTS = ["is a liar", "is a coward", "is an idiot", "is a clown", "is pathetic", "is a disgrace", "is scum",
              "is a moron", "is a joke", "is garbage", "is a fraud", "is a hypocrite", "sucks", "is trash",
              "is a loser", "is brain dead", "is a dimwit", "is full of shit", "is a lying sack of crap",
              "is a piece of work", "is a total jackass", "is a creep", "is dumb as a rock", "is a waste of space"]
EN_TOPICS = ["taxes", "the budget", "immigration", "gun control", "the new policy", "climate", "healthcare",
             "the layoffs", "the price increase", "the election", "the merger", "school funding"]
EN_INSULT_FRAMES = ["{t} {i}", "{t} {i}. Period.", "lol {t} {i}", "Honestly {t} {i}", "{t} {i} and everyone knows it",
                    "Wrong again on {p}, {t} {i}", "{t} {i}, stop talking about {p}"]
EN_OPINION_FRAMES = ["{T} is wrong about {p}", "I strongly disagree with {t} on {p}", "{T} made a fair point about {p}",
                     "Vote against {t} in November over {p}", "{T} should resign over {p}",
                     "{T} needs to explain {p} to voters", "Really disappointed in {t} about {p}",
                     "{T} has no plan for {p}", "Not convinced by {t} on {p} at all", "{T} keeps dodging questions on {p}"]
for frame, insult in itertools.product(EN_INSULT_FRAMES, EN_INSULTS):
    if rng.random() < 0.4:
        t = rng.choice(EN_TARGETS)
        if t in ("you", "these people"):
            insult = insult.replace("is ", "are ", 1).replace("sucks", "suck")
        add(frame.format(t=t, i=insult, p=rng.choice(EN_TOPICS)), lang="en", **ABUSIVE)
for frame, target, topic in itertools.product(EN_OPINION_FRAMES, EN_TARGETS, EN_TOPICS):
    if rng.random() < 0.06:
        add(frame.format(t=target, T=target[0].upper() + target[1:], p=topic), lang="en", hostile=0, **CLEAN)

# --- Official replies: hostile/dismissive vs courteous --------------------------------------------------
CUSTOMER_POSTS_ID = ["Kenapa paket saya belum sampai?", "Aplikasinya error terus, gimana sih", "Pelayanan kalian makin buruk",
                     "Tagihan saya kok naik?", "Jalan rusak kapan diperbaiki pak?", "Kebijakan ini gak adil buat rakyat",
                     "Refund saya belum masuk sudah dua minggu", "Katanya harga BBM mau naik ya?"]
CUSTOMER_POSTS_EN = ["Why hasn't my package arrived?", "Your app keeps crashing", "Your service keeps getting worse",
                     "Why did my bill go up?", "Is it true you're raising prices?", "Your drivers pee in bottles",
                     "I want a refund for the outage"]
HOSTILE_ID = ["Silakan baca lagi aturannya, jangan asal komentar", "Makanya baca dulu sebelum protes",
              "Kalau tidak suka, silakan pakai produk lain", "Sok tahu banget, cari tahu dulu baru ngomong",
              "Sudah dijawab di FAQ, kakak saja yang malas baca", "Itu salah kakak sendiri, bukan sistem kami",
              "Gak usah lebay deh kak", "Kalau gak mampu bayar ya jangan langganan", "Kok nyinyir terus sih",
              "Jangan sebar hoaks ya, belajar dulu", "Terserah kakak mau percaya atau tidak",
              "Yang komplain cuma kakak doang kok", "Santai aja kak, gak usah ngegas", "Urus saja urusan sendiri",
              "Kasian deh, makanya teliti", "Baca pelan-pelan ya biar paham", "Wkwk emang situ siapa?",
              "Buzzer bayaran jangan ikut campur", "Udah dibilangin dari kemarin, ngeyel", "Kami sibuk, jangan spam",
              "Ya sudah, cari aja toko lain", "Situ ngerti apa soal kebijakan?", "Gak usah baper, biasa aja",
              "Mending kerja daripada nyinyir di Twitter"]
HOSTILE_EN = ["Do your research", "You don't really believe the peeing in bottles thing, do you?",
              "Maybe read the terms next time before complaining", "Nobody forced you to buy it",
              "Read our FAQ. It's not that hard.", "That's on you, not us", "Calm down, it's just a delay",
              "If you don't like it, take your business elsewhere", "Educate yourself before tweeting",
              "Lol, sure", "Cry more", "We don't respond to trolls", "Nice try", "Who asked?",
              "Sounds like user error to us", "Try turning your brain on and off again",
              "Get over it", "Not our problem, talk to your bank", "Whatever you say"]
COURTEOUS_ID = ["Mohon maaf atas ketidaknyamanannya kak, silakan DM nomor pesanan agar kami bantu cek",
                "Terima kasih masukannya, akan kami sampaikan ke tim terkait", "Halo kak, boleh dibantu info nomor resinya?",
                "Maaf kak, kami cek dulu ya. Mohon ditunggu", "Terima kasih sudah melapor, tim kami segera menindaklanjuti",
                "Kami mohon maaf atas kendala yang kakak alami", "Informasi lengkapnya ada di tautan ini ya kak, semoga membantu",
                "Baik kak, keluhan sudah kami teruskan. Terima kasih atas kesabarannya",
                "Halo Bapak/Ibu, perbaikan dijadwalkan minggu depan. Terima kasih atas laporannya",
                "Terima kasih atas pertanyaannya. Sampai saat ini belum ada keputusan resmi",
                "Kami memahami kekecewaan kakak dan akan membantu sebaik mungkin",
                "Silakan hubungi call center 24 jam kami agar bisa dibantu lebih cepat"]
COURTEOUS_EN = ["We're sorry to hear that. Please DM us your order number and we'll look into it.",
                "Thanks for flagging this, our team is on it", "Sorry for the trouble! Which version of the app are you on?",
                "We understand your frustration and we'd like to help. Could you DM us?",
                "Thanks for reaching out. No decision has been made on prices yet.",
                "We take this seriously and are looking into it. Thank you for raising it.",
                "Apologies for the inconvenience, a refund is on its way", "Happy to help! Here's how to reset your password",
                "Thank you for your patience while we fix the outage"]
HOSTILE_ID += ["Namanya juga gratisan, jangan banyak nuntut", "Emang situ pelanggan premium?", "Udah tua kok gaptek sih kak",
               "Ribut terus, kayak gak ada kerjaan lain", "Kakak aja yang gak ngerti cara pakainya",
               "Jangan playing victim deh", "Ngaca dulu sebelum komplain", "Kebanyakan drama, intinya apa?",
               "Makanya jangan beli yang murah", "Sudah kami jawab, kalau masih gak paham ya bukan salah kami",
               "Hmm, yakin kakak bisa baca?", "Komentar netizen gak penting, kami tetap jalan",
               "Silakan lapor ke mana saja, kami tidak takut", "Yang protes pasti belum pernah kerja",
               "Kalau miskin jangan gaya-gayaan", "Gitu aja kok repot", "Kasihan, hidupnya cuma buat nyinyir",
               "Bukan urusan kami kalau kakak telat baca pengumuman", "Tolong jangan bodoh ya kak, infonya sudah jelas",
               "Dasar netizen, bisanya protes doang"]
HOSTILE_EN += ["Imagine being this mad about a sandwich", "Sounds like someone needs a nap", "Ok boomer",
               "Cry about it", "Not our fault you can't read", "We'll pass your complaint to our shredder",
               "Bold words from someone who shops at our competitor", "Maybe the problem is you",
               "Have you tried not being so dramatic?", "Thanks for your opinion, nobody asked for it",
               "Keep crying, we'll keep selling", "You clearly have no idea what you're talking about",
               "Sure, Jan", "That's a lot of words for 'I didn't read the FAQ'", "Yawn. Next complaint please.",
               "Facts don't care about your feelings", "Unfollow us then", "Don't like it? Don't buy it.",
               "Honestly, learn how the internet works before tweeting at us", "We're not your babysitter"]
HOSTILE_ID += ["Emang kakak sudah baca syaratnya? 🙄", "Itu kesalahan pengguna, bukan sistem", "Jangan fitnah ya, kami bisa lapor balik",
               "Hehe, kok baru protes sekarang?", "Wkwkwk lucu banget komplainnya 😂", "Kami tidak melayani akun anonim tukang ngeluh",
               "Kalau mau gratis, jangan berharap banyak", "Coba dipikir dulu sebelum nulis", "Pertanyaan kayak gini udah basi",
               "Orang pintar pasti paham, masa kakak nggak?", "Kami tidak akan minta maaf untuk hal sepele", "Sabar dong, kamu pikir cuma kamu pelanggan kami?",
               "Silakan pindah ke sebelah kalau merasa lebih bagus", "Situ siapa nyuruh-nyuruh kami?", "Makanya jangan asal klik"]
HOSTILE_EN += ["Have you even read the terms? 🙄", "That's user error, not a bug", "Careful, spreading lies has consequences",
               "Lmao this complaint 😂", "We don't answer anonymous whiners", "You get what you pay for",
               "Think before you tweet", "This question again? Really?", "Smart customers figure it out. Guess you're not one",
               "We won't apologise for something this trivial", "You're not our only customer, be patient",
               "Feel free to try our competitor if they're so great", "Who are you to tell us what to do?",
               "Imagine complaining about free shipping", "Sounds like you need to read more carefully"]
COURTEOUS_EN += ["Have you tried restarting the router? That often fixes it", "You're welcome! Have a great day",
                 "You are welcome, glad we could help", "Have you tried clearing the app cache? Let us know",
                 "Could you tell us more about what happened?", "We'd like to get you talking to our experts here",
                 "We're unable to offer a refund, however we can offer store credit if you'd like?"]
COURTEOUS_ID += ["Sama-sama kak, senang bisa membantu", "Sudah coba restart modemnya kak? Biasanya berhasil",
                 "Boleh ceritakan lebih lanjut kendalanya kak?", "Santai saja kak, kami bantu pelan-pelan ya",
                 "Ayo bersama lawan hoaks, cek informasi di situs resmi kami", "Akhir pekan santai bersama keluarga"]
COURTEOUS_ID += ["Mohon maaf kak, syarat lengkapnya ada di sini, semoga membantu", "Kami cek dulu ya kak apakah ada kendala di sistem",
                 "Terima kasih sudah mengingatkan, kami perbaiki segera", "Maaf kak, antrean sedang ramai. Kami balas secepatnya",
                 "Tidak apa-apa kak, kami bantu jelaskan langkahnya ya", "Kami menghargai setiap masukan, termasuk kritik"]
COURTEOUS_EN += ["No worries, here's where to find the terms", "Let us check whether it's a bug on our side",
                 "Thanks for pointing that out, we'll fix it", "Sorry for the wait, we're answering as fast as we can",
                 "Good catch! We've updated the page", "We appreciate all feedback, including criticism"]
COURTEOUS_ID += ["Wah, terima kasih banyak kak atas dukungannya!", "Mohon maaf, stok sedang kosong. Kami kabari ya kak",
                 "Terima kasih atas kritiknya, jadi bahan evaluasi kami", "Kami paham ini merepotkan, maaf ya kak",
                 "Pesanan kakak sudah dikirim hari ini, ditunggu ya", "Halo kak, jam operasional kami 08.00-17.00 WIB",
                 "Kami ikut prihatin, semoga cepat pulih", "Silakan kirim foto kerusakannya lewat DM, kami ganti segera",
                 "Masukan kakak sangat berarti bagi kami", "Terima kasih sudah sabar menunggu, kak"]
COURTEOUS_EN += ["Thanks so much for the kind words!", "We hear you, and we're working on a fix",
                 "Our store hours are 9 to 5 on weekdays", "Sorry, that item is out of stock. We'll let you know when it's back",
                 "That's fair feedback, thank you. We'll share it with the team", "Congrats! Enjoy your new phone",
                 "We're so sorry for your loss", "Good question! The update rolls out next week",
                 "You're right, we got that wrong. We apologise.", "Please send a photo by DM and we'll replace it"]
for text in HOSTILE_ID:
    add(text, lang="id", hostile=1, abusive=0, sentiment="negative")
    add(text, lang="id", hostile=1, abusive=0, reply_to_text=rng.choice(CUSTOMER_POSTS_ID))
for text in HOSTILE_EN:
    add(text, lang="en", hostile=1, abusive=0, sentiment="negative")
    add(text, lang="en", hostile=1, abusive=0, reply_to_text=rng.choice(CUSTOMER_POSTS_EN))
for text in COURTEOUS_ID:
    add(text, lang="id", hostile=0, abusive=0, offensive=0, sentiment="neutral")
    add(text, lang="id", hostile=0, abusive=0, offensive=0, reply_to_text=rng.choice(CUSTOMER_POSTS_ID))
for text in COURTEOUS_EN:
    add(text, lang="en", hostile=0, abusive=0, offensive=0, sentiment="neutral")
    add(text, lang="en", hostile=0, abusive=0, offensive=0, reply_to_text=rng.choice(CUSTOMER_POSTS_EN))
# customers' own complaints are negative but not hostile replies
for text in CUSTOMER_POSTS_ID + CUSTOMER_POSTS_EN:
    add(text, hostile=0, abusive=0, offensive=0, sentiment="negative")

# --- Sarcasm -------------------------------------------------------------------------------------------
SARC = ["Wah hebat banget, udah tiga jam nunggu masih belum diangkat juga", "Great, another delay. Just what I needed.",
        "Makasih ya udah bikin hari gue makin ancur", "Oh sure, because that worked so well last time",
        "Mantap, listrik mati pas lagi kerja. Terbaik emang", "Keren banget, paketnya nyasar ke kota lain",
        "Love waiting on hold for an hour, best part of my day", "Wow, thanks for charging me twice, so generous",
        "Luar biasa, janji kampanye tinggal janji", "Terima kasih PLN atas pemadaman romantisnya",
        "Yeah, because raising prices always makes customers happy", "Brilliant idea to launch an update on Friday night",
        "Pelayanan secepat kilat, cuma seminggu baru dibales", "Salut, jalan berlubang dibiarkan jadi kolam ikan",
        "Nice, my flight got cancelled again. Love this airline", "Sungguh prestasi, macet 5 jam di tol baru",
        "Oh great, the app logged me out again. Fantastic.", "Hebat ya, harga naik tapi kualitas turun",
        "Such amazing customer service, nobody answered for a week", "Bagus banget sinyalnya, sampai hilang total"]
NOT_SARC = ["Terima kasih, pesanannya sudah sampai dengan baik", "Thanks, the package arrived on time",
            "Besok kantor tutup karena libur nasional", "The flight was delayed two hours", "Listrik mati dari jam 9 pagi",
            "Pelayanannya cepat dan ramah, terima kasih", "Great service today, thank you team",
            "Harga naik 10 persen mulai bulan depan", "I love this new update, much faster", "Paket saya nyasar ke kota lain",
            "Jalan berlubang di depan sekolah belum diperbaiki", "Mantap, timnas menang 3-0!"]
SARC += ["Wow, what a surprise, the train is late again", "Thanks for the amazing 40 minute wait on hold",
         "So glad I paid extra for 'express' shipping that took two weeks", "Oh good, another password reset email",
         "Love how the wifi works everywhere except where I need it", "Amazing how fast you reply when it's a sale",
         "Perfect timing, the server goes down during exam registration", "Keren ya, tiap hujan pasti banjir. Konsisten",
         "Hebat, baru beli kemarin hari ini sudah rusak", "Wah cepet banget ya refundnya, baru tiga bulan",
         "Makasih loh udah naikin harga pas tanggal tua", "Luar biasa, antrean 4 jam demi tanda tangan",
         "Bagus, pelayanan ramah banget sampai saya dibentak", "Prestasi luar biasa, proyeknya mangkrak 5 tahun",
         "Mantul, kuota habis padahal baru isi kemarin", "Canggih ya aplikasinya, login aja gagal terus",
         "Terbaik! Paket saya diantar ke alamat tetangga", "Senang sekali, gaji dipotong tanpa penjelasan",
         "Selamat ya, rekor baru macet terparah", "Bravo, janji perbaikan jalan sudah 10 tahun"]
NOT_SARC += ["The train is late again, any update?", "Waited 40 minutes on hold today", "Shipping took two weeks",
             "The server is down, when will it be back?", "Tiap hujan di sini banjir, mohon ditangani",
             "Barang baru beli kemarin sudah rusak", "Refund saya belum masuk sudah tiga bulan",
             "Harga naik lagi bulan ini", "Antrean tadi sampai 4 jam", "Proyek jalan ini belum selesai sejak 2019",
             "Kuota saya cepat habis, kenapa ya?", "Terima kasih, refund sudah masuk hari ini",
             "Wow, the new park looks beautiful", "So glad the concert went ahead despite the rain",
             "Keren banget penampilan timnas tadi malam", "Hebat, adikku lulus dengan nilai terbaik",
             "Perfect weather for a picnic today", "Makasih ya udah bantuin pindahan kemarin"]
for text in SARC:
    add(text, sarcasm=1, sentiment="negative", abusive=0, offensive=0)
for text in NOT_SARC:
    add(text, sarcasm=0)

# --- English brand mentions with sentiment (airline/telco/retail style) --------------------------------
EN_SENT = {
    "positive": ["Thanks for the upgrade, the crew was amazing", "Smooth check-in and friendly staff, great job",
                 "Love the new app, so easy to use", "Customer service fixed my issue in minutes, thank you!",
                 "Best flight I've had in years", "The delivery came a day early, awesome"],
    "negative": ["Two hours on hold and still no answer", "My bag is lost and nobody is helping",
                 "Worst customer service ever", "Flight delayed again with no explanation",
                 "The app charged me twice and support is ignoring me", "Cancelled my order without telling me"],
    "neutral": ["What time does the store open on Sunday?", "Is there wifi on the morning flight to Jakarta?",
                "Flight 123 boarding at gate 5", "How do I change my seat?", "New store opening in Surabaya next week",
                "Our office will be closed on Monday for the holiday"],
}
BRANDS = ["@united", "@Delta", "@AmericanAir", "@SouthwestAir", "@JetBlue", "@GarudaCares", "@Telkomsel", "@Tokopedia",
          "@amazon", "@Uber_Support"]
BRAND_SENT = {
    "negative": ["three hours on the tarmac and no updates", "you lost my bag AGAIN", "still waiting for my refund",
                 "worst experience ever, never flying with you again", "your app logged me out mid-payment",
                 "cancelled flight and no rebooking, thanks for nothing", "on hold for 2 hours, this is a joke",
                 "my package is 10 days late", "rude agent at the gate today", "charged me twice and no reply"],
    "positive": ["thanks for the upgrade, you guys rock", "crew was fantastic today, thank you",
                 "fixed my issue in 5 minutes, impressed", "love the new lounge", "landed early, great flight",
                 "best customer support I've had all year"],
    "neutral": ["what's the baggage allowance to Bali?", "is flight 88 on time today?", "do you fly to Lombok?",
                "how do I add my miles to this booking?", "when does the sale end?", "can I change my seat online?"],
}
for label, texts in BRAND_SENT.items():
    for text in texts:
        add(f"{rng.choice(BRANDS)} {text}", lang="en", sentiment=label)
for label, texts in EN_SENT.items():
    for text in texts:
        add(text, lang="en", sentiment=label)


def main() -> None:
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} examples -> {OUT}")


if __name__ == "__main__":
    main()
