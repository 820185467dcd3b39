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

# --- English offensive language, OLID style (issue 3) ----------------------------------------------------
# OLID counts a post offensive when it insults or attacks someone (often with no swear word at all:
# "liar", "clown", "disgrace") or uses profanity at all, even casually. The hard negatives below keep the
# same topics and words in civil criticism, news, quotes and slang praise ("killing it", "sick beat").
# These rows carry no hostile label: the hostile head keeps its own data's prior (hostile replies are rare),
# and an attack aimed at the addressee reaches the hostile score through the offensive score anyway.
EN_INSULTS_HAND = """You are a pathetic liar
what a clown
nobody asked you, moron
this senator is a disgrace
@USER you're an idiot and everyone can see it
@USER you clearly have no brain
You're a lying hypocrite and you know it
Go away, nobody likes you
@USER shut up already, you're embarrassing yourself
He's a spineless coward hiding behind his lawyers
The mayor is a dim-witted fool
@USER your mom must be so ashamed of you
Keep running your mouth, loser
@USER you are a complete waste of space
Our president is a senile old fool
@USER imagine being this dumb
What an absolute buffoon
That pundit is a shameless propaganda hack
These politicians are crooks and thieves, all of them
@USER you are beyond stupid
He's a creepy old pervert
@USER you're a nasty piece of work
@USER how are you this clueless? Pathetic
She's a talentless fraud
Liberals are brain dead
Conservatives are brain dead
@USER typical leftist idiot
@USER typical right wing nutjob
@USER you're a bigot and a coward
That guy is a total weirdo and a loser
@USER go back to your basement, troll
Her fans are a bunch of mindless drones
@USER you're a sellout and a snake
The referee is blind and stupid
The coach is a clueless moron, fire him
@USER what a dumb take, are you twelve?
@USER you're an embarrassment
@USER get lost, creep
@USER you're a parasite living off taxpayers
@USER you lying sack of garbage
@USER you sound like an uneducated hillbilly
Anyone who votes for him is an idiot
@USER you are a vile human
These people are subhuman
He is a useless idiot who ruined the company
@USER you make me sick, you disgusting pig
@USER you're so full of yourself, narcissist
@USER dumb as a box of rocks
@USER you're a con artist
@USER the biggest idiot on twitter award goes to you
@USER you have no spine
that influencer is a brainless airhead
@USER nice try, dumbo
@USER you're delusional and unhinged
@USER thanks for proving you're an imbecile
@USER bunch of losers, all of you
@USER lol what a loser
He's a lazy, incompetent slob
@USER stop lying you snake
@USER only a fool would say that
@USER you're not smart enough to understand this
The governor is a two-faced rat
@USER cry me a river, crybaby
@USER you're a hateful troll
that judge is a corrupt puppet
@USER your brain must be the size of a pea
@USER sit down, nobody asked, clown
@USER you're an ignorant fool
@USER what a disgraceful excuse for a human
@USER he is a scumbag
@USER she is a witch and a liar
@USER you're dumber than a rock
@USER you are scum
@USER nobody wants to hear from a racist like you
@USER your stupidity is astounding
@USER idiots like you are the problem
@USER moronic take as usual
@USER you are such a tool
@USER you idiotic, arrogant jerk
@USER such a lowlife
""".strip().splitlines()
EN_PROFANITY_CASUAL = """fuck yes, friday finally
this shit is amazing
holy fuck what a game
damn, that burger was good
I'm so fucking tired today
shit, I forgot my keys again
well that was a fucking disaster
hell yeah, road trip this weekend
fuck mondays
this weather is shit
oh shit, it's snowing
that test was a bitch
goddamn this traffic
fuck me, I missed the bus again
my phone is a piece of shit
@USER fuck off
@USER kiss my ass
@USER eat shit
@USER go fuck yourself
@USER you're a dick
@USER don't be a prick
@USER bullshit, you made that up
@USER your ass is getting fired
""".strip().splitlines()
EN_THREATS = """I'm going to find you and hurt you
@USER you better watch your back
@USER someone needs to beat the hell out of you
@USER I hope someone breaks your legs
@USER say that to my face and see what happens
@USER I will end you
@USER keep talking and you'll get hurt
@USER people like you should be shot
@USER hope you die
@USER I know where you work
""".strip().splitlines()
EN_NOT_OFFENSIVE = """@USER I disagree with you on this one
The new policy is wrong and should be reversed
@USER this plan will hurt small businesses, please reconsider
@USER my order is two weeks late, can you help?
@USER very disappointed with your customer service today
@USER your support team never replied to my email
The senator's proposal doesn't add up
I think the mayor made a bad decision on the budget
@USER respectfully, the data says otherwise
@USER the candidate's record on education is weak
Police say the man killed his neighbour after an argument
The suspect was charged with assault and robbery
The court heard the defendant called the victim a liar
The article quotes him saying 'they are all cowards'
The report describes racist abuse faced by players
You're killing it, keep going!
She absolutely killed it at the show
That beat is sick
This track is fire
Sick trick on the skateboard, dude
The new album is insanely good
That movie was so bad it was funny
I'm dead, this meme is hilarious
@USER haha you're crazy, love it
@USER you're the best, thank you
@USER you are amazing
@USER thanks, you're very kind
@USER you're right, my mistake
@USER congrats, well deserved
@USER are you coming to the meeting?
@USER have you tried restarting it?
@USER you should check the FAQ, it explains the refund rules
@USER you might want to update the app first
The team played terribly in the second half
The ending of the show was disappointing
This phone's battery life is awful
The vote was a failure for the government
The minister admitted the rollout was a mess
I hate waiting in line at the DMV
I'm sick of the rain
The hurricane destroyed hundreds of homes
A fool and his money are soon parted, as they say
The clown at the birthday party was great
We watched a documentary about pigs on a farm
The snake escaped from the zoo
Rats are surprisingly smart animals
He plays the villain, a liar and a thief, in the new film
The word 'idiot' comes from Greek
The campaign was accused of spreading lies
Critics called the plan a disaster
@USER this is misleading, please correct the headline
@USER your numbers are wrong, inflation was 3 percent
I don't trust this company with my data anymore
The protest against the war was peaceful
Voters are angry about the tax increase
The bill failed in the senate
@USER please stop spamming my mentions
@USER we'll have to agree to disagree
The coach was fired after the losing season
Stupid me, I left my wallet at home
I was so dumb to believe the forecast
Killer deal on laptops this weekend
He's a beast on the court
That drop was crazy, insane set
""".strip().splitlines()
for line in EN_INSULTS_HAND + EN_PROFANITY_CASUAL:
    add(line, lang="en", **ABUSIVE)
