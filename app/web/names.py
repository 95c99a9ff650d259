"""What the pages call the things they name, in the three interface languages (English,
Traditional and Simplified Chinese, in that order): document formats, the query-string
parameters that messages name, and document languages."""

from __future__ import annotations

# The formats a document can have, as the document page names them.
FORMAT_NAMES: dict[str, tuple[str, str, str]] = {
    "text": ("Plain text", "純文字", "纯文本"),
    "markdown": ("Markdown", "Markdown", "Markdown"),
    "html": ("HTML", "HTML", "HTML"),
    "pdf": ("PDF", "PDF", "PDF"),
    "docx": ("Word document", "Word 文件", "Word 文档"),
    "odt": ("OpenDocument text", "OpenDocument 文字文件", "OpenDocument 文本文档"),
    "image": ("image (read by OCR)", "圖像（以 OCR 辨識）", "图像（以 OCR 识别）"),
    "csv": ("CSV table", "CSV 表格", "CSV 表格"),
    "tsv": ("TSV table", "TSV 表格", "TSV 表格"),
    "xlsx": ("Excel workbook", "Excel 活頁簿", "Excel 工作簿"),
    "ods": ("OpenDocument spreadsheet", "OpenDocument 試算表", "OpenDocument 电子表格"),
    "pptx": ("PowerPoint slides", "PowerPoint 簡報", "PowerPoint 演示文稿"),
    "odp": ("OpenDocument slides", "OpenDocument 簡報", "OpenDocument 演示文稿"),
    "rtf": ("Rich Text", "RTF 文件", "RTF 文档"),
    "epub": ("EPUB book", "EPUB 電子書", "EPUB 电子书"),
    "eml": ("e-mail message", "電郵", "电子邮件"),
    "mbox": ("mailbox", "郵箱", "邮箱"),
    "msg": ("Outlook message", "Outlook 郵件", "Outlook 邮件"),
    "zip": ("zip file", "zip 壓縮檔", "zip 压缩文件"),
    "tar": ("tar file", "tar 封存檔", "tar 归档文件"),
    "warc": ("web archive (WARC)", "網頁封存（WARC）", "网页存档（WARC）"),
    "wacz": ("web archive (WACZ)", "網頁封存（WACZ）", "网页存档（WACZ）"),
}

# The query-string parameters that messages about a bad request name.
PARAMETER_NAMES: dict[str, tuple[str, str, str]] = {
    "q": ("q", "搜尋字詞（q）", "搜索字词（q）"),
    "page": ("page", "頁碼（page）", "页码（page）"),
    "per_page": ("per_page", "每頁結果數（per_page）", "每页结果数（per_page）"),
    "lang": ("lang", "語言（lang）", "语言（lang）"),
    "year": ("year", "年份（year）", "年份（year）"),
    "author": ("author", "作者或來源（author）", "作者或来源（author）"),
    "tag": ("tag", "標籤（tag）", "标签（tag）"),
    "sort": ("sort", "排序（sort）", "排序（sort）"),
    "expand": ("expand", "expand", "expand"),
    "from": ("from", "開始日期（from）", "开始日期（from）"),
    "to": ("to", "結束日期（to）", "结束日期（to）"),
    "format": ("format", "格式（format）", "格式（format）"),
}

# Names of document languages, shown in facets and metadata.
LANGUAGE_NAMES: dict[str, tuple[str, str, str]] = {
    "en": ("English", "英文", "英文"),
    "zh": ("Chinese", "中文", "中文"),
    "zh-Hans": ("Chinese (Simplified)", "簡體中文", "简体中文"),
    "zh-Hant": ("Chinese (Traditional)", "繁體中文", "繁体中文"),
    "yue": ("Cantonese", "粵語", "粤语"),
    "yue-Hans": ("Cantonese (Simplified)", "粵語（簡體）", "粤语（简体）"),
    "yue-Hant": ("Cantonese (Traditional)", "粵語（繁體）", "粤语（繁体）"),
    "ja": ("Japanese", "日文", "日文"),
    "ko": ("Korean", "韓文", "韩文"),
}
