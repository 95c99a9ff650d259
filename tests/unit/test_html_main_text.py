"""A news page reads as its article: the site's menus, banners, share buttons and lists of other
articles left out, the title without the site's name, the article's own date and reporter; a
page that is no article reads as all its visible text."""

from __future__ import annotations

import json

from app.ingest import load

LIMIT = 50_000_000
HEADLINE = "立場新聞宣布即時停止運作"
PARAGRAPHS = [
    "網媒《立場新聞》今日凌晨遭國安處搜查，多名現任及前任董事被捕，公司隨即宣布即時停止運作。",
    "立場新聞在聲明中表示，網站及社交媒體即時停止更新，並會於稍後下線，所有員工即時解僱。",
    "總編輯在辭職前向讀者致謝，指過去七年得到讀者支持，才能夠堅持報道香港發生的大小事情。",
    "記者協會表示對事件深表遺憾，並促請當局尊重新聞自由，讓傳媒可以在沒有恐懼的情況下工作。",
    "有市民在得悉消息後到報館樓下留言，亦有人在網上保存網站內容，希望這些報道不會就此消失。",
]
BOILERPLATE = [
    "本網站使用 Cookies 以提升你的瀏覽體驗",
    "分享到 Facebook",
    "複製連結",
    "相關文章",
    "區議會選舉投票率創新低",
    "熱門文章",
    "法庭裁定上訴得直",
    "訂閱我們的電子報",
    "私隱政策",
    "政經",
]


def stand_news_page(title: str = f"{HEADLINE} | 立場新聞 Stand News", head: str = "") -> str:
    """An article page laid out as Stand News laid them out."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:site_name" content="立場新聞 Stand News">{head}</head><body>'
        '<div class="cookie-banner"><p>本網站使用 Cookies 以提升你的瀏覽體驗。</p><button>我明白了</button></div>'
        '<header><a class="logo" href="/">立場新聞 Stand News</a><nav><ul><li><a href="/p">政經</a></li>'
        '<li><a href="/s">社會</a></li><li><a href="/c">評論</a></li></ul></nav></header>'
        f'<div class="container"><div class="article-wrap"><h1 class="article-title">{HEADLINE}</h1>'
        '<div class="article-meta"><span class="article-author">陳嘉欣</span>'
        '<span class="article-date">2021/12/29 — 10:15</span></div>'
        '<div class="share-buttons"><a href="#">分享到 Facebook</a><a href="#">分享到 WhatsApp</a>'
        f'<a href="#">複製連結</a></div><div class="article-content">{body}</div>'
        '<section class="related"><h3>相關文章</h3><ul><li><a href="/1">區議會選舉投票率創新低</a>'
        '<span class="date">2021/12/20</span></li><li><a href="/2">法庭裁定上訴得直</a>'
        '<span class="date">2021/11/3</span></li></ul></section></div>'
        '<aside class="sidebar"><h3>熱門文章</h3><ul><li><a href="/3">天文台發出寒冷天氣警告</a></li></ul>'
        '<div class="newsletter"><p>訂閱我們的電子報，每日精選新聞直送你的電郵信箱。</p></div></aside></div>'
        '<footer><a href="/about">關於我們</a><a href="/privacy">私隱政策</a><p>© 2021 立場新聞</p></footer>'
        "</body></html>"
    )


def read(tmp_path, html: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return load(path, name, LIMIT)


def test_a_news_page_reads_as_its_article_without_the_sites_menus_banners_and_lists(tmp_path):
    document = read(tmp_path, stand_news_page())
    for paragraph in PARAGRAPHS:
        assert paragraph in document.text
    for piece in BOILERPLATE:
        assert piece not in document.text
    # each paragraph of the article stays a paragraph
    assert f"{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}" in document.text


def test_the_title_is_the_articles_without_the_sites_name(tmp_path):
    assert read(tmp_path, stand_news_page()).title == HEADLINE
    for title in (f"{HEADLINE}｜立場新聞", f"立場新聞 Stand News | {HEADLINE}"):
        assert read(tmp_path, stand_news_page(title)).title == HEADLINE


def test_a_title_whose_dash_cuts_no_site_name_off_stays_whole(tmp_path):
    title = "立場新聞停運 - 七年來的最後一日"
    assert read(tmp_path, stand_news_page(title)).title == title


def test_the_articles_date_and_reporter_are_read_from_the_page_when_its_metadata_states_none(tmp_path):
    document = read(tmp_path, stand_news_page())
    assert (document.date, document.author) == ("2021-12-29", "陳嘉欣")


def test_the_pages_metadata_still_wins_over_what_the_article_shows(tmp_path):
    head = (
        '<meta property="article:published_time" content="2021-12-28T23:00:00+08:00">'
        '<meta name="author" content="立場報道">'
    )
    document = read(tmp_path, stand_news_page(head=head))
    assert (document.date, document.author) == ("2021-12-28", "立場報道")


def test_json_ld_gives_the_date_and_the_author(tmp_path):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "datePublished": "2021-06-24T00:30:00+08:00",
        "author": {"@type": "Person", "name": "李志明"},
    }
    page = stand_news_page(f"{HEADLINE}｜蘋果日報", f'<script type="application/ld+json">{json.dumps(data)}</script>')
    page = page.replace('<span class="article-date">2021/12/29 — 10:15</span>', "").replace("陳嘉欣", "")
    document = read(tmp_path, page)
    assert (document.title, document.date, document.author) == (HEADLINE, "2021-06-24", "李志明")


def test_a_day_the_text_names_or_a_copyright_year_does_not_date_a_page(tmp_path):
    page = stand_news_page().replace('<span class="article-date">2021/12/29 — 10:15</span>', "")
    page = page.replace(PARAGRAPHS[2], PARAGRAPHS[2] + "（2019年6月12日）")
    assert read(tmp_path, page).date is None


def test_a_page_that_is_no_article_reads_as_all_its_visible_text(tmp_path):
    links = "".join(f'<li><a href="/{n}">第{n}號聲明：關於集會自由</a></li>' for n in range(1, 13))
    page = f"<html><head><title>聲明一覽</title></head><body><nav>選單</nav><ul>{links}</ul></body></html>"
    document = read(tmp_path, page)
    assert all(f"第{n}號聲明：關於集會自由" in document.text for n in range(1, 13))
    assert "選單" not in document.text and document.title == "聲明一覽"


def test_a_line_break_inside_an_articles_paragraph_is_kept(tmp_path):
    page = stand_news_page().replace(PARAGRAPHS[1], PARAGRAPHS[1].replace("，並會", "，<br>並會"))
    assert "網站及社交媒體即時停止更新，\n並會於稍後下線" in read(tmp_path, page).text


def test_a_report_of_one_short_line_is_still_read_as_an_article(tmp_path):
    page = stand_news_page()
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    page = page.replace(body, "<p>立場新聞宣布停止運作。網站即時停止更新。</p>")
    document = read(tmp_path, page)
    assert "立場新聞宣布停止運作。網站即時停止更新。" in document.text
    assert not any(piece in document.text for piece in BOILERPLATE)
