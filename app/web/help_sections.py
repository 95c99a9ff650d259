"""The search help's sections: what each part of the query language does, a paragraph each, in
English, Traditional Chinese and Simplified Chinese (in that order; a word in `backquotes` is
shown as it is typed). Their examples are ``help_examples``, by the section's key.
"""

from __future__ import annotations

from dataclasses import dataclass

from .help_examples import Words


@dataclass(frozen=True)
class Section:
    """A part of the query language: its key (its anchor on the page, and that of its
    examples), its title, and what it does, a paragraph each."""

    key: str
    title: Words
    paragraphs: tuple[Words, ...]


WORDS_SECTION = Section(
    "words",
    ("Words and phrases", "字詞與詞組", "字词与词组"),
    (
        (
            "Every word must match, in any order, in a document's title, text, author, tags or "
            "description. English words are stemmed (`prisoner` finds prisoners), accents fold "
            "(`cafe` finds café), and case never matters.",
            "所有字詞都須符合，次序不限，可見於文件的標題、內文、作者、標籤或摘要。英文字詞會還原詞幹"
            "（`prisoner` 也找到 prisoners），重音符號不計（`cafe` 也找到 café），大小寫不拘。",
            "所有字词都须符合，次序不限，可见于文件的标题、正文、作者、标签或摘要。英文字词会还原词干"
            "（`prisoner` 也找到 prisoners），重音符号不计（`cafe` 也找到 café），大小写不拘。",
        ),
        (
            'A "quoted phrase" finds its words in a row. `OR` finds either word; `NOT`, or a minus '
            "sign before a word, leaves out the documents that hold it; (brackets) group; a `*` after "
            "at least two letters finds every word that starts so.",
            '"引號內的詞組"會找到連續出現的字詞。`OR` 找任一字詞；`NOT` 或字詞前的減號排除含有該字詞的'
            "文件；(括號) 把字詞分組；在至少兩個字母後加 `*`，找所有以此開頭的字詞。",
            '"引号内的词组"会找到连续出现的字词。`OR` 找任一字词；`NOT` 或字词前的减号排除含有该字词的'
            "文件；(括号) 把字词分组；在至少两个字母后加 `*`，找所有以此开头的字词。",
        ),
        (
            "Chinese needs no spaces: a run of Chinese characters is searched as that sequence, and a "
            "query in one script finds the other (`人權` finds 人权, and Hong Kong variants). Where the "
            "query names a concept of the glossary, its translations are searched too; `expand=0`, or "
            'the link "Search only the words as typed" on the results, turns them off.',
            "中文不需空格：一串中文字會按原有次序搜尋，以一種字體搜尋也會找到另一種（`人權` 也找到人权，"
            "以及香港異體字）。查詢提到詞彙表中的概念時，也會搜尋其譯名；`expand=0` 或結果頁的"
            "「只搜尋輸入的字詞」連結可關閉譯名搜尋。",
            "中文不需空格：一串中文字会按原有次序搜索，以一种字体搜索也会找到另一种（`人权` 也找到人權，"
            "以及香港异体字）。查询提到词汇表中的概念时，也会搜索其译名；`expand=0` 或结果页的"
            "“只搜索输入的字词”链接可关闭译名搜索。",
        ),
    ),
)


FIELDS_SECTION = Section(
    "fields",
    ("Fields", "欄位", "字段"),
    (
        (
            "`title:`, `author:`, `tag:` and `text:` search one part of a document: its title, its author "
            "or source, its tags, or its text alone (not its title or details). Each is followed, with "
            'no space, by a word, a "quoted phrase" or a (group).',
            "`title:`、`author:`、`tag:` 和 `text:` 只搜尋文件的一部分：標題、作者或來源、標籤，或只搜尋"
            '內文（不含標題和文件資料）。冒號後緊接一個字詞、"引號內的詞組"或 (一組字詞)，中間不留空格。',
            "`title:`、`author:`、`tag:` 和 `text:` 只搜索文件的一部分：标题、作者或来源、标签，或只搜索"
            '正文（不含标题和文件资料）。冒号后紧接一个字词、"引号内的词组"或 (一组字词)，中间不留空格。',
        ),
        (
            "A name before a colon that is none of these is searched as a word: `Note: the` finds note and the.",
            "冒號前的名稱若不是以上欄位，會當作字詞搜尋：`Note: the` 會找 note 和 the。",
            "冒号前的名称若不是以上字段，会当作字词搜索：`Note: the` 会找 note 和 the。",
        ),
    ),
)


