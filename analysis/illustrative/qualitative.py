"""Illustrative qualitative data for both studies: programmes, informants, codebook, coded segments.

The transcripts, field notes and codings of the two studies are not public. This module writes a
seeded stand-in, calibrated to what the studies report (see the book's introduction):

* **Jombang**: officials from the regency (Bappeda, Dinas Sosial, TKPK, ...) down to the
  kecamatan and the kelurahan, and residents; kelurahan officials and residents are drawn by the
  two-stage cluster sample of :mod:`analysis.sampling` (kelurahan first, informants within) from
  the invented frame :func:`jombang_sampling_frame`, with ``sampling_seed`` (the same seed the
  Jombang chapter uses, so its methods section redraws exactly the informants in the data).
  Interview, observation and document segments cover the study's seven themes and its findings.
* **Pakis**: 9 core informants PKS-R01..PKS-R09 (residents who received P2KP, small-business
  owners) and 2 additional informants PKS-S01, PKS-S02 (kelurahan staff).

Every segment text is a short Indonesian sentence written for this dataset (no real person, no
names, no identity numbers), with an English gloss. Desa, kelurahan and kecamatan are invented ids
(``DS-017``, ``KL-2``, ``KEC-03``). Who says what follows role-specific probabilities; which informants agreed
to be quoted is drawn at random (some did not). A subset of segments is coded again by a second
coder (C2) and part of it by a third (C3), with realistic slips (codes missed, a neighbouring code
of the same theme chosen, a code added), so the agreement statistics have something to measure.
C1 codes every segment and is the primary coder.

Nothing here is a field result: the numbers the chapters compute from these data show how the
analysis works.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pandas as pd

from analysis.data.contract import CODEBOOK, INFORMANTS, PROGRAMMES, SAMPLING_FRAME, SEGMENTS
from analysis.methods.sampling import ClusterSample, redraw

#: Seed of the Jombang two-stage draw; book/runs.yml passes the same value as ``sampling_seed``.
SAMPLING_SEED = 20170301
#: Design of the Jombang draw: kelurahan (clusters) at stage 1, informants per stratum at stage 2.
JOMBANG_CLUSTERS_DRAWN = 5
JOMBANG_PER_CLUSTER = {"kelurahan_official": 1, "resident": 3}
FRAME_SEED = 3517  # fixes the invented frame (BPS code of Jombang); not a parameter
PRIMARY_CODER, SECOND_CODER, THIRD_CODER = "C1", "C2", "C3"
#: Share of segments coded by the second coder, and share of those coded by the third too.
DOUBLE_CODED_SHARE = {"jombang": 0.40, "pakis": 0.50}
TRIPLE_CODED_SHARE = 0.5
#: Slips of the second and third coder per code the primary coder applied: probability of missing
#: it, of choosing a neighbouring code of the same theme instead, and of adding a code (per segment).
CODER_SLIPS = {"C2": (0.15, 0.12, 0.15), "C3": (0.20, 0.15, 0.20)}

THEMES = (
    "meaning",
    "indicators",
    "causes",
    "strategies",
    "programmes",
    "empowerment",
    "infrastructure",
    "outcomes",
)
THEME_GROUP = {t: "understanding poverty" for t in ("meaning", "indicators", "causes")} | {
    t: "responding to poverty"
    for t in ("strategies", "programmes", "empowerment", "infrastructure", "outcomes")
}

# Findings the two studies report (see the reference notes); codes below point to them.
F_TOPDOWN = "Planning is still top-down"
F_INNOVATION = "The regency runs its own programmes, like the central ones, reaching poor households (RTM) missing from central data"
F_MULTIDIM = "Poverty is understood as multidimensional"
F_BASICNEEDS = "The development model is basic-needs fulfilment"
F_PRIORITIES = "Food security, health and infrastructure are the priority sectors"
F_UKM = "Small enterprises (UKM) are stimulated by training and promotion"
F_PHYSICAL = "Physical works are built in neighbourhoods with many poor residents"
F_COMPONENTS = "P2KP gives direct aid, revolving credit and infrastructure aid"
F_NOTALL = "P2KP does not reach all poor residents"
F_CREDITUSE = "Revolving credit is used as working capital: raw materials in bulk and equipment"
F_INCOME = "Household income rose after P2KP"

# code, theme, label, description, finding, finding site
_CODES = (
    (
        "meaning_basic_needs",
        "meaning",
        "unmet basic needs",
        "Poverty described as not being able to meet basic needs (food, clothing, shelter).",
        None,
        None,
    ),
    (
        "meaning_multidimensional",
        "meaning",
        "multidimensional",
        "Poverty described as more than income: education, health, housing.",
        F_MULTIDIM,
        "jombang",
    ),
    (
        "meaning_income",
        "meaning",
        "income only",
        "Poverty described as income or spending below what a household needs.",
        None,
        None,
    ),
    (
        "ind_low_income",
        "indicators",
        "low income",
        "Low or irregular income named as a sign of poverty.",
        None,
        None,
    ),
    (
        "ind_food",
        "indicators",
        "meals, food",
        "Few meals a day or little protein named as a sign of poverty.",
        None,
        None,
    ),
    (
        "ind_housing",
        "indicators",
        "housing",
        "Earth floor, bamboo walls, leaking roof or no latrine named as a sign of poverty.",
        None,
        None,
    ),
    (
        "ind_education",
        "indicators",
        "schooling",
        "Low schooling or children leaving school named as a sign of poverty.",
        None,
        None,
    ),
    (
        "ind_health",
        "indicators",
        "health care",
        "Not affording health care named as a sign of poverty.",
        None,
        None,
    ),
    (
        "ind_assets",
        "indicators",
        "no assets",
        "No savings or saleable assets named as a sign of poverty.",
        None,
        None,
    ),
    (
        "ind_work",
        "indicators",
        "casual work",
        "Casual or irregular work named as a sign of poverty.",
        None,
        None,
    ),
    (
        "cause_low_education",
        "causes",
        "low education",
        "Low education or skills given as a cause of poverty.",
        None,
        None,
    ),
    (
        "cause_lack_capital",
        "causes",
        "no capital",
        "Lack of capital for a business given as a cause of poverty.",
        None,
        None,
    ),
    (
        "cause_jobs",
        "causes",
        "few jobs",
        "Few jobs or seasonal work given as a cause of poverty.",
        None,
        None,
    ),
    (
        "cause_health_shock",
        "causes",
        "illness",
        "Illness or disability in the household given as a cause of poverty.",
        None,
        None,
    ),
    (
        "cause_mindset",
        "causes",
        "dependence on aid",
        "Attitudes, waiting for aid, given as a cause of poverty.",
        None,
        None,
    ),
    (
        "strat_top_down",
        "strategies",
        "top-down planning",
        "Programmes and priorities decided above (centre, province, regency) and carried out below.",
        F_TOPDOWN,
        "jombang",
    ),
    (
        "strat_proposals_ignored",
        "strategies",
        "proposals not taken up",
        "Proposals from neighbourhoods or the kelurahan not taken up in budgets.",
        F_TOPDOWN,
        "jombang",
    ),
    (
        "strat_musrenbang",
        "strategies",
        "planning meetings",
        "Participatory planning meetings (musrenbang) held or attended.",
        None,
        None,
    ),
    (
        "strat_basic_needs",
        "strategies",
        "basic-needs model",
        "Strategy described as meeting basic needs first.",
        F_BASICNEEDS,
        "jombang",
    ),
    (
        "strat_priority_food",
        "strategies",
        "priority: food",
        "Food security named as a priority sector.",
        F_PRIORITIES,
        "jombang",
    ),
    (
        "strat_priority_health",
        "strategies",
        "priority: health",
        "Health named as a priority sector.",
        F_PRIORITIES,
        "jombang",
    ),
    (
        "strat_priority_infrastructure",
        "strategies",
        "priority: infrastructure",
        "Basic infrastructure named as a priority sector.",
        F_PRIORITIES,
        "jombang",
    ),
    (
        "strat_coordination_tkpk",
        "strategies",
        "TKPK coordination",
        "Coordination across departments through the poverty-alleviation team (TKPK).",
        None,
        None,
    ),
    (
        "prog_central",
        "programmes",
        "central programmes",
        "Central programmes (PKH, Raskin, Jamkesmas/BPJS, PNPM) named or received.",
        None,
        None,
    ),
    (
        "prog_regency_innovation",
        "programmes",
        "regency programmes",
        "The regency's own programmes, similar to central ones.",
        F_INNOVATION,
        "jombang",
    ),
    (
        "prog_rtm_missing_data",
        "programmes",
        "RTM missing from data",
        "Poor households (RTM) missing from central recipient data.",
        F_INNOVATION,
        "jombang",
    ),
    (
        "emp_ukm_training",
        "empowerment",
        "UKM training",
        "Training for small enterprises (UKM).",
        F_UKM,
        "jombang",
    ),
    (
        "emp_ukm_promotion",
        "empowerment",
        "UKM promotion",
        "Promotion of small-enterprise products (fairs, outlets).",
        F_UKM,
        "jombang",
    ),
    (
        "emp_participation",
        "empowerment",
        "participation",
        "Residents taking part in planning or work (gotong royong).",
        None,
        None,
    ),
    (
        "infra_poor_neighbourhoods",
        "infrastructure",
        "works where poor live",
        "Physical works placed in neighbourhoods with many poor households.",
        F_PHYSICAL,
        "jombang",
    ),
    (
        "infra_housing_rehab",
        "infrastructure",
        "house repair",
        "Repair of substandard houses (RTLH).",
        None,
        None,
    ),
    (
        "infra_water_sanitation",
        "infrastructure",
        "water, sanitation",
        "Clean water, drains, latrines.",
        None,
        None,
    ),
    (
        "p2kp_direct_aid",
        "programmes",
        "P2KP direct aid",
        "P2KP direct (social) aid.",
        F_COMPONENTS,
        "pakis",
    ),
    (
        "p2kp_revolving_credit",
        "programmes",
        "P2KP revolving credit",
        "P2KP revolving credit (kredit bergulir).",
        F_COMPONENTS,
        "pakis",
    ),
    (
        "p2kp_infrastructure",
        "programmes",
        "P2KP infrastructure",
        "P2KP neighbourhood infrastructure.",
        F_COMPONENTS,
        "pakis",
    ),
    (
        "p2kp_not_all_poor",
        "programmes",
        "not all poor reached",
        "Poor residents who did not receive P2KP.",
        F_NOTALL,
        "pakis",
    ),
    (
        "p2kp_bkm_ksm",
        "empowerment",
        "BKM and KSM",
        "The community board (BKM) and self-help groups (KSM) that run P2KP.",
        None,
        None,
    ),
    (
        "credit_raw_materials",
        "outcomes",
        "credit: raw materials",
        "Credit used to buy raw materials, in larger quantities.",
        F_CREDITUSE,
        "pakis",
    ),
    (
        "credit_equipment",
        "outcomes",
        "credit: equipment",
        "Credit used to buy equipment.",
        F_CREDITUSE,
        "pakis",
    ),
    (
        "income_rise",
        "outcomes",
        "income rose",
        "Household income or turnover rose after P2KP.",
        F_INCOME,
        "pakis",
    ),
    (
        "credit_repayment",
        "outcomes",
        "repayment",
        "Instalments, arrears, joint liability.",
        None,
        None,
    ),
)

# One text variant: who says it ("official", "resident", "observation", "document"), Indonesian
# text, English gloss, codes besides the one it was chosen for, site it fits (None: both).
V = namedtuple("V", "who id en extra site", defaults=((), None))

TEXTS: dict[str, tuple[V, ...]] = {
    "meaning_basic_needs": (
        V(
            "official",
            "Orang miskin itu yang tidak mampu memenuhi kebutuhan dasar: pangan, sandang, papan.",
            "The poor are those who cannot meet basic needs: food, clothing, shelter.",
        ),
        V(
            "official",
            "Ukuran kami sederhana: keluarga bisa makan layak, punya rumah layak, anak bisa sekolah.",
            "Our yardstick is simple: the family can eat properly, has a decent house, the children can go to school.",
        ),
        V(
            "resident",
            "Miskin itu kalau untuk makan sehari-hari saja masih susah.",
            "Being poor is when even daily meals are hard to manage.",
        ),
        V(
            "resident",
            "Kalau kebutuhan pokok tidak tercukupi, ya itu namanya miskin.",
            "If the basic necessities are not covered, that is what poor means.",
        ),
        V(
            "document",
            "Kemiskinan dipahami sebagai tidak terpenuhinya hak-hak dasar masyarakat.",
            "Poverty is understood as the basic rights of people not being fulfilled.",
        ),
    ),
    "meaning_multidimensional": (
        V(
            "official",
            "Kemiskinan tidak hanya soal pendapatan, tetapi juga pendidikan, kesehatan, dan kondisi rumah.",
            "Poverty is not only about income but also education, health and housing conditions.",
        ),
        V(
            "official",
            "Kami melihat kemiskinan dari banyak sisi, jadi penanganannya juga lintas dinas.",
            "We see poverty from many sides, so tackling it also cuts across departments.",
        ),
        V(
            "resident",
            "Miskin bukan cuma tidak punya uang, tapi juga sakit tidak bisa berobat.",
            "Being poor is not just having no money, but also being unable to get treatment when sick.",
            ("ind_health",),
        ),
        V(
            "document",
            "Kemiskinan bersifat multidimensi sehingga penanggulangannya memerlukan keterpaduan program lintas sektor.",
            "Poverty is multidimensional, so tackling it needs programmes integrated across sectors.",
        ),
    ),
    "meaning_income": (
        V(
            "official",
            "Secara statistik, miskin berarti pengeluaran per kapita di bawah garis kemiskinan.",
            "Statistically, poor means spending per head below the poverty line.",
        ),
        V(
            "resident",
            "Miskin ya penghasilan tidak cukup, kerja serabutan, hasilnya tidak tentu.",
            "Poor means the income is not enough: odd jobs, uncertain earnings.",
            ("ind_work",),
        ),
        V(
            "resident",
            "Orang miskin itu yang penghasilannya kecil, tidak cukup untuk sebulan.",
            "The poor are those whose earnings are small, not enough for a month.",
            ("ind_low_income",),
        ),
    ),
    "ind_low_income": (
        V(
            "official",
            "Indikator pertama yang kami lihat adalah penghasilan kepala keluarga yang rendah dan tidak tetap.",
            "The first indicator we look at is a low, irregular income of the household head.",
        ),
        V(
            "resident",
            "Penghasilan suami sebagai buruh tani tidak tentu, kadang seminggu tidak ada kerja.",
            "My husband's income as a farm labourer is uncertain; some weeks there is no work.",
            ("ind_work",),
        ),
        V(
            "resident",
            "Sebulan paling dapat enam ratus ribu, itu untuk semua kebutuhan.",
            "A month we get six hundred thousand at most, and that is for everything.",
        ),
    ),
    "ind_food": (
        V(
            "official",
            "Kami tanya apakah keluarga makan dua kali sehari atau kurang, dan seberapa sering ada lauk.",
            "We ask whether the family eats twice a day or less, and how often there is a side dish.",
        ),
        V(
            "resident",
            "Kadang kami makan cuma dua kali, lauknya tahu tempe saja.",
            "Sometimes we eat only twice a day, with just tofu and tempeh.",
        ),
        V(
            "observation",
            "Di beberapa rumah yang dikunjungi, persediaan beras hanya cukup untuk beberapa hari.",
            "In several houses visited, the rice stock was enough for only a few days.",
        ),
    ),
    "ind_housing": (
        V(
            "official",
            "Rumah berlantai tanah dan berdinding bambu menjadi tanda yang paling mudah dilihat.",
            "A house with an earth floor and bamboo walls is the easiest sign to see.",
        ),
        V(
            "resident",
            "Rumah kami masih berlantai tanah, kalau hujan atapnya bocor.",
            "Our house still has an earth floor, and the roof leaks when it rains.",
        ),
        V(
            "observation",
            "Rumah di gang belakang banyak yang berdinding anyaman bambu dan tanpa jamban sendiri.",
            "Many houses in the back alley have woven-bamboo walls and no latrine of their own.",
            ("infra_water_sanitation",),
        ),
    ),
    "ind_education": (
        V(
            "official",
            "Banyak kepala keluarga miskin hanya tamat SD, dan ada anak yang putus sekolah.",
            "Many poor household heads only finished primary school, and some children drop out.",
        ),
        V(
            "resident",
            "Anak saya yang besar berhenti sekolah setelah SMP karena harus bantu kerja.",
            "My eldest stopped school after junior high because he had to help earn.",
        ),
    ),
    "ind_health": (
        V(
            "official",
            "Keluarga miskin biasanya tidak sanggup berobat kalau tidak punya kartu jaminan kesehatan.",
            "Poor families usually cannot afford treatment without a health-insurance card.",
            ("prog_central",),
        ),
        V(
            "resident",
            "Kalau ada yang sakit, kami bingung biaya berobatnya.",
            "When someone falls sick, we do not know how to pay for treatment.",
        ),
    ),
    "ind_assets": (
        V(
            "official",
            "Tidak punya tabungan atau barang yang bisa dijual senilai lima ratus ribu.",
            "No savings, nor goods that could be sold for five hundred thousand.",
        ),
        V(
            "resident",
            "Kami tidak punya simpanan, motor pun tidak ada.",
            "We have no savings; we do not even have a motorbike.",
        ),
    ),
    "ind_work": (
        V(
            "official",
            "Sebagian besar bekerja sebagai buruh harian atau serabutan tanpa penghasilan tetap.",
            "Most work as day labourers or at odd jobs without a fixed income.",
        ),
        V(
            "resident",
            "Saya kerja serabutan, kadang jadi kuli bangunan, kadang tidak ada kerjaan.",
            "I do odd jobs: sometimes construction labour, sometimes no work at all.",
        ),
    ),
    "cause_low_education": (
        V(
            "official",
            "Pendidikan rendah membuat mereka sulit bersaing mendapatkan pekerjaan yang layak.",
            "Low education makes it hard for them to compete for decent jobs.",
        ),
        V(
            "resident",
            "Saya cuma lulus SD, jadi susah cari kerja yang gajinya tetap.",
            "I only finished primary school, so it is hard to find a job with a steady wage.",
        ),
    ),
    "cause_lack_capital": (
        V(
            "official",
            "Banyak warga punya keterampilan, tetapi tidak punya modal untuk memulai usaha.",
            "Many residents have skills but no capital to start a business.",
        ),
        V(
            "resident",
            "Mau buka usaha, tapi modalnya dari mana?",
            "I would like to start a business, but where would the capital come from?",
            (),
            "jombang",
        ),
        V(
            "resident",
            "Sebelum dapat pinjaman, saya sering kehabisan modal untuk belanja bahan.",
            "Before I got the loan, I often ran out of capital to buy materials.",
            ("p2kp_revolving_credit",),
            "pakis",
        ),
    ),
    "cause_jobs": (
        V(
            "official",
            "Lapangan kerja terbatas, banyak yang bergantung pada musim tanam.",
            "Jobs are limited; many depend on the planting season.",
        ),
        V(
            "resident",
            "Pekerjaan di sini susah, pabrik hanya terima yang muda-muda.",
            "Work is hard to find here; the factories only take young people.",
        ),
    ),
    "cause_health_shock": (
        V(
            "official",
            "Ada keluarga yang jatuh miskin karena kepala keluarganya sakit lama.",
            "Some families fall into poverty because the household head is ill for a long time.",
        ),
        V(
            "resident",
            "Sejak suami sakit, tidak ada lagi yang bekerja tetap.",
            "Since my husband fell ill, no one has had steady work.",
        ),
    ),
    "cause_mindset": (
        V(
            "official",
            "Sebagian warga sudah terbiasa menunggu bantuan, jadi kurang berusaha sendiri.",
            "Some residents are used to waiting for aid, so they make less effort themselves.",
        ),
    ),
    "strat_top_down": (
        V(
            "official",
            "Program kami sebagian besar mengikuti arahan dan pedoman dari pusat dan provinsi.",
            "Most of our programmes follow directions and guidelines from the centre and the province.",
        ),
        V(
            "official",
            "Rencana kegiatan sudah ditentukan di kabupaten, kelurahan tinggal melaksanakan.",
            "Activities are decided at the regency; the kelurahan just carries them out.",
        ),
        V(
            "resident",
            "Programnya datang dari atas, kami tinggal menerima saja.",
            "The programmes come from above; we just receive them.",
        ),
        V(
            "resident",
            "Kami tidak pernah ditanya butuhnya apa.",
            "We have never been asked what we need.",
        ),
        V(
            "document",
            "Program penanggulangan kemiskinan daerah disusun dengan mengacu pada program nasional.",
            "The regional poverty programme is drawn up with reference to the national programmes.",
        ),
        V(
            "observation",
            "Dalam musrenbang kelurahan yang diamati, usulan warga dibacakan, tetapi prioritas akhir ditetapkan petugas kecamatan.",
            "In the kelurahan planning meeting observed, residents' proposals were read out, but kecamatan staff set the final priorities.",
            ("strat_musrenbang",),
        ),
    ),
    "strat_proposals_ignored": (
        V(
            "official",
            "Usulan dari musrenbang kelurahan sering tidak muncul lagi di anggaran kabupaten.",
            "Proposals from the kelurahan planning meeting often do not reappear in the regency budget.",
        ),
        V(
            "official",
            "Perbaikan saluran sudah kami usulkan tiga tahun berturut-turut, belum juga disetujui.",
            "We have proposed repairing the drains three years running, and it is still not approved.",
            ("infra_water_sanitation",),
        ),
        V(
            "resident",
            "Usulan RT soal jalan sudah lama, tapi tidak ada kabarnya.",
            "The neighbourhood's proposal about the road is old, but we have heard nothing.",
        ),
    ),
    "strat_musrenbang": (
        V(
            "official",
            "Setiap tahun kami adakan musrenbang dari tingkat RT sampai kelurahan.",
            "Every year we hold planning meetings from the neighbourhood up to the kelurahan.",
        ),
        V(
            "resident",
            "Saya pernah ikut rapat di balai kelurahan membahas usulan pembangunan.",
            "I once attended a meeting at the kelurahan hall on development proposals.",
        ),
        V(
            "document",
            "Berita acara musrenbang kelurahan memuat dua belas usulan, lima di antaranya bidang infrastruktur.",
            "The minutes of the kelurahan planning meeting list twelve proposals, five of them on infrastructure.",
        ),
    ),
    "strat_basic_needs": (
        V(
            "official",
            "Pendekatan kami memenuhi kebutuhan dasar dulu: pangan, kesehatan, pendidikan, rumah layak.",
            "Our approach is to meet basic needs first: food, health, education, decent housing.",
        ),
        V(
            "official",
            "Yang penting warga miskin bisa makan, berobat, dan anaknya sekolah; itu dasar semua program.",
            "What matters is that poor residents can eat, get treatment and send their children to school; that underlies every programme.",
        ),
        V(
            "document",
            "Arah kebijakan: pemenuhan kebutuhan dasar masyarakat miskin sebagai prioritas pembangunan.",
            "Policy direction: meeting the basic needs of the poor as a development priority.",
        ),
    ),
    "strat_priority_food": (
        V(
            "official",
            "Ketahanan pangan jadi prioritas, karena keluarga miskin paling rentan soal beras.",
            "Food security is a priority, because poor families are most exposed on rice.",
        ),
        V(
            "resident",
            "Yang paling membantu itu beras bantuan, jadi tidak perlu beli beras tiap hari.",
            "What helps most is the aid rice, so we need not buy rice every day.",
            ("prog_central",),
            "jombang",
        ),
        V(
            "document",
            "Prioritas pertama: ketahanan pangan keluarga miskin melalui bantuan beras dan lumbung pangan.",
            "First priority: food security of poor families through rice aid and food barns.",
        ),
    ),
    "strat_priority_health": (
        V(
            "official",
            "Kesehatan kami dahulukan: warga miskin yang belum punya kartu tetap dilayani di puskesmas.",
            "We put health first: poor residents without a card are still served at the health centre.",
            ("prog_regency_innovation",),
        ),
        V(
            "document",
            "Prioritas kedua: akses layanan kesehatan bagi penduduk miskin.",
            "Second priority: access to health services for the poor.",
        ),
    ),
    "strat_priority_infrastructure": (
        V(
            "official",
            "Infrastruktur dasar seperti jalan lingkungan dan air bersih tetap jadi prioritas anggaran.",
            "Basic infrastructure such as neighbourhood roads and clean water remains a budget priority.",
        ),
        V(
            "document",
            "Prioritas ketiga: infrastruktur dasar permukiman di kantong-kantong kemiskinan.",
            "Third priority: basic settlement infrastructure in pockets of poverty.",
            ("infra_poor_neighbourhoods",),
        ),
    ),
    "strat_coordination_tkpk": (
        V(
            "official",
            "Koordinasi lintas dinas dilakukan melalui TKPK yang diketuai wakil bupati.",
            "Coordination across departments runs through the TKPK, chaired by the deputy regent.",
        ),
        V(
            "document",
            "TKPK kabupaten menyusun laporan pelaksanaan penanggulangan kemiskinan setiap tahun.",
            "The regency TKPK writes a report on poverty alleviation every year.",
        ),
    ),
    "prog_central": (
        V(
            "official",
            "Program pusat seperti PKH, Raskin, dan Jamkesmas tetap menjadi andalan.",
            "Central programmes such as PKH, Raskin and Jamkesmas remain the mainstay.",
        ),
        V(
            "official",
            "Data penerima program pusat berasal dari pendataan BPS, kami tidak bisa mengubahnya.",
            "Recipient data for central programmes come from the BPS enumeration; we cannot change them.",
            ("strat_top_down",),
        ),
        V(
            "resident",
            "Saya dapat Raskin tiap bulan, lima belas kilo.",
            "I get Raskin rice every month, fifteen kilos.",
        ),
        V(
            "resident",
            "Anak saya dapat bantuan PKH untuk sekolah.",
            "My child gets PKH support for school.",
        ),
        V(
            "observation",
            "Pembagian beras bersubsidi di balai kelurahan: antrean panjang, sebagian warga tidak ada di daftar.",
            "Distribution of subsidised rice at the kelurahan hall: long queues, some residents not on the list.",
            ("prog_rtm_missing_data",),
        ),
        V(
            "document",
            "Daftar penerima program nasional ditetapkan berdasarkan basis data terpadu.",
            "The recipients of national programmes are set from the unified database.",
        ),
    ),
    "prog_regency_innovation": (
        V(
            "official",
            "Kabupaten punya program sendiri yang mirip program pusat, untuk rumah tangga miskin yang tidak tercakup.",
            "The regency has its own programmes, like the central ones, for poor households that are not covered.",
            ("prog_rtm_missing_data",),
        ),
        V(
            "official",
            "Kami membuat bantuan pangan dan jaminan kesehatan daerah dari APBD.",
            "We created regional food aid and health insurance from the regency budget.",
        ),
        V(
            "resident",
            "Saya tidak dapat PKH, tapi dapat bantuan dari kabupaten.",
            "I do not get PKH, but I get help from the regency.",
            ("prog_rtm_missing_data",),
        ),
        V(
            "document",
            "Peraturan bupati mengatur bantuan sosial bagi rumah tangga miskin yang belum terdaftar dalam data nasional.",
            "A regent's regulation governs social aid for poor households not yet in the national data.",
            ("prog_rtm_missing_data",),
        ),
    ),
    "prog_rtm_missing_data": (
        V(
            "official",
            "Masih banyak RTM yang tidak masuk data pusat, padahal kondisinya sama miskinnya.",
            "Many poor households (RTM) are still missing from the central data, though they are just as poor.",
        ),
        V(
            "official",
            "Kami verifikasi ulang di lapangan, ternyata ada keluarga miskin yang tidak terdata.",
            "We re-verified in the field and found poor families that were not recorded.",
        ),
        V(
            "resident",
            "Tetangga yang lebih mampu dapat bantuan, saya malah tidak terdaftar.",
            "Better-off neighbours get aid, while I am not even registered.",
        ),
        V(
            "document",
            "Hasil verifikasi TKPK menemukan rumah tangga miskin yang tidak tercantum dalam basis data terpadu.",
            "The TKPK verification found poor households not listed in the unified database.",
        ),
    ),
    "emp_ukm_training": (
        V(
            "official",
            "Dinas memberi pelatihan keterampilan dan manajemen usaha bagi pelaku UKM dari keluarga miskin.",
            "The department trains small-enterprise owners from poor families in skills and business management.",
        ),
        V(
            "official",
            "Pelatihan olahan makanan kami adakan di tiap kecamatan.",
            "We hold food-processing training in every kecamatan.",
        ),
        V(
            "resident",
            "Saya ikut pelatihan membuat kue di kecamatan, sekarang bisa jualan sendiri.",
            "I attended a cake-making training at the kecamatan; now I can sell on my own.",
        ),
        V(
            "document",
            "Laporan dinas mencatat pelatihan kewirausahaan bagi dua ratus peserta UKM.",
            "The department's report records entrepreneurship training for two hundred small-enterprise participants.",
        ),
    ),
    "emp_ukm_promotion": (
        V(
            "official",
            "Produk UKM kami bantu promosikan lewat pameran dan gerai di kabupaten.",
            "We help promote small-enterprise products through fairs and an outlet at the regency.",
        ),
        V(
            "resident",
            "Produk saya pernah dibawa ke pameran di alun-alun, pesanan jadi bertambah.",
            "My product was once taken to the fair in the town square, and orders grew.",
        ),
        V(
            "observation",
            "Di pameran UKM tingkat kabupaten, sebagian besar stan diisi kelompok usaha binaan dinas.",
            "At the regency small-enterprise fair, most stands were held by business groups the department supports.",
        ),
    ),
    "emp_participation": (
        V(
            "official",
            "Pemberdayaan berarti warga ikut merencanakan dan mengerjakan, bukan hanya menerima.",
            "Empowerment means residents help plan and do the work, not only receive.",
        ),
        V(
            "resident",
            "Waktu perbaikan jalan, warga ikut kerja bakti.",
            "When the road was repaired, residents joined in communal work.",
            ("infra_poor_neighbourhoods",),
            "jombang",
        ),
        V(
            "observation",
            "Warga bergotong royong membangun saluran, bahan disediakan kelurahan.",
            "Residents built a drain together; the kelurahan supplied the materials.",
            ("infra_water_sanitation",),
        ),
    ),
    "infra_poor_neighbourhoods": (
        V(
            "official",
            "Pembangunan fisik kami arahkan ke lingkungan yang banyak penduduk miskinnya.",
            "We direct physical works to neighbourhoods where many poor people live.",
        ),
        V(
            "official",
            "Jalan lingkungan dan drainase diprioritaskan di RW dengan jumlah RTM terbanyak.",
            "Neighbourhood roads and drainage go first to the RW with the most poor households.",
        ),
        V(
            "resident",
            "Jalan gang kami sekarang sudah dipaving, dulu becek.",
            "Our alley is paved now; it used to be muddy.",
        ),
        V(
            "observation",
            "Paving dan saluran baru terlihat di RW yang padat rumah tidak layak huni.",
            "New paving and drains were seen in the RW crowded with substandard houses.",
            ("ind_housing",),
        ),
        V(
            "document",
            "Lokasi kegiatan fisik ditetapkan berdasarkan peta sebaran rumah tangga miskin.",
            "Sites of physical works are chosen from the map of poor households.",
        ),
    ),
    "infra_housing_rehab": (
        V(
            "official",
            "Bedah rumah tidak layak huni kami laksanakan tiap tahun, meski kuotanya terbatas.",
            "We renovate substandard houses every year, although the quota is limited.",
        ),
        V(
            "resident",
            "Rumah saya dibantu perbaikan atap dan lantai tahun lalu.",
            "Last year my house got help to repair the roof and floor.",
        ),
        V(
            "document",
            "Daftar penerima bantuan rehabilitasi rumah memuat empat puluh rumah di kecamatan ini.",
            "The list of house-renovation recipients names forty houses in this kecamatan.",
        ),
    ),
    "infra_water_sanitation": (
        V(
            "official",
            "Air bersih dan jamban sehat masih jadi kebutuhan di beberapa kelurahan.",
            "Clean water and sanitary latrines are still needed in several kelurahan.",
        ),
        V(
            "resident",
            "Sekarang sudah ada sumur bor bersama, tidak perlu beli air lagi.",
            "Now there is a shared borehole, so we no longer buy water.",
        ),
        V(
            "observation",
            "Beberapa keluarga masih memakai sungai untuk mandi dan cuci.",
            "Some families still use the river for bathing and washing.",
        ),
    ),
    "p2kp_direct_aid": (
        V(
            "official",
            "Bantuan langsung P2KP diberikan kepada warga yang paling miskin, misalnya lansia dan janda.",
            "P2KP direct aid goes to the poorest residents, for example the elderly and widows.",
        ),
        V(
            "resident",
            "Dulu saya dapat bantuan langsung berupa sembako dan uang sekolah anak.",
            "I once received direct aid: staple foods and my child's school fees.",
        ),
        V(
            "document",
            "Laporan BKM mencatat bantuan sosial langsung untuk dua puluh keluarga sangat miskin.",
            "The BKM report records direct social aid to twenty very poor families.",
        ),
    ),
    "p2kp_revolving_credit": (
        V(
            "official",
            "Kredit bergulir disalurkan lewat KSM; pinjaman diangsur lalu digulirkan ke anggota lain.",
            "Revolving credit goes through the self-help groups; loans are repaid in instalments and passed on to other members.",
            ("p2kp_bkm_ksm",),
        ),
        V(
            "resident",
            "Saya pinjam dua juta dari kredit bergulir P2KP untuk usaha.",
            "I borrowed two million from the P2KP revolving credit for my business.",
        ),
        V(
            "resident",
            "Pinjamannya tidak besar, tapi jasanya ringan dan prosesnya mudah.",
            "The loan is not large, but the fee is light and the process easy.",
        ),
        V(
            "document",
            "Buku kas UPK mencatat perguliran pinjaman tahap ketiga kepada sembilan KSM.",
            "The UPK cash book records the third round of loans to nine self-help groups.",
            ("p2kp_bkm_ksm",),
        ),
    ),
    "p2kp_infrastructure": (
        V(
            "official",
            "Dana infrastruktur P2KP dipakai untuk paving gang dan saluran air di lingkungan padat.",
            "P2KP infrastructure funds paid for alley paving and drains in dense neighbourhoods.",
        ),
        V(
            "resident",
            "Selain pinjaman, P2KP juga membangun saluran di depan rumah kami.",
            "Besides loans, P2KP also built the drain in front of our house.",
        ),
        V(
            "observation",
            "Paving gang dan saluran yang dibangun dengan dana P2KP masih terawat.",
            "The alley paving and drains built with P2KP funds are still maintained.",
        ),
        V(
            "document",
            "PJM Pronangkis memuat pembangunan saluran lingkungan sepanjang tiga ratus meter.",
            "The mid-term poverty plan (PJM Pronangkis) includes three hundred metres of neighbourhood drains.",
        ),
    ),
    "p2kp_not_all_poor": (
        V(
            "official",
            "Dananya terbatas, jadi tidak semua warga miskin bisa menerima.",
            "Funds are limited, so not all poor residents can receive aid.",
        ),
        V(
            "resident",
            "Ada tetangga yang juga miskin tapi tidak dapat, karena tidak ikut kelompok.",
            "Some neighbours are poor too but get nothing, because they are not in a group.",
            ("p2kp_bkm_ksm",),
        ),
        V(
            "document",
            "Jumlah penerima bantuan lebih kecil daripada jumlah warga miskin dalam daftar kelurahan.",
            "There are fewer aid recipients than poor residents on the kelurahan list.",
        ),
    ),
    "p2kp_bkm_ksm": (
        V(
            "official",
            "BKM yang memilih penerima dan mengawasi KSM, kelurahan hanya memfasilitasi.",
            "The community board (BKM) chooses recipients and oversees the groups; the kelurahan only facilitates.",
        ),
        V(
            "resident",
            "Kelompok kami lima orang, saling menanggung kalau ada yang telat bayar.",
            "Our group has five people; we cover for each other when someone pays late.",
            ("credit_repayment",),
        ),
        V(
            "observation",
            "Rapat bulanan KSM di rumah ketua kelompok membahas angsuran anggota.",
            "The monthly group meeting at the leader's house discussed members' instalments.",
            ("credit_repayment",),
        ),
    ),
    "credit_raw_materials": (
        V(
            "official",
            "Kebanyakan peminjam memakai dana untuk modal kerja, terutama belanja bahan baku.",
            "Most borrowers use the funds as working capital, mainly to buy raw materials.",
            ("p2kp_revolving_credit",),
        ),
        V(
            "resident",
            "Dengan pinjaman itu saya bisa beli bahan baku lebih banyak sekaligus, jadi lebih murah.",
            "With the loan I could buy more raw materials at once, so they were cheaper.",
            ("p2kp_revolving_credit",),
        ),
        V(
            "resident",
            "Sekarang tepung dan gula saya beli per karung, bukan per kilo lagi.",
            "Now I buy flour and sugar by the sack, no longer by the kilo.",
        ),
        V(
            "observation",
            "Stok bahan baku di warung peminjam tampak lebih banyak dibanding usaha sejenis yang tidak meminjam.",
            "Raw-material stock at borrowers' stalls looked larger than at similar businesses that did not borrow.",
        ),
    ),
    "credit_equipment": (
        V(
            "resident",
            "Sebagian pinjaman saya belikan mesin jahit baru.",
            "I spent part of the loan on a new sewing machine.",
        ),
        V(
            "resident",
            "Saya beli etalase dan kompor gas besar supaya bisa masak lebih banyak.",
            "I bought a display case and a large gas stove so I could cook more.",
        ),
        V(
            "observation",
            "Peralatan usaha yang dibeli dengan pinjaman, seperti mesin dan etalase, masih dipakai.",
            "Business equipment bought with the loans, such as machines and display cases, is still in use.",
        ),
    ),
    "income_rise": (
        V(
            "official",
            "Dari laporan KSM, rata-rata pendapatan anggota naik setelah menerima pinjaman.",
            "According to the group reports, members' income rose on average after the loans.",
        ),
        V(
            "resident",
            "Sebulan sekarang bisa tambah sekitar empat ratus ribu.",
            "Now I make about four hundred thousand more a month.",
        ),
        V(
            "resident",
            "Alhamdulillah, sejak usaha berkembang kebutuhan sekolah anak bisa tercukupi.",
            "Thank God, since the business grew, the children's school needs are covered.",
        ),
        V(
            "document",
            "Evaluasi BKM mencatat kenaikan omzet usaha anggota KSM.",
            "The BKM evaluation records higher turnover in group members' businesses.",
        ),
    ),
    "credit_repayment": (
        V(
            "official",
            "Tingkat pengembalian cukup baik karena sistem tanggung renteng.",
            "Repayment is fairly good thanks to joint liability.",
        ),
        V(
            "resident",
            "Angsurannya mingguan, kadang berat kalau dagangan sepi.",
            "The instalments are weekly; sometimes hard when trade is slow.",
        ),
        V(
            "document",
            "Buku kas UPK mencatat beberapa tunggakan angsuran yang dijadwal ulang.",
            "The UPK cash book records some arrears that were rescheduled.",
        ),
    ),
}

# Fillers that open an interview answer (Indonesian, English).
_OPENERS = (
    ("", ""),
    ("Menurut saya, ", "In my view, "),
    ("Ya, ", "Well, "),
    ("Begini, ", "It is like this: "),
    ("Jujur saja, ", "To be honest, "),
)

_J_OFFICIAL = {  # probability that an official mentions a code (Jombang)
    "meaning_basic_needs": 0.5,
    "meaning_multidimensional": 0.75,
    "meaning_income": 0.3,
    "ind_low_income": 0.5,
    "ind_food": 0.35,
    "ind_housing": 0.55,
    "ind_education": 0.35,
    "ind_health": 0.35,
    "ind_assets": 0.25,
    "ind_work": 0.35,
    "cause_low_education": 0.45,
    "cause_lack_capital": 0.45,
    "cause_jobs": 0.35,
    "cause_health_shock": 0.2,
    "cause_mindset": 0.3,
    "strat_top_down": 0.6,
    "strat_basic_needs": 0.65,
    "strat_priority_food": 0.5,
    "strat_priority_health": 0.5,
    "strat_priority_infrastructure": 0.5,
    "strat_coordination_tkpk": 0.4,
    "strat_musrenbang": 0.3,
    "strat_proposals_ignored": 0.1,
    "prog_central": 0.55,
    "prog_regency_innovation": 0.75,
    "prog_rtm_missing_data": 0.65,
    "emp_ukm_training": 0.45,
    "emp_ukm_promotion": 0.35,
    "emp_participation": 0.3,
    "infra_poor_neighbourhoods": 0.55,
    "infra_housing_rehab": 0.35,
    "infra_water_sanitation": 0.3,
}
_J_ROLE = {
    "regency_official": _J_OFFICIAL,
    "kecamatan_official": _J_OFFICIAL
    | {
        "strat_top_down": 0.65,
        "strat_proposals_ignored": 0.35,
        "strat_musrenbang": 0.5,
        "prog_regency_innovation": 0.45,
        "strat_coordination_tkpk": 0.25,
    },
    "kelurahan_official": _J_OFFICIAL
    | {
        "strat_top_down": 0.55,
        "strat_proposals_ignored": 0.7,
        "strat_musrenbang": 0.65,
        "prog_regency_innovation": 0.35,
        "prog_rtm_missing_data": 0.7,
        "strat_basic_needs": 0.3,
        "strat_priority_food": 0.2,
        "strat_priority_health": 0.2,
        "strat_priority_infrastructure": 0.25,
        "strat_coordination_tkpk": 0.1,
        "infra_poor_neighbourhoods": 0.6,
        "infra_housing_rehab": 0.5,
    },
    "resident": {
        "meaning_basic_needs": 0.7,
        "meaning_multidimensional": 0.25,
        "meaning_income": 0.5,
        "ind_low_income": 0.55,
        "ind_food": 0.5,
        "ind_housing": 0.5,
        "ind_education": 0.3,
        "ind_health": 0.4,
        "ind_assets": 0.3,
        "ind_work": 0.5,
        "cause_low_education": 0.35,
        "cause_lack_capital": 0.5,
        "cause_jobs": 0.55,
        "cause_health_shock": 0.3,
        "strat_top_down": 0.4,
        "strat_proposals_ignored": 0.2,
        "strat_musrenbang": 0.2,
        "strat_priority_food": 0.3,
        "prog_central": 0.7,
        "prog_regency_innovation": 0.3,
        "prog_rtm_missing_data": 0.3,
        "emp_ukm_training": 0.3,
        "emp_ukm_promotion": 0.15,
        "emp_participation": 0.3,
        "infra_poor_neighbourhoods": 0.45,
        "infra_housing_rehab": 0.2,
        "infra_water_sanitation": 0.3,
    },
}
# Regency offices and the codes their officials speak about more often.
_J_AGENCIES = (
    (
        "Bappeda",
        {
            "strat_top_down": 0.85,
            "strat_priority_food": 0.8,
            "strat_priority_health": 0.8,
            "strat_priority_infrastructure": 0.8,
            "strat_basic_needs": 0.85,
        },
    ),
    (
        "Dinas Sosial",
        {"prog_central": 0.95, "prog_rtm_missing_data": 0.9, "prog_regency_innovation": 0.9},
    ),
    (
        "Sekretariat TKPK",
        {
            "strat_coordination_tkpk": 0.95,
            "prog_rtm_missing_data": 0.9,
            "meaning_multidimensional": 0.9,
        },
    ),
    (
        "Dinas Koperasi dan UMKM",
        {"emp_ukm_training": 0.95, "emp_ukm_promotion": 0.9, "cause_lack_capital": 0.8},
    ),
    (
        "Dinas Pekerjaan Umum",
        {
            "infra_poor_neighbourhoods": 0.95,
            "infra_housing_rehab": 0.8,
            "infra_water_sanitation": 0.7,
            "strat_priority_infrastructure": 0.8,
        },
    ),
)
_P_ROLE = {
    "resident": {
        "meaning_basic_needs": 0.45,
        "meaning_income": 0.4,
        "ind_low_income": 0.45,
        "ind_housing": 0.25,
        "ind_food": 0.2,
        "cause_lack_capital": 0.7,
        "cause_jobs": 0.2,
        "p2kp_revolving_credit": 0.95,
        "p2kp_direct_aid": 0.3,
        "p2kp_infrastructure": 0.45,
        "p2kp_not_all_poor": 0.4,
        "p2kp_bkm_ksm": 0.6,
        "credit_raw_materials": 0.8,
        "credit_equipment": 0.55,
        "income_rise": 0.9,
        "credit_repayment": 0.5,
    },
    "kelurahan_staff": {
        "meaning_multidimensional": 0.5,
        "meaning_basic_needs": 0.5,
        "ind_low_income": 0.5,
        "ind_housing": 0.5,
        "ind_work": 0.4,
        "cause_lack_capital": 0.6,
        "cause_low_education": 0.4,
        "p2kp_direct_aid": 0.95,
        "p2kp_revolving_credit": 0.95,
        "p2kp_infrastructure": 0.95,
        "p2kp_not_all_poor": 0.9,
        "p2kp_bkm_ksm": 0.9,
        "credit_raw_materials": 0.5,
        "income_rise": 0.6,
        "credit_repayment": 0.6,
    },
}
#: Small businesses of the nine core Pakis informants (snake_case, as in households.csv).
PAKIS_BUSINESS_TYPES = {
    "PKS-R01": "food_stall",
    "PKS-R02": "snack_maker",
    "PKS-R03": "tailoring",
    "PKS-R04": "grocery_kiosk",
    "PKS-R05": "motorcycle_repair",
    "PKS-R06": "snack_maker",
    "PKS-R07": "vegetable_seller",
    "PKS-R08": "laundry",
    "PKS-R09": "handicraft",
}
# Observation notes and documents: (source id, source type, codes they may carry, number of segments).
_J_OBS_CODES = (
    "ind_food",
    "ind_housing",
    "strat_top_down",
    "prog_central",
    "emp_ukm_promotion",
    "emp_participation",
    "infra_poor_neighbourhoods",
    "infra_water_sanitation",
)
_J_DOCUMENTS = (
    (
        "DOC-JBG-01",
        ("meaning_multidimensional", "meaning_basic_needs", "strat_basic_needs", "strat_top_down"),
    ),  # regional poverty strategy
    (
        "DOC-JBG-02",
        (
            "strat_priority_food",
            "strat_priority_health",
            "strat_priority_infrastructure",
            "strat_basic_needs",
        ),
    ),  # medium-term plan
    (
        "DOC-JBG-03",
        ("strat_coordination_tkpk", "prog_rtm_missing_data", "prog_central"),
    ),  # TKPK annual report
    (
        "DOC-JBG-04",
        ("prog_regency_innovation", "prog_central"),
    ),  # regent's regulation on social aid
    ("DOC-JBG-05", ("emp_ukm_training",)),  # cooperative and SME office report
    ("DOC-JBG-06", ("infra_poor_neighbourhoods", "infra_housing_rehab")),  # public works report
    ("DOC-JBG-07", ("strat_musrenbang", "strat_top_down")),  # planning-meeting minutes
)
_P_OBS = (
    ("OBS-PKS-01", ("credit_raw_materials", "credit_equipment")),
    ("OBS-PKS-02", ("p2kp_infrastructure",)),
    ("OBS-PKS-03", ("p2kp_bkm_ksm", "credit_raw_materials")),
)
_P_DOCUMENTS = (
    ("DOC-PKS-01", ("p2kp_revolving_credit", "credit_repayment")),
    ("DOC-PKS-02", ("p2kp_infrastructure", "p2kp_direct_aid")),
    ("DOC-PKS-03", ("p2kp_not_all_poor", "income_rise", "p2kp_direct_aid")),
)


def codebook_frame() -> pd.DataFrame:
    """The codebook (code, theme, description, theme_group, label, finding, finding_site)."""
    rows = [
        {
            "code": c,
            "theme": t,
            "description": d,
            "theme_group": THEME_GROUP[t],
            "label": lab,
            "finding": f,
            "finding_site": s,
        }
        for c, t, lab, d, f, s in _CODES
    ]
    return pd.DataFrame(rows, columns=CODEBOOK.columns)


def programmes_frame() -> pd.DataFrame:
    """The programme inventory: programmes the studies name, and central programmes of the period with their legal basis."""
    J, P = "jombang", "pakis"
    jstudy = "Jombang study (garuda.kemdiktisaintek.go.id/documents/detail/2389141)"
    pstudy = "Pakis study (repository.unej.ac.id/handle/123456789/87943)"
    p2kp = "; Petunjuk Pelaksanaan PNPM Mandiri P2KP, 2007"
    recon = "Illustrative reconstruction: the study reports such programmes, not their names or details. "
    central = "Central programme of the period, listed with its legal basis; the study's abstract does not name it. "
    rows = [
        (
            P,
            "P2KP: bantuan langsung",
            "central",
            "social protection",
            "direct aid",
            "mixed",
            "poorest households of the kelurahan (elderly, widows)",
            pstudy + p2kp,
            False,
            "P2KP component named by the study: direct social aid, chosen by the community board (BKM).",
        ),
        (
            P,
            "P2KP: kredit bergulir",
            "central",
            "economy",
            "revolving credit",
            "mixed",
            "poor residents with a small business, in self-help groups (KSM)",
            pstudy + p2kp,
            False,
            "P2KP component named by the study: revolving credit through KSM, used as working capital.",
        ),
        (
            P,
            "P2KP: prasarana lingkungan",
            "central",
            "infrastructure",
            "infrastructure",
            "mixed",
            "neighbourhoods of the kelurahan (paving, drains)",
            pstudy + p2kp,
            False,
            "P2KP component named by the study: neighbourhood infrastructure planned in the BKM's mid-term plan.",
        ),
        (
            J,
            "Bantuan pangan daerah",
            "regency",
            "food security",
            "direct aid",
            "top-down",
            "poor households (RTM) missing from central data",
            jstudy + "; model: Raskin Daerah in Pedoman Umum Raskin 2014",
            True,
            recon
            + "Regency food aid like the central rice programme, for RTM the central data miss (the Raskin guideline "
            "lets regencies add households from their own budget, 'Raskin Daerah').",
        ),
        (
            J,
            "Jaminan kesehatan daerah",
            "regency",
            "health",
            "health insurance",
            "top-down",
            "poor households (RTM) missing from central data",
            jstudy,
            True,
            recon + "Regency-funded health cover for poor residents without a central card.",
        ),
        (
            J,
            "Bedah rumah tidak layak huni (daerah)",
            "regency",
            "infrastructure",
            "housing repair",
            "top-down",
            "poor households in substandard houses, outside central lists",
            jstudy,
            True,
            recon
            + "Regency house-repair programme for poor households the central programmes do not reach.",
        ),
        (
            J,
            "Pelatihan dan promosi UKM",
            "regency",
            "economy",
            "training and promotion",
            "top-down",
            "small enterprises (UKM) of poor households",
            jstudy,
            False,
            recon
            + "The study names training and promotion as the stimulants for small enterprises.",
        ),
        (
            J,
            "Pembangunan fisik di kantong kemiskinan",
            "regency",
            "infrastructure",
            "infrastructure",
            "top-down",
            "neighbourhoods with many poor residents",
            jstudy,
            False,
            recon + "The study reports physical works placed where many poor residents live.",
        ),
        (
            J,
            "PKH (Program Keluarga Harapan)",
            "central",
            "social protection",
            "conditional cash transfer",
            "top-down",
            "very poor families with children, pregnant women",
            "Peraturan Menteri Sosial No. 1 Tahun 2018 tentang Program Keluarga Harapan (programme running since 2007)",
            False,
            central + "Conditional cash transfer to very poor families.",
        ),
        (
            J,
            "Raskin / Rastra",
            "central",
            "food security",
            "subsidised rice",
            "top-down",
            "poor households in the unified database",
            "Pedoman Umum Raskin 2014 (Tim Koordinasi Raskin Pusat)",
            False,
            central + "Subsidised rice for poor households (Raskin; later renamed Rastra).",
        ),
        (
            J,
            "Jamkesmas / BPJS Kesehatan PBI",
            "central",
            "health",
            "health insurance",
            "top-down",
            "poor and near-poor residents",
            "Permenkes No. 40 Tahun 2012 (Jamkesmas); UU No. 24 Tahun 2011 tentang BPJS; PP No. 101 Tahun 2012 tentang Penerima Bantuan Iuran",
            False,
            central
            + "Health insurance with contributions paid by the state (Jamkesmas until 2013, then BPJS Kesehatan PBI).",
        ),
        (
            J,
            "PNPM Mandiri",
            "central",
            "community empowerment",
            "block grants",
            "mixed",
            "kecamatan and kelurahan communities",
            "Peraturan Presiden No. 15 Tahun 2010 tentang Percepatan Penanggulangan Kemiskinan (cluster II: community empowerment)",
            False,
            central
            + "National community-empowerment programme (block grants planned by communities).",
        ),
    ]
    frame = pd.DataFrame(rows, columns=PROGRAMMES.columns)
    frame["regency_innovation"] = frame["regency_innovation"].astype(bool)
    return frame


def jombang_sampling_frame() -> pd.DataFrame:
    """The invented frame of the Jombang draw, as sizes (contract file ``study/sampling_frame.csv``).

    Kabupaten Jombang has 21 kecamatan with 302 desa and 4 kelurahan (RPJMD Jombang, Bab II): the
    frame lists all 306 clusters (invented ids ``DS-001`` ... ``DS-302`` for the desa, ``KL-1`` ...
    ``KL-4`` for the kelurahan, all four in ``KEC-01``), each with 3-5 listed officials and 20-120
    listed residents of poor households. Fixed (not seeded by the caller): it stands for the list
    the researchers would have had.
    """
    rng = np.random.default_rng(FRAME_SEED)
    clusters = [(f"KL-{k + 1}", "kelurahan", "KEC-01") for k in range(4)]
    clusters += [(f"DS-{k + 1:03d}", "desa", f"KEC-{k % 21 + 1:02d}") for k in range(302)]
    rows = []
    for cluster, kind, kecamatan in clusters:
        officials, residents = int(rng.integers(3, 6)), int(rng.integers(20, 121))
        rows.append(("jombang", cluster, kind, kecamatan, "kelurahan_official", officials))
        rows.append(("jombang", cluster, kind, kecamatan, "resident", residents))
    return pd.DataFrame(rows, columns=[f.name for f in SAMPLING_FRAME.fields])


def jombang_sample(sampling_seed: int = SAMPLING_SEED) -> ClusterSample:
    """The Jombang two-stage draw: 5 desa/kelurahan by PPS, then 1 official and 3 residents in each."""
    return redraw(
        jombang_sampling_frame(),
        n_clusters=JOMBANG_CLUSTERS_DRAWN,
        per_cluster=JOMBANG_PER_CLUSTER,
        seed=sampling_seed,
    )


def _informants(rng: np.random.Generator, sampling_seed: int) -> pd.DataFrame:
    rows = []
    for k, (agency, _) in enumerate(_J_AGENCIES):
        rows.append(
            dict(
                informant_id=f"JBG-REG{k + 1:02d}",
                site="jombang",
                role="regency_official",
                level="regency",
                cluster=None,
                agency=agency,
            )
        )
    sample = jombang_sample(sampling_seed).sample
    for k, kec in enumerate(sorted(sample["kecamatan"].unique())):
        rows.append(
            dict(
                informant_id=f"JBG-KEC{k + 1:02d}",
                site="jombang",
                role="kecamatan_official",
                level="kecamatan",
                cluster=None,
                agency=f"Kantor Kecamatan {kec}",
            )
        )
    for stratum, prefix, level in (
        ("kelurahan_official", "KEL", "kelurahan"),
        ("resident", "RES", "community"),
    ):
        part = sample[sample["stratum"] == stratum]
        for k, unit in enumerate(part.itertuples()):
            rows.append(
                dict(
                    informant_id=f"JBG-{prefix}{k + 1:02d}",
                    site="jombang",
                    role=stratum,
                    level=level,
                    cluster=unit.cluster,
                    agency=(
                        f"Kantor {unit.cluster_type.capitalize()} {unit.cluster}"
                        if stratum != "resident"
                        else None
                    ),
                )
            )
    for k in range(9):
        iid = f"PKS-R{k + 1:02d}"
        rows.append(
            dict(
                informant_id=iid,
                site="pakis",
                role="resident",
                level="community",
                cluster=None,
                informant_type="core",
                business_type=PAKIS_BUSINESS_TYPES[iid],
            )
        )
    for k in range(2):
        rows.append(
            dict(
                informant_id=f"PKS-S{k + 1:02d}",
                site="pakis",
                role="kelurahan_staff",
                level="kelurahan",
                cluster=None,
                informant_type="additional",
                agency="Kantor Kelurahan Pakis",
            )
        )
    frame = pd.DataFrame(rows).reindex(columns=INFORMANTS.columns)
    # Consent to quotation: about one in six declines; at least one per site declines and at least
    # one informant of every role agrees (so every role can be illustrated).
    consent = rng.random(len(frame)) > 0.17
    for site in ("jombang", "pakis"):
        idx = np.flatnonzero(frame["site"] == site)
        if consent[idx].all():
            consent[idx[rng.integers(len(idx))]] = False
    for _, idx in frame.groupby(["site", "role"]).indices.items():
        if not consent[idx].any():
            consent[idx[0]] = True
    frame["consent_quote"] = consent
    return frame


def _pick(rng, variants):
    return variants[int(rng.integers(len(variants)))]


def _variants(code: str, who: str, site: str) -> list[V]:
    return [v for v in TEXTS.get(code, ()) if v.who == who and v.site in (None, site)]


def _keeps_capital(sentence: str) -> bool:
    """Whether the first word keeps its capital after an opener: "I", acronyms (PKH, P2KP), names."""
    first = sentence.split()[0].strip(",;:.")
    return first in ("I", "Alhamdulillah") or (len(first) > 1 and first.isupper())


def _with_opener(rng, v: V) -> tuple[str, str]:
    o_id, o_en = _OPENERS[int(rng.integers(len(_OPENERS)))]
    text, gloss = v.id, v.en
    if o_id and not _keeps_capital(text):
        text = text[0].lower() + text[1:]
    if o_en and not _keeps_capital(gloss):
        gloss = gloss[0].lower() + gloss[1:]
    return o_id + text, o_en + gloss


def _primary_segments(rng: np.random.Generator, informants: pd.DataFrame) -> list[dict]:
    """Segments with the primary coder's codes: one dict per segment (codes as a tuple)."""
    agency_boost = dict(_J_AGENCIES)
    segments = []
    for inf in informants.itertuples():
        probs = (_J_ROLE if inf.site == "jombang" else _P_ROLE)[inf.role]
        if inf.role == "regency_official":
            probs = probs | agency_boost.get(inf.agency, {})
        who = "resident" if inf.role == "resident" else "official"
        codes = [c for c, p in probs.items() if _variants(c, who, inf.site) and rng.random() < p]
        if len(codes) < 3:  # everyone interviewed says something on at least three codes
            spare = [c for c in probs if c not in codes and _variants(c, who, inf.site)]
            codes += list(rng.choice(spare, size=min(3 - len(codes), len(spare)), replace=False))
        for code in codes:
            for _ in range(1 + int(rng.poisson(0.35))):
                v = _pick(rng, _variants(code, who, inf.site))
                text, gloss = _with_opener(rng, v)
                segments.append(
                    dict(
                        site=inf.site,
                        source_id=f"INT-{inf.informant_id}",
                        source_type="interview",
                        informant_id=inf.informant_id,
                        text=text,
                        gloss_en=gloss,
                        codes=tuple(dict.fromkeys((code,) + tuple(v.extra))),
                    )
                )
    return segments


