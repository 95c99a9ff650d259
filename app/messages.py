"""What a refused request is told, in English, Traditional Chinese and Simplified Chinese (in that
order), by the key its error carries: the one place these words are written.

A refusal is raised with its key and values (``QueryError("sort_invalid", name="sort", ...)``)
and takes its English from here (``english``); the JSON API answers that English, and a page in
another interface language reads the same entry. Values from the request (``{value}``,
``{pattern}``) are shown as given, escaped by the page. ``{name}`` is the parameter as the
request gave it: ``lang`` in a URL, ``--lang`` on the command line; the Chinese entries name the
URL's parameter, since only pages speak Chinese. Like ``config``, this is data that any layer may
read.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str, str]] = {
    # The query
    "q_missing": (
        "Give the words to search for in the q parameter, for example ?q=political+prisoners",
        "請在搜尋字詞（q）參數中提供要搜尋的字詞，例如 ?q=political+prisoners",
        "请在搜索字词（q）参数中提供要搜索的字词，例如 ?q=political+prisoners",
    ),
    "query_too_long": (
        "The query is {length} characters long; the limit is {limit}. Shorten it.",
        "查詢長 {length} 個字元，上限為 {limit} 個。請縮短查詢。",
        "查询长 {length} 个字符，上限为 {limit} 个。请缩短查询。",
    ),
    "query_empty": (
        "The query is empty: type a word or a phrase to search for.",
        "查詢是空的：請輸入要搜尋的字詞或詞組。",
        "查询是空的：请输入要搜索的字词或词组。",
    ),
    "query_unreadable": (
        "The query could not be read: check its quotes and brackets, and that a field name such as "
        "title: is followed by a word.",
        "無法讀取查詢：請檢查引號和括號，以及 title: 等欄位名稱後面是否有字詞。",
        "无法读取查询：请检查引号和括号，以及 title: 等字段名称后面是否有字词。",
    ),
    "query_only_excludes": (
        "The query only excludes words: add at least one word to search for.",
        "查詢只排除了字詞：請至少加入一個要搜尋的字詞。",
        "查询只排除了字词：请至少加入一个要搜索的字词。",
    ),
    "query_no_words": (
        "The query holds only punctuation or symbols: type a word or a phrase to search for.",
        "查詢只有標點或符號：請輸入要搜尋的字詞或詞組。",
        "查询只有标点或符号：请输入要搜索的字词或词组。",
    ),
    "query_only_common_words": (
        "Nothing in the query can be searched: common words such as 'the' and 'of' are not indexed on "
        "their own. Add a more specific word.",
        "查詢中沒有可搜尋的內容：the、of 等常用詞不會單獨編入索引。請加入更具體的字詞。",
        "查询中没有可搜索的内容：the、of 等常用词不会单独编入索引。请加入更具体的字词。",
    ),
    # Prefixes and wildcards
    "pattern_starts_with_wildcard": (
        "'{pattern}': a word cannot start with * or ?. Put at least two letters first.",
        "「{pattern}」：字詞不能以 * 或 ? 開頭。請先輸入至少兩個字母。",
        "“{pattern}”：字词不能以 * 或 ? 开头。请先输入至少两个字母。",
    ),
    "pattern_prefix_too_short": (
        "'{pattern}': put at least two letters before * or ?.",
        "「{pattern}」：請在 * 或 ? 前至少輸入兩個字母。",
        "“{pattern}”：请在 * 或 ? 前至少输入两个字母。",
    ),
    "pattern_too_many_words": (
        "'{pattern}' matches more than {limit} different words. Make it longer or more specific.",
        "「{pattern}」符合超過 {limit} 個不同的字詞。請把它加長或改得更具體。",
        "“{pattern}”匹配超过 {limit} 个不同的字词。请把它加长或改得更具体。",
    ),
    # The other parameters of a search
    "sort_invalid": (
        "{name} must be one of {choices}; got {value!r}.",
        "{name}必須是 {choices} 其中之一；收到的是「{value}」。",
        "{name}必须是 {choices} 其中之一；收到的是“{value}”。",
    ),
    "filter_too_many_values": (
        "at most {limit} values of {name} may be given at once.",
        "{name}最多只能同時指定 {limit} 個值。",
        "{name}最多只能同时指定 {limit} 个值。",
    ),
    "filter_value_too_long": (
        "the {name} filter value is too long (over {limit} characters).",
        "{name}篩選值太長（超過 {limit} 個字元）。",
        "{name}筛选值太长（超过 {limit} 个字符）。",
    ),
    "lang_invalid": (
        "{name} must be a language tag such as en, zh, zh-Hans or zh-Hant; got {value!r}.",
        "{name}必須是語言標籤，例如 en、zh、zh-Hans 或 zh-Hant；收到的是「{value}」。",
        "{name}必须是语言标签，例如 en、zh、zh-Hans 或 zh-Hant；收到的是“{value}”。",
    ),
    "lang_unknown": (
        "{name} must be one of the archive's languages, {choices}; got {value!r}.",
        "{name}必須是檔案庫中的語言之一：{choices}；收到的是「{value}」。",
        "{name}必须是档案库中的语言之一：{choices}；收到的是“{value}”。",
    ),
    "concept_unknown": (
        "{name}: the glossary has no concept {value!r}; a concept is named by its id, such as "
        "jimmy-lai or national-security-law, as the results' facets and the documents list them.",
        "{name}：詞彙表中沒有「{value}」這個概念；概念以其代號表示，例如 jimmy-lai 或 "
        "national-security-law，見搜尋結果的篩選項目和文件所列的概念。",
        "{name}：词汇表中没有“{value}”这个概念；概念以其代号表示，例如 jimmy-lai 或 "
        "national-security-law，见搜索结果的筛选项目和文件所列的概念。",
    ),
    "year_invalid": (
        "{name} must be four digits, such as 2021, or undated; got {value!r}.",
        "{name}必須是四位數字，例如 2021，或 undated（無日期）；收到的是「{value}」。",
        "{name}必须是四位数字，例如 2021，或 undated（无日期）；收到的是“{value}”。",
    ),
    "date_invalid": (
        "{name}: {value!r} is not a date: write a year, a month or a day (2019, 2019-06, 2019-06-04), "
        "or a range of them (2019-06..2020-12, ..2014, 2021-06-04..).",
        "{name}：「{value}」不是日期：請寫年、月或日（2019、2019-06、2019-06-04），或其範圍（2019-06..2020-12、..2014、2021-06-04..）。",
        "{name}：“{value}”不是日期：请写年、月或日（2019、2019-06、2019-06-04），或其范围（2019-06..2020-12、..2014、2021-06-04..）。",
    ),
    "date_backwards": (
        "{name}: the range {value!r} ends before it starts: put the earlier date first.",
        "{name}：範圍「{value}」的結束早於開始：請把較早的日期放在前面。",
        "{name}：范围“{value}”的结束早于开始：请把较早的日期放在前面。",
    ),
    "dedupe_invalid": (
        "{name} must be 1 (a result per group of copies, the default) or 0 (every copy); got {value!r}.",
        "{name} 必須是 1（每組副本只列一項，預設）或 0（列出每個副本）；收到的是「{value}」。",
        "{name} 必须是 1（每组副本只列一项，默认）或 0（列出每个副本）；收到的是“{value}”。",
    ),
    "exact_invalid": (
        "{name} must be 1 (only the characters as typed) or 0; got {value!r}.",
        "{name} 必須是 1（只找與輸入完全相同的字元）或 0；收到的是「{value}」。",
        "{name} 必须是 1（只找与输入完全相同的字符）或 0；收到的是“{value}”。",
    ),
    "expand_invalid": (
        "{name} must be 1 (search translations too) or 0 (only the words as typed); got {value!r}.",
        "{name} 必須是 1（同時搜尋譯名）或 0（只搜尋輸入的字詞）；收到的是「{value}」。",
        "{name} 必须是 1（同时搜索译名）或 0（只搜索输入的字词）；收到的是“{value}”。",
    ),
    "number_not_whole": (
        "{name} must be a whole number from {low} to {high}; got {value!r}.",
        "{name}必須是 {low} 至 {high} 之間的整數；收到的是「{value}」。",
        "{name}必须是 {low} 至 {high} 之间的整数；收到的是“{value}”。",
    ),
    "number_out_of_range": (
        "{name} must be from {low} to {high}; got {value}.",
        "{name}必須介於 {low} 至 {high} 之間；收到的是 {value}。",
        "{name}必须介于 {low} 至 {high} 之间；收到的是 {value}。",
    ),
    # An export of a search's results
    "export_too_large": (
        "{total:,} documents match; an export holds at most {limit:,}. Narrow the search by its filters "
        "(language, year, author, tag) or its dates (from, to), then export again.",
        "共有 {total:,} 份文件符合；一次匯出最多 {limit:,} 份。請以篩選條件（語言、年份、作者、標籤）或日期"
        "（from、to）收窄搜尋，然後再匯出。",
        "共有 {total:,} 份文件符合；一次导出最多 {limit:,} 份。请以筛选条件（语言、年份、作者、标签）或日期"
        "（from、to）缩小搜索范围，然后再导出。",
    ),
    "format_invalid": (
        "{name} must be one of {choices}; got {value!r}.",
        "{name}必須是 {choices} 其中之一；收到的是「{value}」。",
        "{name}必须是 {choices} 其中之一；收到的是“{value}”。",
    ),
    # A batch search: a list of queries at once
    "batch_empty": (
        "The list holds no query: give one query per line, or a CSV file whose first column holds them "
        "(a second column labels each).",
        "清單中沒有查詢：請每行輸入一個查詢，或提供第一欄為查詢的 CSV 檔案（第二欄可作備註）。",
        "清单中没有查询：请每行输入一个查询，或提供第一列为查询的 CSV 文件（第二列可作备注）。",
    ),
    "batch_too_many": (
        "The list holds {count:,} queries; a batch may hold at most {limit:,} (BATCH_QUERIES). "
        "Split it into lists of {limit:,} or fewer.",
        "清單有 {count:,} 個查詢；一次批次搜尋最多 {limit:,} 個（BATCH_QUERIES）。"
        "請分拆成每份 {limit:,} 個或以下的清單。",
        "清单有 {count:,} 个查询；一次批量搜索最多 {limit:,} 个（BATCH_QUERIES）。"
        "请拆分成每份 {limit:,} 个或以下的清单。",
    ),
    "batch_too_large": (
        "The list is larger than a batch may be: at most {limit:,} bytes (BATCH_BYTES). Split it into smaller lists.",
        "清單超出批次搜尋的上限：最多 {limit:,} 位元組（BATCH_BYTES）。請分拆成較小的清單。",
        "清单超出批量搜索的上限：最多 {limit:,} 字节（BATCH_BYTES）。请拆分成较小的清单。",
    ),
    "batch_unreadable": (
        "The list could not be read as text: save it as UTF-8 (or UTF-16, Big5, GB18030) and send it again.",
        "無法把清單讀成文字：請以 UTF-8（或 UTF-16、Big5、GB18030）儲存後再傳送。",
        "无法把清单读成文字：请以 UTF-8（或 UTF-16、Big5、GB18030）保存后再发送。",
    ),
    "batch_json_invalid": (
        "The JSON body must be an object whose queries is a list of strings, labels (if given) a list of "
        "strings, and each parameter a string, a number or a list of them; {field} is not.",
        "JSON 內容必須是物件：queries 為字串清單，labels（如有）為字串清單，"
        "每個參數為字串、數字或其清單；{field} 不符合。",
        "JSON 内容必须是对象：queries 为字符串列表，labels（如有）为字符串列表，"
        "每个参数为字符串、数字或其列表；{field} 不符合。",
    ),
    "batch_media_type": (
        "A batch is sent as application/json, or as a list of queries in text/csv or text/plain; got {value!r}.",
        "批次搜尋須以 application/json 傳送，或以 text/csv、text/plain 傳送查詢清單；收到的是「{value}」。",
        "批量搜索须以 application/json 发送，或以 text/csv、text/plain 发送查询清单；收到的是“{value}”。",
    ),
    "batch_line_unreadable": (
        "This line could not be read as a row of CSV: check its quotes and its length.",
        "此行無法讀成 CSV 的一列：請檢查引號及長度。",
        "此行无法读成 CSV 的一行：请检查引号及长度。",
    ),
    "batch_not_run": (
        "Not run: the batch had taken the {seconds} s it may take (BATCH_SECONDS) before this query's turn. "
        "Send the queries not run again.",
        "未執行：輪到此查詢前，批次搜尋已用完容許的 {seconds} 秒（BATCH_SECONDS）。請再傳送未執行的查詢。",
        "未执行：轮到此查询前，批量搜索已用完允许的 {seconds} 秒（BATCH_SECONDS）。请再发送未执行的查询。",
    ),
    # Pages and files
    "not_found": ("There is no such page or document.", "找不到此頁面或文件。", "找不到此页面或文件。"),
    "method_not_allowed": (
        "This address does not accept that method.",
        "此網址不接受這種請求方式。",
        "此网址不接受这种请求方式。",
    ),
    "unavailable": ("The archive is not ready yet.", "檔案庫尚未準備好。", "档案库尚未准备好。"),
    # Limits that keep the archive answering for everyone
    "search_timeout": (
        "The search took longer than the {seconds} s it may take and was stopped. "
        "Make it more specific: fewer very common words, or longer prefixes before *.",
        "搜尋超過了容許的 {seconds} 秒，已被停止。請把查詢寫得更具體：少用非常常見的字詞，或在 * 前輸入更長的開頭。",
        "搜索超过了允许的 {seconds} 秒，已被停止。请把查询写得更具体：少用非常常见的字词，或在 * 前输入更长的开头。",
    ),
    "too_many_searches": (
        "Too many searches at once from your address (at most {limit}): wait for them to finish, then search again.",
        "來自你的網絡位址的搜尋同時太多（最多 {limit} 個）：請等它們完成後再搜尋。",
        "来自你的网络地址的搜索同时太多（最多 {limit} 个）：请等它们完成后再搜索。",
    ),
    "body_too_large": (
        "A request body may be at most {limit:,} bytes here; only a batch search (POST /api/batch) sends a list.",
        "請求內容在這裏最多只能有 {limit:,} 位元組；只有批次搜尋（POST /batch 或 /api/batch）才會傳送清單。",
        "请求内容在这里最多只能有 {limit:,} 字节；只有批量搜索（POST /batch 或 /api/batch）才会发送清单。",
    ),
    "request_line_too_long": (
        "The request's address is too long. A query may be at most {limit} characters: shorten it.",
        "請求的網址太長。查詢最多只能有 {limit} 個字元：請縮短查詢。",
        "请求的网址太长。查询最多只能有 {limit} 个字符：请缩短查询。",
    ),
    "server_error": (
        "The server could not answer this request; it has been logged. Please try again.",
        "伺服器未能回應此請求，問題已記錄。請再試一次。",
        "服务器未能响应此请求，问题已记录。请再试一次。",
    ),
    "http_error": (
        "This request could not be answered (HTTP {status}).",
        "無法回應此請求（HTTP {status}）。",
        "无法响应此请求（HTTP {status}）。",
    ),
    "document_not_found": (
        "There is no document with the id {id!r}.",
        "沒有編號為「{id}」的文件。",
        "没有编号为“{id}”的文件。",
    ),
    "original_missing": (
        "The original file of this document is no longer in the archive's documents folder.",
        "此文件的原始檔案已不在檔案庫的文件資料夾中。",
        "此文件的原始文件已不在档案库的文件夹中。",
    ),
    "original_changed": (
        "The original file has changed since it was indexed, so it is no longer the file this page "
        "shows. It can be downloaded again once the archive has been indexed anew.",
        "原始檔案在編入索引後已被更改，已不是此頁所顯示的檔案。檔案庫重新編入索引後即可再次下載。",
        "原始文件在编入索引后已被更改，已不是此页所显示的文件。档案库重新编入索引后即可再次下载。",
    ),
}


def english(key: str, params: dict | None = None) -> str:
    """The English of the message ``key`` with its ``params``."""
    return MESSAGES[key][0].format(**(params or {}))