DATES_SECTION = Section(
    "dates",
    ("Dates", "日期", "日期"),
    (
        (
            "`date:` selects documents by their own date: a year (`date:2019`), a month (`date:2019-06`), "
            "a day (`date:2019-06-04`), or a range between two of them, either end left open "
            "(`date:2019-06..2020-12`, `date:..2014`, `date:2021-06-04..`).",
            "`date:` 按文件本身的日期選取：年（`date:2019`）、月（`date:2019-06`）、日（`date:2019-06-04`），"
            "或兩者之間的範圍，任一端可留空（`date:2019-06..2020-12`、`date:..2014`、`date:2021-06-04..`）。",
            "`date:` 按文件本身的日期选取：年（`date:2019`）、月（`date:2019-06`）、日（`date:2019-06-04`），"
            "或两者之间的范围，任一端可留空（`date:2019-06..2020-12`、`date:..2014`、`date:2021-06-04..`）。",
        ),
        (
            "A document's date is as precise as its source: a year, a month or a day. A document is "
            "selected when the span its date stands for overlaps the range: one dated only 2019 may be "
            "from June 2019, so `date:2019-06..2020-12` selects it (its result shows its date as "
            "written); one dated 2019-05-30 is not selected. Documents without a date are never "
            "selected by a date.",
            "文件日期的精確程度與其來源相同：年、月或日。文件日期所代表的時段與範圍重疊，便會選取："
            "只標明 2019 年的文件可能寫於 2019 年 6 月，所以 `date:2019-06..2020-12` 會選取它（結果按原文"
            "顯示其日期）；日期為 2019-05-30 的文件則不會選取。沒有日期的文件不會被任何日期選取。",
            "文件日期的精确程度与其来源相同：年、月或日。文件日期所代表的时段与范围重叠，便会选取："
            "只标明 2019 年的文件可能写于 2019 年 6 月，所以 `date:2019-06..2020-12` 会选取它（结果按原文"
            "显示其日期）；日期为 2019-05-30 的文件则不会选取。没有日期的文件不会被任何日期选取。",
        ),
        (
            "The date filter beside the results (From, To) and the `from=` and `to=` parameters of the "
            "page and the API do the same: `from=2019-06&to=2020-12` is `date:2019-06..2020-12`. The "
            "timeline above the results counts them by year or by month; a bar narrows the search to "
            "its period.",
            "結果旁的日期篩選（由、至）以及網頁和 API 的 `from=`、`to=` 參數作用相同：`from=2019-06&to=2020-12` "
            "即 `date:2019-06..2020-12`。結果上方的時間線按年或按月點算結果；選擇一條柱可把搜尋收窄至該時期。",
            "结果旁的日期筛选（从、到）以及网页和 API 的 `from=`、`to=` 参数作用相同：`from=2019-06&to=2020-12` "
            "即 `date:2019-06..2020-12`。结果上方的时间线按年或按月统计结果；选择一个柱形可把搜索缩小到该时期。",
        ),
    ),
)


NEARNESS_SECTION = Section(
    "nearness",
    ("Words near each other", "相近的字詞", "相近的字词"),
    (
        (
            "A quoted phrase followed by `~` and a number finds its words within that many positions of "
            'each other, in any order: `"detention visits"~5`. A Chinese run inside stays a phrase, the '
            'number counting characters: `"黎智英 保釋"~10` finds 黎智英 and 保釋 within ten characters. '
            '`detention NEAR/5 visits` is the same as `"detention visits"~5`, and either side may be a '
            "quoted phrase. The closer the words stand, the higher the document scores.",
            '引號內的詞組後加 `~` 和數字，會找到彼此相距不超過該數目位置的字詞，次序不限：`"detention visits"~5`。'
            '其中的一串中文字仍是詞組，數字按字計算：`"黎智英 保釋"~10` 找相距十個字以內的黎智英和保釋。'
            '`detention NEAR/5 visits` 與 `"detention visits"~5` 相同，兩邊都可以是引號內的詞組。字詞愈接近，'
            "文件的排名愈高。",
            '引号内的词组后加 `~` 和数字，会找到彼此相距不超过该数目位置的字词，次序不限：`"detention visits"~5`。'
            '其中的一串中文字仍是词组，数字按字计算：`"黎智英 保釋"~10` 找相距十个字以内的黎智英和保释。'
            '`detention NEAR/5 visits` 与 `"detention visits"~5` 相同，两边都可以是引号内的词组。字词愈接近，'
            "文件的排名愈高。",
        ),
    ),
)


EXACT_SECTION = Section(
    "exact",
    ("Exactly as typed", "完全依照輸入", "完全按照输入"),
    (
        (
            'Tick "Exactly as typed" under the search box (`exact=1`) to find only the characters '
            "typed: `人权` finds 人权 and not 人權; Latin words as spelled (`rights` does not find right, "
            "`café` does not find cafe), case still ignored. No translation is searched.",
            "勾選搜尋框下的「完全依照輸入」（`exact=1`），只找與輸入完全相同的字元：`人权` 找到人权而非人權；"
            "拉丁字母的字詞按拼寫搜尋（`rights` 不會找到 right，`café` 不會找到 cafe），大小寫仍不拘。"
            "不會搜尋譯名。",
            "勾选搜索框下的“完全按照输入”（`exact=1`），只找与输入完全相同的字符：`人权` 找到人权而非人權；"
            "拉丁字母的字词按拼写搜索（`rights` 不会找到 right，`café` 不会找到 cafe），大小写仍不拘。"
            "不会搜索译名。",
        ),
    ),
)

SECTIONS: tuple[Section, ...] = (WORDS_SECTION, FIELDS_SECTION, DATES_SECTION, NEARNESS_SECTION, EXACT_SECTION)