def _source_segments(rng, site: str, sources, source_type: str, n_range=(2, 4)) -> list[dict]:
    who = source_type
    segments = []
    for source_id, codes in sources:
        available = [c for c in codes if _variants(c, who, site)]
        n = int(rng.integers(n_range[0], n_range[1] + 1))
        for _ in range(n):
            code = available[int(rng.integers(len(available)))]
            v = _pick(rng, _variants(code, who, site))
            segments.append(
                dict(
                    site=site,
                    source_id=source_id,
                    source_type=source_type,
                    informant_id=None,
                    text=v.id,
                    gloss_en=v.en,
                    codes=tuple(dict.fromkeys((code,) + tuple(v.extra))),
                )
            )
    return segments


_SIBLINGS = {}
for _c, _t, *_ in _CODES:
    _SIBLINGS.setdefault(_t, []).append(_c)


def _recode(
    rng, codes: tuple[str, ...], site_codes: set[str], p_drop: float, p_swap: float, p_add: float
) -> tuple[str, ...]:
    """Another coder's codes for a segment the primary coder coded ``codes``: misses, neighbours, additions."""
    theme_of = {c: t for c, t, *_ in _CODES}
    out = []
    for code in codes:
        u = rng.random()
        siblings = [s for s in _SIBLINGS[theme_of[code]] if s != code and s in site_codes]
        if u < p_drop:
            continue
        if u < p_drop + p_swap and siblings:
            out.append(siblings[int(rng.integers(len(siblings)))])
        else:
            out.append(code)
    if rng.random() < p_add:
        siblings = [s for s in _SIBLINGS[theme_of[codes[0]]] if s in site_codes]
        out.append(siblings[int(rng.integers(len(siblings)))])
    out = list(dict.fromkeys(out))
    return tuple(out) if out else (codes[0],)