for line in EN_THREATS:
    add(line, lang="en", offensive=1, abusive=1, sentiment="negative")  # hostile via aimed abuse, as above
for line in EN_NOT_OFFENSIVE:
    add(line, lang="en", **CLEAN)

# templates: the same insult nouns aimed at a person (second person, "what a", "is a") vs harmless uses
EN_INSULT_NOUNS = ["idiot", "moron", "clown", "liar", "coward", "loser", "fool", "hypocrite", "fraud", "joke",
                   "disgrace", "creep", "jerk", "troll", "buffoon", "imbecile", "halfwit", "dimwit", "snake", "rat",
                   "parasite", "grifter", "hack", "bigot", "lowlife", "weasel", "scumbag", "nitwit", "crook",
                   "embarrassment", "psycho", "pig", "sheep", "puppet", "dumbass", "cretin", "degenerate"]
EN_INSULT_ADJS = ["stupid", "pathetic", "dumb", "useless", "brainless", "worthless", "clueless", "spineless",
                  "disgusting", "ignorant", "idiotic", "delusional", "corrupt", "lying", "incompetent", "vile",
                  "gutless", "deranged", "sad little", "dishonest"]
EN_PEOPLE = ["the senator", "the governor", "that reporter", "the CEO", "the ref", "this congressman", "her husband",
             "his lawyer", "the manager", "that youtuber", "the host", "the candidate", "the principal", "my landlord"]
EN_ATTACK_FRAMES = ["@USER you {a} {n}", "@USER you're a {a} {n}", "@USER what a {a} {n}", "what a {n}",
                    "{P} is a {a} {n}", "@USER you are such a {n}", "@USER shut up, {n}", "@USER nobody asked, {n}",
                    "{P} is nothing but a {n}", "@USER go away you {n}", "@USER lol you {n}",
                    "@USER you're the biggest {n} I've ever seen", "@USER stop talking, you {a} {n}",
                    "@USER ok {n}", "{P} is a {n} and a {n2}", "@USER you are {a}", "@USER how {a} can you be",
                    "{P} is so {a}", "@USER you {n}s are all the same", "@USER typical {n}"]
for frame in EN_ATTACK_FRAMES:
    for _ in range(9):
        noun, noun2 = rng.sample(EN_INSULT_NOUNS, 2)
        adj = rng.choice(EN_INSULT_ADJS).replace("sad little", "sad")
        if frame.endswith("{a}") or "{a} can" in frame or "so {a}" in frame:
            adj = rng.choice(EN_INSULT_ADJS).replace("sad little", "sad").replace("lying", "dishonest")
        text = frame.format(a=adj, n=noun, n2=noun2, P=rng.choice(EN_PEOPLE))
        add(text[0].upper() + text[1:] if not text.startswith("@") else text, lang="en", **ABUSIVE)
EN_CRITICISM_FRAMES = ["@USER I think {p} is a mistake", "{P} is wrong about {p}", "@USER {p} makes no sense to me",
                       "@USER please explain {p}, it seems unfair", "{P} should rethink {p}",
                       "@USER {p} is hurting families", "{P} made a bad call on {p}",
                       "@USER I'm not happy about {p}", "Disappointed that {P_l} supports {p}",
                       "@USER can you share the numbers behind {p}?", "{P} gave a weak answer on {p}",
                       "@USER thanks for the update on {p}", "{P} defended {p} at the hearing",
                       "Reporters asked {P_l} about {p}", "@USER you make a good point about {p}",
                       "@USER you are wrong about {p}, here's the data", "@USER your view on {p} is unrealistic"]
