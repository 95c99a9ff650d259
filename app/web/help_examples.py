"""The search help's examples, by the section of the help that shows them: each a search of the
archive's own documents (documents/) that finds at least one of them, with what it finds, in
English, Traditional Chinese and Simplified Chinese (in that order; a word in `backquotes` is
shown as it is typed). The one list of them: the page and its tests read it.
"""

from __future__ import annotations

from dataclasses import dataclass

Words = tuple[str, str, str]


@dataclass(frozen=True)
class Example:
    """A query as it is typed, what it finds, and the other parameters of its search
    (``exact=1``)."""

    q: str
    finds: Words
    params: tuple[tuple[str, str], ...] = ()


WORDS = (
    Example(
        "political prisoners",
        (
            "Documents with both words, stemmed: the petition on Hong Kong's political prisoners.",
            "同時含有兩個字詞（已還原詞幹）的文件：關於香港政治犯的請願。",
            "同时含有两个字词（已还原词干）的文件：关于香港政治犯的请愿。",
        ),
    ),
    Example(
        '"national security law"',
        ("The three words in a row.", "連續出現的這三個字詞。", "连续出现的这三个字词。"),
    ),
    Example("torture OR 酷刑", ("Either word.", "任一字詞。", "任一字词。")),
    Example(
        "extradition -Amnesty",
        (
            "extradition, but not the documents that mention Amnesty (`extradition NOT Amnesty` is the same).",
            "含 extradition 但不提 Amnesty 的文件（`extradition NOT Amnesty` 相同）。",
            "含 extradition 但不提 Amnesty 的文件（`extradition NOT Amnesty` 相同）。",
        ),
    ),
    Example(
        "(lawyers OR journalists) detention",
        (
            "detention, with lawyers or journalists.",
            "含 detention，並含 lawyers 或 journalists。",
            "含 detention，并含 lawyers 或 journalists。",
        ),
    ),
    Example(
        "extradit*",
        (
            "Every word that starts with extradit: extradition among them.",
            "所有以 extradit 開頭的字詞，包括 extradition。",
            "所有以 extradit 开头的字词，包括 extradition。",
        ),
    ),
    Example(
        "人權律師",
        (
            "The four characters in a row, in either script: the Simplified 人权律师 of an English petition.",
            "連續的這四個字，兩種字體皆可：一份英文請願書中的簡體「人权律师」。",
            "连续的这四个字，两种字体皆可：一份英文请愿书中的简体“人权律师”。",
        ),
    ),
    Example(
        "國安法",
        (
            "Its translations too: the English articles on the National Security Law.",
            "連同譯名：有關 National Security Law（國安法）的英文文章。",
            "连同译名：有关 National Security Law（国安法）的英文文章。",
        ),
    ),
    Example(
        "torture",
        (
            "Only the word as typed: the English texts, not 酷刑 in the Chinese ones.",
            "只搜尋輸入的字詞：英文文件，而非中文文件中的「酷刑」。",
            "只搜索输入的字词：英文文件，而非中文文件中的“酷刑”。",
        ),
        (("expand", "0"),),
    ),
)


FIELDS = (
    Example(
        "title:人權",
        (
            "The Chinese translations of the Universal Declaration, whose titles hold 人權 (人权).",
            "標題含「人權」（人权）的《世界人權宣言》中文譯本。",
            "标题含“人权”（人權）的《世界人权宣言》中文译本。",
        ),
    ),
    Example(
        'author:"United Nations General Assembly"',
        ("The documents of that author.", "該作者的文件。", "该作者的文件。"),
    ),
    Example("tag:udhr", ("The documents tagged udhr.", "標籤為 udhr 的文件。", "标签为 udhr 的文件。")),
    Example(
        'tag:("united nations" OR udhr)',
        ("Tagged with either.", "標籤為其中之一的文件。", "标签为其中之一的文件。"),
    ),
    Example(
        "text:extradition",
        (
            "extradition in the text itself, not in a title or the details.",
            "內文本身含 extradition，而非標題或文件資料。",
            "正文本身含 extradition，而非标题或文件资料。",
        ),
    ),
    Example(
        "title:(statement OR petition)",
        ("Titles with either word.", "標題含任一字詞。", "标题含任一字词。"),
    ),
    Example(
        "Statement: warrants",
        (
            "Statement: is no field: both words are searched.",
            "Statement: 不是欄位：兩個字詞都會搜尋。",
            "Statement: 不是字段：两个字词都会搜索。",
        ),
    ),
)


