"""The interface's words: labels and the forms of those that count, in English, Traditional
Chinese and Simplified Chinese (in that order); what the pages call formats, parameters and
languages is in ``names``. ``i18n`` looks them up."""

from __future__ import annotations

# Each label in the three interface languages, in that order.
LABELS: dict[str, tuple[str, str, str]] = {
    "site_name": ("Human Rights Archive", "人權檔案庫", "人权档案库"),
    "tagline": (
        "Petitions, statements, government responses and news on Hong Kong and China, in English and Chinese.",
        "有關香港和中國的請願書、聲明、政府回應及新聞，中英文並收。",
        "有关香港和中国的请愿书、声明、政府回应及新闻，中英文并收。",
    ),
    "search_label": ("Search the archive", "搜尋檔案庫", "搜索档案库"),
    "search_button": ("Search", "搜尋", "搜索"),
    "placeholder": (
        'political prisoners, 國安法, "freedom of peaceful assembly"',
        '政治犯、國安法、"freedom of peaceful assembly"',
        '政治犯、国安法、"freedom of peaceful assembly"',
    ),
    "skip_to_results": ("Skip to results", "跳至搜尋結果", "跳至搜索结果"),
    "took": ("in {ms} ms", "用時 {ms} 毫秒", "用时 {ms} 毫秒"),
    "no_results": ("No document matches {query}.", "沒有文件符合「{query}」。", "没有文件符合“{query}”。"),
    "try_next": (
        "Try fewer or more general words, check the spelling, remove a filter, or search the phrase without quotes.",
        "請嘗試減少字詞或改用較概括的字詞、檢查拼寫、移除篩選條件，或去掉引號再搜尋。",
        "请尝试减少字词或改用较概括的字词、检查拼写、移除筛选条件，或去掉引号再搜索。",
    ),
    "syntax_help": (
        'All words must match. Use "quotes" for a phrase, OR for either word, a minus sign to exclude '
        "a word, and * after two letters for a prefix.",
        '所有字詞都須符合。用"引號"搜尋詞組，用 OR 表示任一字詞，用減號排除字詞，在兩個字母後加 * 搜尋字首。',
        '所有字词都须符合。用"引号"搜索词组，用 OR 表示任一字词，用减号排除字词，在两个字母后加 * 搜索前缀。',
    ),
    "also_matched": ("Also matched:", "亦已配對：", "也已匹配："),
    "also_searched": ("Also searched:", "亦已搜尋：", "也已搜索："),
    "expansion_off": ("Search only the words as typed", "只搜尋輸入的字詞", "只搜索输入的字词"),
    "expansion_on": ("Also search translations", "同時搜尋譯名", "同时搜索译名"),
    "did_you_mean": ("Did you mean:", "你是否要找：", "你是不是要找："),
    # A document matched a glossary form of a part of the query: {words} as the document writes
    # them, {typed} the part of the query.
    "translation_of": ("{words}, a translation of {typed}", "{words}（{typed} 的譯名）", "{words}（{typed} 的译名）"),
    "facet_lang": ("Language", "語言", "语言"),
    "facet_year": ("Year", "年份", "年份"),
    "facet_author": ("Author or source", "作者或來源", "作者或来源"),
    "facet_tag": ("Tags", "標籤", "标签"),
    # The facets of the glossary's concepts the matches name (the API's concept=...).
    "facet_people": ("People", "人物", "人物"),
    "facet_organisations": ("Organisations", "組織及機構", "组织及机构"),
    "facet_places": ("Places", "地方", "地方"),
    "facet_laws": ("Laws", "法例", "法律"),
    "facet_events": ("Events", "事件", "事件"),
    "facet_topics": ("Topics", "議題", "议题"),
    # Copies: a result's others, the total, a document's own list, and what tells a copy apart.
    "copies_shown_once": (
        "copies shown once: {documents:,} documents",
        "副本只列一次：共 {documents:,} 份文件",
        "副本只列一次：共 {documents:,} 份文件",
    ),
    "every_copy": ("show every copy", "列出每個副本", "列出每个副本"),
    "copies_once": ("show copies once", "副本只列一次", "副本只列一次"),
    "copies_heading": ("Copies", "副本", "副本"),
    "another_folder": ("another folder", "另一資料夾", "另一文件夹"),
    "no_date": ("no date", "無日期", "无日期"),
    "near_copy": ("{percent}% the same", "{percent}% 相同", "{percent}% 相同"),
    "same_copy": ("the same", "完全相同", "完全相同"),
    # The document page's list of the concepts it names.
    "named_heading": ("Who and what it names", "文件提及的人物及概念", "文件提及的人物及概念"),
    "named_documents": ("every document naming {name}", "所有提及{name}的文件", "所有提及{name}的文件"),
    "named_mark": ("mark in the text", "在文中標示", "在文中标示"),
    # The year facet's value for documents without a date (the API's year=undated).
    "undated": ("Undated", "無日期", "无日期"),
    "filters": ("Filters", "篩選", "筛选"),
    "remove_filter": ("Remove filter", "移除篩選", "移除筛选"),
    "clear_filters": ("Clear all filters", "清除所有篩選", "清除所有筛选"),
    "sort_by": ("Sort by", "排序", "排序"),
    "sort_by_label": ("Sort by:", "排序：", "排序："),
    "sort_relevance": ("Relevance", "相關度", "相关度"),
    "sort_newest": ("Newest first", "最新優先", "最新优先"),
    "sort_oldest": ("Oldest first", "最舊優先", "最早优先"),
    "pagination": ("Pages of results", "結果頁碼", "结果页码"),
    "previous": ("Previous", "上一頁", "上一页"),
    "next": ("Next", "下一頁", "下一页"),
    "page_of": ("Page {page} of {pages}", "第 {page} 頁，共 {pages} 頁", "第 {page} 页，共 {pages} 页"),
    "pdf_page": ("p. {page}", "第 {page} 頁", "第 {page} 页"),
    "back_to_results": ("Back to the results", "返回搜尋結果", "返回搜索结果"),
    "new_search": ("New search", "重新搜尋", "重新搜索"),
    "date": ("Date", "日期", "日期"),
    "author": ("Author or source", "作者或來源", "作者或来源"),
    "languages": ("Languages", "語言", "语言"),
    "tags": ("Tags", "標籤", "标签"),
    "source_link": ("Source", "來源", "来源"),
    "format": ("Format", "格式", "格式"),
    "file": ("File", "檔案", "文件"),
    "description": ("Summary", "摘要", "摘要"),
    "metadata_matches": ("Matches in the document's details", "文件資料中的配對", "文件资料中的匹配"),
    "match_of": ("match {n} of {total}", "第 {n} 處配對，共 {total} 處", "第 {n} 处匹配，共 {total} 处"),
    "all_matches": ("All matches", "全部配對", "全部匹配"),
    "previous_match": ("Previous match", "上一處配對", "上一处匹配"),
    "next_match": ("Next match", "下一處配對", "下一处匹配"),
    "no_matches_here": (
        "The query does not occur in this document's text.",
        "此文件的內文中沒有這個搜尋詞。",
        "此文件的正文中没有这个搜索词。",
    ),
    "matches_only_in_details": (
        "The query occurs in this document's title or details above, not in its text.",
        "搜尋詞見於上方的標題或文件資料，不在內文中。",
        "搜索词见于上方的标题或文件资料，不在正文中。",
    ),
    "original_file": ("Download the original file", "下載原始檔案", "下载原始文件"),
    "original_file_hint": (
        "(exactly the bytes that were indexed)",
        "（與編入索引的內容完全相同）",
        "（与编入索引的内容完全相同）",
    ),
    "indexing_warnings": ("Indexing warnings", "編入索引的警告", "编入索引的警告"),
    # Above the text of a page read from its image; {confidence}: the mean of its words', 0 to 100.
    "ocr_notice": (
        "The text of this page was recognised by OCR and may contain errors (mean confidence {confidence}%).",
        "此頁文字經 OCR 辨識，可能有錯誤（平均可信度 {confidence}%）。",
        "此页文字经 OCR 识别，可能有错误（平均置信度 {confidence}%）。",
    ),
    "ocr_notice_unrated": (
        "The text of this page was recognised by OCR and may contain errors.",
        "此頁文字經 OCR 辨識，可能有錯誤。",
        "此页文字经 OCR 识别，可能有错误。",
    ),
    "page_image": ("Image of page {page}", "第 {page} 頁的圖像", "第 {page} 页的图像"),
    "interface_language": ("Interface language", "介面語言", "界面语言"),
    # A document found in another: a message's attachment, a member of a bundle or mailbox.
    "attached_to": ("Attached to", "附件所屬郵件", "附件所属邮件"),
    "found_in": ("In", "所在檔案", "所在文件"),
    "recipients": ("To", "收件人", "收件人"),
    "captured": ("Captured", "擷取", "抓取"),
    "captured_at": ("{url} on {time}", "{time} 擷取自 {url}", "{time} 抓取自 {url}"),
    "original_capture": ("Download the original capture", "下載原始擷取", "下载原始抓取"),
    # The results page's links to the whole list of results, as a file and as a feed.
    "download_results": ("Download these results", "下載這些結果", "下载这些结果"),
    "export_too_many": (
        "Narrow the search to {limit:,} results or fewer to download them.",
        "請把搜尋收窄至 {limit:,} 項結果或以下，即可下載。",
        "请把搜索范围缩小至 {limit:,} 条结果或以下，即可下载。",
    ),
    "follow_search": ("Follow this search (Atom feed)", "追蹤此搜尋（Atom 訂閱）", "关注此搜索（Atom 订阅）"),
    # The batch page: a list of queries searched at once.
    "batch_link": ("Search a whole list of names at once", "一次搜尋整份名單", "一次搜索整份名单"),
    "batch_title": ("Search a list", "搜尋清單", "搜索清单"),
    "batch_intro": (
        "Paste a list of names, organisations or laws, one per line in any script, or choose a text or CSV "
        "file whose first column holds them (a second column labels each). Each is searched as the search "
        "page searches it; at most {limit:,} at once.",
        "貼上人名、組織或法律的清單，每行一個，中英文及繁簡體皆可；"
        "或選擇第一欄為查詢的文字或 CSV 檔案（第二欄可作備註）。"
        "每個查詢的搜尋方式與搜尋頁相同；一次最多 {limit:,} 個。",
        "粘贴人名、组织或法律的清单，每行一个，中英文及繁简体皆可；"
        "或选择第一列为查询的文本或 CSV 文件（第二列可作备注）。"
        "每个查询的搜索方式与搜索页相同；一次最多 {limit:,} 个。",
    ),
    "batch_queries": ("Queries, one per line", "查詢（每行一個）", "查询（每行一个）"),
    "batch_file": ("Or a file (text or CSV)", "或選擇檔案（文字或 CSV）", "或选择文件（文本或 CSV）"),
    "batch_translations": (
        "Also search translations and other names",
        "同時搜尋譯名及其他名稱",
        "同时搜索译名及其他名称",
    ),
    "batch_any_language": ("Any language", "任何語言", "任何语言"),
    "batch_from": ("From", "由", "从"),
    "batch_to": ("To", "至", "至"),
    "batch_date_hint": (
        "a year, a month or a day: 2019, 2019-06, 2019-06-04",
        "年、月或日：2019、2019-06、2019-06-04",
        "年、月或日：2019、2019-06、2019-06-04",
    ),
    "batch_button": ("Search the list", "搜尋清單", "搜索清单"),
    "batch_counts": (
        "With documents: {found:,} · with none: {none:,} · not searched: {errors:,}",
        "有文件：{found:,} · 沒有文件：{none:,} · 未搜尋：{errors:,}",
        "有文件：{found:,} · 没有文件：{none:,} · 未搜索：{errors:,}",
    ),
    "batch_cut": (
        "The batch ran out of time ({seconds} s): the queries it did not reach are listed under “Not searched”.",
        "批次搜尋已用完時間（{seconds} 秒）：未輪到的查詢列於「未搜尋」。",
        "批量搜索已用完时间（{seconds} 秒）：未轮到的查询列于“未搜索”。",
    ),
    "batch_download": ("Download as CSV", "下載為 CSV", "下载为 CSV"),
    "batch_found": ("Queries with documents", "有文件的查詢", "有文件的查询"),
    "batch_col_line": ("Line", "行", "行"),
    "batch_col_query": ("Query", "查詢", "查询"),
    "batch_col_label": ("Label", "備註", "备注"),
    "batch_col_count": ("Documents", "文件數", "文件数"),
    "batch_col_first": ("First documents", "首數份文件", "前几份文件"),
    "batch_full_search": ("All results", "全部結果", "全部结果"),
    "batch_none": ("No document found", "找不到文件", "找不到文件"),
    "batch_errors": ("Not searched", "未搜尋", "未搜索"),
    "batch_line_number": ("line {line}", "第 {line} 行", "第 {line} 行"),
    # The search form's option, and its link to the search help (/help).
    "exact_typed": ("Exactly as typed", "完全依照輸入", "完全按照输入"),
    "search_help": ("Search help", "搜尋說明", "搜索说明"),
    # The timeline above the results, and the date filter beside them (the from and to parameters).
    "timeline_year": ("Results by year", "按年份的結果", "按年份的结果"),
    "timeline_month": ("Results by month", "按月份的結果", "按月份的结果"),
    "timeline_hint": ("Choose a bar to narrow the search.", "選擇柱可收窄搜尋。", "选择柱形可缩小搜索。"),
    "date_from": ("From", "由", "从"),
    "date_to": ("To", "至", "到"),
    "date_placeholder": ("YYYY, YYYY-MM or YYYY-MM-DD", "YYYY、YYYY-MM 或 YYYY-MM-DD", "YYYY、YYYY-MM 或 YYYY-MM-DD"),
    "date_apply": ("Apply dates", "套用日期", "应用日期"),
    "date_clear": ("Clear dates", "清除日期", "清除日期"),
    "date_range": ("{low} to {high}", "{low} 至 {high}", "{low} 至 {high}"),
}

