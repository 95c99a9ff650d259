"""Exact and near copies: script, wrapping, punctuation, boilerplate and small edits make no new
document; another article on the same event, a chain of rewrites and short texts that differ do."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import opencc
import pytest

from app.index import copies, grouping

# One event, told sentence by sentence (a report of a fictional trial).
REPORT = [
    "Seven members of the Tsuen Wan Residents' Alliance were convicted on Monday of conspiracy to commit subversion.",
    "Judge Wong Siu-ming said the defendants had planned to paralyse the government by vetoing its budget.",
    "The prosecution relied on speeches, newspaper advertisements and minutes of meetings held in 2020.",
    "Defence lawyers argued that standing for election and voting against a budget are rights in the Basic Law.",
    "The court rejected that argument, finding that the plan as a whole was meant to force the Chief Executive out.",
    "Chan Ka-yee, the alliance's convenor, told the court she had only wanted the government to listen to voters.",
    "About two hundred people queued outside the West Kowloon Magistrates' Courts from dawn to hear the verdict.",
    "Several diplomats from European consulates attended the hearing and took notes in the public gallery.",
    "Amnesty International called the convictions a chilling message to anyone hoping to take part in politics.",
    "The government said in a statement that nobody is above the law and that the trial had been fair and open.",
    "Mitigation hearings are expected to begin next month, and sentences could range up to life imprisonment.",
    "Two of the defendants have been held in custody for more than three years since their arrest in early 2021.",
    "Relatives of the accused wept in the gallery as the judge read out his summary of the reasons for the verdict.",
    "A spokesperson for the Hong Kong Journalists Association said reporters had been kept from the main courtroom.",
    "The case is the largest prosecution so far under the security law imposed on the city in June 2020.",
    "Legal scholars abroad noted that the judges had been chosen by the Chief Executive rather than by the judiciary.",
    "Lee Chi-keung, a retired teacher who waited six hours, said he came because his former students were on trial.",
    "After the verdict, police officers asked the crowd to leave the area and removed a banner from a railing.",
    "The United Nations Human Rights Committee had urged the city to repeal the law and release its detainees.",
    "Lawyers for three defendants said they would study the judgment before deciding whether to appeal.",
]

# Another article on the same trial: the same people and places, different sentences.
OTHER_REPORT = [
    "Chan Ka-yee of the Tsuen Wan Residents' Alliance waved to her family as she was led away on Monday.",
    "Her husband said outside the West Kowloon Magistrates' Courts that she had never hidden her plans from anyone.",
    "Judge Wong Siu-ming spent almost two hours reading a summary of a judgment that runs to three hundred pages.",
    "In it, the court described the vetoing of a budget as a weapon when used to paralyse the government.",
    "Amnesty International and Human Rights Watch both issued statements within minutes of the verdict.",
    "The European Union said the convictions showed the erosion of political freedoms in Hong Kong since 2020.",
    "A government spokesperson replied that foreign criticism amounted to interference in the city's internal affairs.",
    "The convicted members of the alliance will return to court next month for mitigation and sentencing.",
]

# The same trial in Traditional Chinese, a sentence each.
REPORT_ZH = [
    "荃灣居民聯盟七名成員星期一被裁定串謀顛覆國家政權罪成，法官黃兆明指被告計劃透過否決財政預算案癱瘓政府運作。",
    "控方依據的證據包括被告在二零二零年發表的演說、刊登在報章上的廣告，以及多次會議的會議紀錄。",
    "辯方律師認為，參選和投票反對預算案都是《基本法》保障的權利，不應被視為違法的顛覆行為。",
    "法庭駁回辯方的論點，認為整個計劃的目的是迫使行政長官下台，而非單純表達對政策的不滿。",
    "聯盟召集人陳嘉儀在庭上表示，她只是希望政府聆聽選民的聲音，從來沒有想過要推翻任何制度。",
    "約二百名市民由清晨開始在西九龍裁判法院外排隊輪候旁聽，不少人帶同摺椅和雨傘，等候了超過六小時。",
    "多名歐洲國家駐港領事館的外交人員到場旁聽，並在公眾席上記錄判詞的內容。",
    "國際特赦組織形容這次定罪向所有仍希望參與政治的人發出了令人心寒的訊息。",
    "政府在聲明中表示，任何人都沒有凌駕法律的特權，審訊過程公平公開，一切依法處理。",
    "求情聆訊預計下月開始，各被告最高可被判處終身監禁，其中兩人自二零二一年初被捕後一直還押至今。",
]

OTHER_REPORT_ZH = [
    "荃灣居民聯盟召集人陳嘉儀星期一被押離法庭時，向坐在公眾席的家人揮手道別。",
    "她的丈夫在西九龍裁判法院外對記者說，妻子從來沒有向任何人隱瞞她的參選計劃。",
    "法官黃兆明用了接近兩小時宣讀判詞撮要，完整的判詞長達三百頁，詳細交代定罪的理由。",
    "判詞形容，以否決預算案作為手段癱瘓政府運作，等同把憲制權力變成武器。",
    "國際特赦組織和人權觀察在裁決後數分鐘內相繼發表聲明，批評審訊是政治檢控。",
    "歐盟表示，這次定罪顯示香港自二零二零年以來的政治自由不斷受到侵蝕。",
    "政府發言人回應指，外國的批評是干預香港內部事務，香港法院一向獨立審判。",
    "被定罪的聯盟成員將於下月再次出庭，進行求情及判刑程序。",
]

HEADER = "Republished with permission from the Tsuen Wan Observer. All rights reserved."
FOOTER = "Share this article: Facebook, Twitter, Email, Print. Subscribe to our daily newsletter."


def english(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def chinese(sentences: list[str]) -> str:
    return "\n\n".join("".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def edited_english(text: str, share: float, seed: int) -> str:
    """``share`` of the words replaced, deleted or doubled; commas and line breaks changed."""
    rng = random.Random(seed)
    words = text.split()
    for index in rng.sample(range(len(words)), round(share * len(words))):
        words[index] = rng.choice(["", "reportedly", words[index] + " " + words[index], "the"])
    rewrapped = textwrap.fill(" ".join(w for w in words if w), width=47)
    return rewrapped.replace(",", " ;").replace("'", "’")


def edited_chinese(text: str, share: float, seed: int) -> str:
    """``share`` of the Han characters replaced or deleted; punctuation and line breaks changed."""
    rng = random.Random(seed)
    chars = list(text)
    han = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
    for index in rng.sample(han, round(share * len(han))):
        chars[index] = rng.choice(["", "的", "了", "在"])
    flat = "".join(chars).replace("\n", "").replace("，", ", ").replace("。", ". ")
    return "\n".join(flat[i : i + 17] for i in range(0, len(flat), 17))


def grouped(texts: list[str], keys: list[int] | None = None) -> grouping.CopyGroups:
    keys = list(range(len(texts))) if keys is None else keys
    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    matrix, has = grouping.signatures([copies.fingerprint(t) for t in texts])
    return grouping.group_copies(np.array(keys), hashes, matrix, has)


def near(a: str, b: str) -> float:
    return float(grouping.similarity(copies.fingerprint(a).signature, copies.fingerprint(b).signature))


ARTICLE = english(REPORT[:10])
ARTICLE_ZH = chinese(REPORT_ZH)


def test_exact_copies_are_one_group_led_by_the_lowest_key():
    texts = [ARTICLE, english(OTHER_REPORT), ARTICLE, ARTICLE]
    groups = grouped(texts, keys=[40, 10, 20, 30])
    assert groups.group.tolist() == [20, 10, 20, 20]
    assert groups.exact.tolist() == [True, True, True, True]
    assert groups.members(30).tolist() == [20, 30, 40]
    assert groups.sizes.tolist() == [3, 1, 3, 3]
    assert groups.members(99).tolist() == []


@pytest.mark.parametrize("config", ["t2s", "hk2s"])
def test_a_traditional_article_and_its_simplified_conversion_are_one_group(config):
    simplified = opencc.OpenCC(config).convert(ARTICLE_ZH)
    assert simplified != ARTICLE_ZH
    groups = grouped([ARTICLE_ZH, chinese(OTHER_REPORT_ZH), simplified])
    assert groups.group.tolist() == [0, 1, 0]
    assert groups.exact.tolist() == [True, True, False]
    assert groups.similarity[2] > 0.9


def test_folding_meets_script_case_accents_and_punctuation():
    assert copies.fold_text("人權，香港綫！") == copies.fold_text("人权 香港线")
    assert copies.fold_text("CAFÉ  Naïve\n(crème)") == "cafe naive creme"
    assert copies.fold_text("well-\nknown") == "wellknown"


def test_rewrapped_repunctuated_and_edited_english_is_one_group():
    copy = edited_english(ARTICLE, 0.05, seed=1)
    assert copy.count("\n") > 10 and copy != ARTICLE
    groups = grouped([ARTICLE, english(OTHER_REPORT), copy])
    assert groups.group.tolist() == [0, 1, 0]
    assert not groups.exact[2]


def test_rewrapped_converted_and_edited_chinese_is_one_group():
    copy = edited_chinese(opencc.OpenCC("t2s").convert(ARTICLE_ZH), 0.05, seed=2)
    groups = grouped([chinese(OTHER_REPORT_ZH), ARTICLE_ZH, copy])
    assert groups.group.tolist() == [0, 1, 1]


def test_boilerplate_around_a_copy_keeps_it_in_the_group():
    copy = f"{HEADER}\n\n{edited_english(ARTICLE, 0.03, seed=3)}\n\n{FOOTER}"
    assert grouped([ARTICLE, copy]).group.tolist() == [0, 0]


def test_two_articles_on_the_same_event_are_two_groups():
    for first, second in [(ARTICLE, english(OTHER_REPORT)), (ARTICLE_ZH, chinese(OTHER_REPORT_ZH))]:
        assert near(first, second) < grouping.THRESHOLD
        assert grouped([first, second]).group.tolist() == [0, 1]


def test_an_article_sharing_a_third_of_its_sentences_is_another_article():
    third = english(REPORT[:3] + OTHER_REPORT[:6])
    assert grouped([english(REPORT[:9]), third]).group.tolist() == [0, 1]


def test_a_chain_of_rewrites_is_not_one_group():
    # Each step drops the first three sentences and adds three new ones.
    a, b, c = english(REPORT[0:10]), english(REPORT[3:13]), english(REPORT[6:16])
    assert near(a, b) >= grouping.THRESHOLD and near(b, c) >= grouping.THRESHOLD
    assert near(a, c) < grouping.THRESHOLD
    assert grouped([a, b, c]).group.tolist() == [0, 0, 2]


def test_the_order_of_the_keys_decides_the_first_members():
    a, b, c = english(REPORT[0:10]), english(REPORT[3:13]), english(REPORT[6:16])
    assert grouped([a, b, c], keys=[3, 2, 1]).group.tolist() == [3, 1, 1]
    assert grouped([c, b, a], keys=[5, 6, 7]).group.tolist() == [5, 5, 7]


def test_a_document_joins_the_leader_it_is_nearest():
    first, second = english(REPORT[0:10]), english(REPORT[6:18])
    between = english(REPORT[3:14])
    assert near(first, second) < grouping.THRESHOLD
    assert near(between, second) > near(between, first) >= grouping.THRESHOLD
    assert grouped([first, second, between]).group.tolist() == [0, 1, 1]
    assert grouped([second, first, between]).group.tolist() == [0, 1, 0]


def test_short_texts_are_grouped_only_when_exactly_equal():
    short = "Seven convicted of subversion."
    assert copies.fingerprint(short).signature is None
    texts = [short, short, short.lower(), "Seven convicted of subversion!", "人權組織批評判決。", "人权组织批评判决。"]
    assert grouped(texts).group.tolist() == [0, 0, 2, 3, 4, 5]


def test_documents_without_text_are_not_copies_of_each_other_unless_equal():
    groups = grouped(["", "   ", "", ARTICLE])
    assert groups.group.tolist() == [0, 1, 0, 3]


def test_the_signature_is_the_same_in_every_call_and_process():
    signature = copies.fingerprint(ARTICLE_ZH).signature
    assert signature.dtype == np.uint16 and signature.shape == (copies.PERMUTATIONS,)
    assert np.array_equal(signature, copies.fingerprint(ARTICLE_ZH).signature)
    program = (
        "import sys; from app.index.copies import fingerprint; "
        "print(fingerprint(sys.stdin.read()).signature.tobytes().hex())"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", program],
            input=ARTICLE_ZH,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parents[2],
        )
        assert out.stdout.strip() == signature.tobytes().hex()


def test_grouping_gives_the_same_answer_every_time():
    texts = [ARTICLE, edited_english(ARTICLE, 0.05, seed=4), ARTICLE_ZH, english(OTHER_REPORT)]
    first, second = grouped(texts), grouped(texts)
    assert np.array_equal(first.group, second.group)
    assert np.array_equal(first.similarity, second.similarity)


def test_many_near_copies_of_one_article_all_join_it():
    texts = [ARTICLE] + [edited_english(ARTICLE, 0.05, seed=s) for s in range(30)]
    groups = grouped(texts)
    assert set(groups.group.tolist()) == {0}
    assert groups.sizes.tolist() == [31] * 31


def test_unrelated_documents_stay_apart():
    texts = [english(REPORT[i : i + 2]) for i in range(0, 20, 2)] + [
        chinese(REPORT_ZH[i : i + 2]) for i in range(0, 10, 2)
    ]
    groups = grouped(texts)
    assert groups.group.tolist() == list(range(len(texts)))