DATES = (
    Example("date:1948", ("The documents of 1948.", "1948 年的文件。", "1948 年的文件。")),
    Example("date:1948-12", ("Of December 1948.", "1948 年 12 月的文件。", "1948 年 12 月的文件。")),
    Example(
        "date:1948-12-10",
        (
            "Of 10 December 1948: the Universal Declaration.",
            "1948 年 12 月 10 日的文件：《世界人權宣言》。",
            "1948 年 12 月 10 日的文件：《世界人权宣言》。",
        ),
    ),
    Example(
        "date:1948-06..1950-12",
        ("From June 1948 to December 1950.", "1948 年 6 月至 1950 年 12 月。", "1948 年 6 月至 1950 年 12 月。"),
    ),
    Example("date:..1950", ("Up to the end of 1950.", "直至 1950 年底。", "直至 1950 年底。")),
    Example("date:1948-12-10..", ("From 10 December 1948 on.", "1948 年 12 月 10 日起。", "1948 年 12 月 10 日起。")),
    Example(
        "torture date:..1950",
        ("A word and a date together.", "同時按字詞和日期搜尋。", "同时按字词和日期搜索。"),
    ),
    Example(
        "*",
        (
            "Every document of 1948 and 1949, by the page's date filter.",
            "以網頁的日期篩選找 1948 至 1949 年的所有文件。",
            "以网页的日期筛选找 1948 至 1949 年的所有文件。",
        ),
        (("from", "1948"), ("to", "1949")),
    ),
)


NEARNESS = (
    Example(
        '"prisoners release"~3',
        (
            "The two words within three positions, in either order: release all political prisoners.",
            "相距三個位置以內的兩個字詞，次序不限：release all political prisoners。",
            "相距三个位置以内的两个字词，次序不限：release all political prisoners。",
        ),
    ),
    Example(
        "release NEAR/3 prisoners",
        (
            'The same as `"release prisoners"~3`.',
            '與 `"release prisoners"~3` 相同。',
            '与 `"release prisoners"~3` 相同。',
        ),
    ),
    Example(
        '"人人 自由"~5',
        (
            "人人 and 自由 within five characters: 人人生而自由.",
            "相距五個字以內的「人人」和「自由」：人人生而自由。",
            "相距五个字以内的“人人”和“自由”：人人生而自由。",
        ),
    ),
    Example(
        '"Jimmy Lai" NEAR/10 jail',
        (
            "A phrase near a word: Jimmy Lai, and jail sentences.",
            "詞組與字詞相近：Jimmy Lai（黎智英）與 jail sentences。",
            "词组与字词相近：Jimmy Lai（黎智英）与 jail sentences。",
        ),
    ),
)


EXACT = (
    Example(
        "人权",
        (
            "Only 人权 as typed: the Simplified texts, not the Traditional 人權.",
            "只找輸入的「人权」：簡體文件，而非繁體的「人權」。",
            "只找输入的“人权”：简体文件，而非繁体的“人權”。",
        ),
        (("exact", "1"),),
    ),
    Example(
        "人權",
        (
            "Only 人權: the Traditional Universal Declaration.",
            "只找「人權」：繁體的《世界人權宣言》。",
            "只找“人權”：繁体的《世界人权宣言》。",
        ),
        (("exact", "1"),),
    ),
    Example(
        "right",
        (
            "right as written, not rights.",
            "按原文找 right，而非 rights。",
            "按原文找 right，而非 rights。",
        ),
        (("exact", "1"),),
    ),
    Example(
        "TORTURE",
        ("Case still ignored: torture.", "大小寫仍不拘：torture。", "大小写仍不拘：torture。"),
        (("exact", "1"),),
    ),
)

# Each section's examples by the section's key, in the order the page shows them.
BY_SECTION: dict[str, tuple[Example, ...]] = {
    "words": WORDS,
    "fields": FIELDS,
    "dates": DATES,
    "nearness": NEARNESS,
    "exact": EXACT,
}
EXAMPLES: tuple[Example, ...] = tuple(example for examples in BY_SECTION.values() for example in examples)