def generate_qualitative(
    seed: int, *, sampling_seed: int = SAMPLING_SEED
) -> dict[str, pd.DataFrame]:
    """Illustrative programmes, informants, codebook and segments (columns as in analysis.data.contract).

    Deterministic for ``seed`` (texts, codings, consent) and ``sampling_seed`` (which kelurahan
    and informants the Jombang two-stage draw selects; the Jombang chapter redraws it).
    """
    rng = np.random.default_rng(seed)
    informants = _informants(rng, sampling_seed)
    segs = _primary_segments(rng, informants)
    clusters = sorted(informants.loc[informants["site"] == "jombang", "cluster"].dropna().unique())
    j_obs = [(f"OBS-JBG-{k + 1:02d}", _J_OBS_CODES) for k in range(len(clusters))]
    segs += _source_segments(rng, "jombang", j_obs, "observation", (2, 4))
    segs += _source_segments(rng, "jombang", _J_DOCUMENTS, "document", (2, 4))
    segs += _source_segments(rng, "pakis", _P_OBS, "observation", (2, 4))
    segs += _source_segments(rng, "pakis", _P_DOCUMENTS, "document", (2, 3))

    rows = []
    counters = {"jombang": 0, "pakis": 0}
    type_order = {"interview": 0, "observation": 1, "document": 2}
    segs.sort(key=lambda s: (s["site"], type_order[s["source_type"]], s["source_id"]))
    site_codes = {
        site: {c for s in segs if s["site"] == site for c in s["codes"]} for site in counters
    }
    for s in segs:
        counters[s["site"]] += 1
        s["segment_id"] = f"{'JBG' if s['site'] == 'jombang' else 'PKS'}-S{counters[s['site']]:04d}"
    for site in ("jombang", "pakis"):
        site_segs = [s for s in segs if s["site"] == site]
        n_double = int(round(DOUBLE_CODED_SHARE[site] * len(site_segs)))
        double = set(rng.choice(len(site_segs), size=n_double, replace=False).tolist())
        triple = set(sorted(double)[:: int(round(1 / TRIPLE_CODED_SHARE))])
        for k, s in enumerate(site_segs):
            coders = [(PRIMARY_CODER, s["codes"])]
            if k in double:
                coders.append(
                    (
                        SECOND_CODER,
                        _recode(rng, s["codes"], site_codes[site], *CODER_SLIPS[SECOND_CODER]),
                    )
                )
            if k in triple:
                coders.append(
                    (
                        THIRD_CODER,
                        _recode(rng, s["codes"], site_codes[site], *CODER_SLIPS[THIRD_CODER]),
                    )
                )
            for coder, codes in coders:
                for code in codes:
                    rows.append(
                        dict(
                            segment_id=s["segment_id"],
                            site=site,
                            source_id=s["source_id"],
                            source_type=s["source_type"],
                            code=code,
                            coder=coder,
                            text=s["text"],
                            informant_id=s["informant_id"],
                            gloss_en=s["gloss_en"],
                        )
                    )
    segments = pd.DataFrame(rows, columns=SEGMENTS.columns)
    return {
        "programmes": programmes_frame(),
        "informants": informants,
        "codebook": codebook_frame(),
        "segments": segments,
        "sampling_frame": jombang_sampling_frame(),
    }