EN_POLICIES = ["the new tax", "the rent increase", "the school closure", "the fare hike", "the merger",
               "the curfew", "the budget cut", "the tariff", "the layoffs", "the new rule", "the price change"]
for frame in EN_CRITICISM_FRAMES:
    for _ in range(6):
        person = rng.choice(EN_PEOPLE)
        text = frame.format(p=rng.choice(EN_POLICIES), P=person[0].upper() + person[1:], P_l=person)
        add(text, lang="en", **CLEAN)
EN_HARMLESS_NOUN_FRAMES = ["The {n} in the movie was played brilliantly", "a documentary about a famous {n}",
                           "The word '{n}' was added to the dictionary in the 1600s",
                           "He was accused of calling a colleague a {n}, which he denies",
                           "Kids dressed as a {n} for the school play", "Is '{n}' an insult? A linguist explains"]
for frame in EN_HARMLESS_NOUN_FRAMES:
    for noun in rng.sample(["clown", "pig", "snake", "rat", "sheep", "fool", "puppet", "weasel"], 3):
        add(frame.format(n=noun), lang="en", **CLEAN)

EN_INSULTS_MORE = """@USER He is a complete idiot and a danger to the country
@USER She is a liar, always has been
@USER They are all crooks
@USER These liberals are nuts
@USER These conservatives are nuts
@USER Antifa thugs are cowards in masks
@USER MAGA cultists are morons
@USER Leftists are insane
@USER He's such a phony
@USER She's so fake it's embarrassing
@USER What a pos
@USER You're a sorry excuse for a journalist
@USER Another brainless celebrity lecturing us
@USER This guy is a nut
@USER He's a pedo and everyone knows it
@USER What a dope
@USER You suck at your job
@USER Your team sucks and so do you
@USER He's a snake oil salesman and a fraud
@USER She has no shame, what a hag
@USER Get your head out of your ass
@USER Stupid is as stupid does, you prove it daily
@USER You're a fascist and a bully
@USER Shut your pie hole
@USER You are what's wrong with this country
@USER Go cry somewhere else, baby
@USER Nobody takes you seriously, dude
@USER Ur so dumb lol
@USER Such a sleazebag
@USER Grow up, you child
""".strip().splitlines()
EN_NOT_OFFENSIVE_MORE = """@USER He is a strong candidate and I will vote for him
@USER She is a great leader
@USER They are all welcome at the town hall
@USER Liberals and conservatives agreed on the bill
@USER Gun control is a complicated issue
@USER Antifa rally planned for Saturday downtown, police say
@USER The MAGA rally drew a big crowd
@USER He is the new coach of the team
@USER She's the best teacher I ever had
@USER What a game last night!
@USER You're welcome, anytime
@USER This guy is a genius
@USER He's a nice person once you get to know him
@USER What a day, exhausted
@USER Your team played well, congrats
@USER He's a doctor at the city hospital
@USER She is running for mayor again
@USER I don't agree, but I see your point
@USER Is that the official number?
@USER Watching the debate tonight
@USER Prices are too high and wages too low
@USER He is wrong on immigration and I'll say so at the polls
@USER She is out of touch with voters on this
@USER This bill is a disaster for farmers
@USER The policy is a joke of an answer to inflation, in my view
""".strip().splitlines()
for line in EN_INSULTS_MORE:
    add(line, lang="en", **ABUSIVE)
for line in EN_NOT_OFFENSIVE_MORE:
    add(line, lang="en", **CLEAN)

# civil posts that address someone: "you", "your" and a leading mention are not signs of an attack
EN_CIVIL_YOU = ["you're right, thanks for pointing that out", "you can find the form on our website",
                "you did a great job today", "thank you for your patience", "have you checked your spam folder?",
                "you're welcome, have a great day", "we hope you enjoy the new update", "you should see the view from here",
                "you made my day", "you are always welcome here", "I like your idea a lot", "I like your new profile picture",
                "your feedback helps us improve", "your order is on its way", "your package will arrive tomorrow",
                "you'll get an email when it ships", "you've got this, good luck", "you were great on the podcast",
                "could you send us your account number?", "did you try logging out and back in?",
                "you can reset it from the settings page", "your point about transit is a good one",
                "you and your team did amazing work", "you are so kind, thank you", "wishing you and your family well",
                "you asked a great question", "let us know if you need anything else", "you're all set",
                "enjoy your weekend", "you nailed it", "hope you feel better soon", "you are invited to the launch",
                "nicely done, everyone", "that was nicely put", "nice work on the redesign", "very nice, well played",
                "you bet, see you there", "you got the tickets? awesome", "got it, you'll hear from us soon",
                "sure thing, you can count on us", "you too, take care", "you rock, thanks again"]
for body in EN_CIVIL_YOU:
    for prefix in rng.sample(["@USER ", "", "Hi, ", "@USER @USER ", "Thanks! "], 2):
        text = prefix + body
        add(text[0].upper() + text[1:] if not text.startswith("@") else text, lang="en", **CLEAN)


def main() -> None:
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} examples -> {OUT}")


if __name__ == "__main__":
    main()