# Labels that say how many of something there are: English has a form for one and a form for
# any other count; Chinese has one form, with its measure word. ``{count}`` is the number.
PLURALS: dict[str, tuple[tuple[str, str], str, str]] = {
    "results_count": (("{count:,} result", "{count:,} results"), "共 {count:,} 項結果", "共 {count:,} 条结果"),
    "also_in": (
        ("also in {count:,} copy", "also in {count:,} copies"),
        "另有 {count:,} 個副本",
        "另有 {count:,} 个副本",
    ),
    "copies_first": (
        ("The first copy is listed.", "The first {count:,} copies are listed."),
        "只列出首 {count:,} 個副本。",
        "只列出前 {count:,} 个副本。",
    ),
    "mentions": (("{count:,} mention", "{count:,} mentions"), "提及 {count:,} 次", "提及 {count:,} 次"),
    "matches_total": (("{count:,} match", "{count:,} matches"), "共 {count:,} 處配對", "共 {count:,} 处匹配"),
    "too_many_marks": (
        ("Only the first match is marked.", "Only the first {count:,} matches are marked."),
        "只標示了首 {count:,} 處配對。",
        "只标示了前 {count:,} 处匹配。",
    ),
    "landing": (
        (
            "Search {count:,} document. A query in Traditional or Simplified Chinese finds both scripts.",
            "Search {count:,} documents. A query in Traditional or Simplified Chinese finds both scripts.",
        ),
        "搜尋 {count:,} 份文件。以繁體或簡體中文搜尋，兩種字體的文件都會找到。",
        "搜索 {count:,} 份文件。以繁体或简体中文搜索，两种字体的文件都会找到。",
    ),
    "documents_in_archive": (("{count:,} document", "{count:,} documents"), "{count:,} 份文件", "{count:,} 份文件"),
    "pdf_pages": (("{count:,} page", "{count:,} pages"), "{count:,} 頁", "{count:,} 页"),
    "held_documents": (
        ("{count:,} document in it", "{count:,} documents in it"),
        "內含 {count:,} 份文件",
        "内含 {count:,} 份文件",
    ),
    "held_first": (
        ("Only the first is listed.", "Only the first {count:,} are listed."),
        "只列出首 {count:,} 份。",
        "只列出前 {count:,} 份。",
    ),
    "children_matched": (
        ("{count:,} document in it matches", "{count:,} documents in it match"),
        "其中 {count:,} 份文件符合",
        "其中 {count:,} 份文件符合",
    ),
    "captures": (
        ("This address was captured once.", "This address was captured {count:,} times:"),
        "此網址共擷取 {count:,} 次：",
        "此网址共抓取 {count:,} 次：",
    ),
    "batch_summary": (("{count:,} query", "{count:,} queries"), "共 {count:,} 個查詢", "共 {count:,} 个查询"),
    # A bar of the timeline, by its year or month; what it leaves out, counted apart.
    "timeline_bar": (
        ("{label}: {count:,} result", "{label}: {count:,} results"),
        "{label}：{count:,} 項結果",
        "{label}：{count:,} 条结果",
    ),
    "timeline_undated": (
        ("{count:,} result has no date.", "{count:,} results have no date."),
        "{count:,} 項結果沒有日期。",
        "{count:,} 条结果没有日期。",
    ),
    "timeline_year_only": (
        ("{count:,} result is dated only by its year.", "{count:,} results are dated only by their year."),
        "{count:,} 項結果只有年份。",
        "{count:,} 条结果只有年份。",
    ),
}
