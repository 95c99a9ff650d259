"""News pages in the manner of Hong Kong's Chinese news sites, for ``bench.html_extract``.

Each page wraps a known article (a headline, paragraphs of Traditional Chinese sentences from the
pools, a date, a reporter, or none) in what such a site puts around it: a cookie banner, a header
with the site's name and a menu, share buttons, tags, most-read and related-article lists, a
newsletter box, a footer. Each of the five styles lays them out as its site did: where the date
and the byline stand (the page's metadata, JSON-LD, or only the visible line), how the title
names the site (" | 立場新聞 Stand News", "｜蘋果日報", "｜香港01｜港聞", " | 眾新聞", " - RTHK"),
whether paragraphs are <p> or a run of text broken by <br><br> (RTHK), and whether a related list
sits inside the article (HK01). Page i of a style depends only on (seed, style, i).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from html import escape

# The last is no news site: an undated statement whose text names a day, under a copyright year.
STYLES = ("standnews", "appledaily", "hk01", "citizennews", "rthk", "statement")
REPORTERS = ["陳嘉欣", "李志明", "黃偉強", "張美玲", "林子健", "吳思敏", "何家豪", "梁詠詩", "鄭浩然", "周雅婷"]
COOKIE = "本網站使用 Cookies 以提升你的瀏覽體驗及作分析用途。繼續瀏覽即表示你同意我們的私隱政策及 Cookies 政策。"
NEWSLETTER = "訂閱我們的電子報，每日精選新聞直送你的電郵信箱。"
SHARE = ["分享到 Facebook", "分享到 WhatsApp", "分享到 Telegram", "複製連結", "列印本文"]
FOOTER = ["關於我們", "聯絡我們", "私隱政策", "使用條款", "廣告查詢", "招聘職位"]
MENUS = {
    "standnews": ["首頁", "政經", "社會", "評論", "國際", "文化", "影片", "專題報道"],
    "appledaily": ["要聞港聞", "國際", "財經地產", "娛樂", "體育", "蘋果動新聞", "果籽", "副刊"],
    "hk01": ["港聞", "即時國際", "即時中國", "社區專題", "觀點", "熱話", "體育", "女生"],
    "citizennews": ["新聞", "評論", "政治", "社會", "專訪", "眾聞週報", "影像", "支持眾新聞"],
    "rthk": ["本地", "大中華", "國際", "財經", "體育", "新聞專輯", "天氣", "交通消息"],
    "statement": ["關於我們", "聲明", "報告", "參與行動", "捐款支持"],
}
NAMES = {
    "standnews": "立場新聞 Stand News",
    "appledaily": "蘋果日報",
    "hk01": "香港01",
    "citizennews": "眾新聞",
    "rthk": "香港電台",
    "statement": "香港人權觀察",
}


@dataclass
class Page:
    """A generated page and what a reader of it should find: the article's title, paragraphs,
    date (YYYY-MM-DD) and author (None: the site gives none), and the boilerplate around it."""

    style: str
    html: str
    title: str
    paragraphs: list[str]
    date: str | None
    author: str | None
    boilerplate: list[str] = field(default_factory=list)
    # Shown with the article but part of neither: the headline, the byline, a photo's caption.
    neutral: list[str] = field(default_factory=list)


def pages(pool: list[str], per_style: int, seed: int) -> list[Page]:
    """``per_style`` pages of every style, from the sentence ``pool``."""
    return [page(pool, style, number, seed) for style in STYLES for number in range(per_style)]


def page(pool: list[str], style: str, number: int, seed: int) -> Page:
    """Page ``number`` of ``style``."""
    rng = random.Random(f"{seed}/{style}/{number}")
    sentences = [line for line in pool if 8 <= len(line) <= 60 and _plain(line)]
    headline = _headline(rng, sentences)
    # One page in four is a short report (a paragraph or two), as breaking news is.
    count = rng.randint(1, 2) if rng.random() < 0.25 else rng.randint(3, 9)
    paragraphs = ["".join(rng.sample(sentences, rng.randint(2, 5))) for _ in range(count)]
    year, month, day = rng.randint(2019, 2021), rng.randint(1, 12), rng.randint(1, 28)
    hour, minute = rng.randint(7, 23), rng.randint(0, 59)
    when = (year, month, day, hour, minute)
    # RTHK names no reporter; a group's statement is its own (the site's name is its author).
    author = {"rthk": None, "statement": NAMES["statement"]}.get(style) if style in ("rthk", "statement") else None
    author = author or (None if style == "rthk" else rng.choice(REPORTERS))
    lists = {
        # Related headlines carry their own dates, as the sites list them.
        "related": [_headline(rng, sentences) for _ in range(rng.randint(4, 6))],
        "related dates": [f"{rng.randint(2015, 2021)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}" for _ in range(6)],
        "popular": [_headline(rng, sentences) for _ in range(5)],
        # A Stand News page whose date a script wrote, lost in the capture: only its related
        # headlines carry dates.
        "dateless": style == "standnews" and rng.random() < 0.25,
        "tags": rng.sample(["國安法", "立法會", "區議會", "警方", "法庭", "新聞自由", "社運", "選舉"], 3),
    }
    html, neutral = BUILDERS[style](headline, paragraphs, when, author, lists)
    boilerplate = [
        COOKIE,
        NEWSLETTER,
        *SHARE,
        *FOOTER,
        *MENUS[style],
        *lists["related"],
        *lists["popular"],
        *lists["tags"],
    ]
    date = None if style == "statement" or lists["dateless"] else f"{year}-{month:02d}-{day:02d}"
    return Page(style, html, headline, paragraphs, date, author, boilerplate, neutral)


def _plain(line: str) -> bool:
    """Whether a sentence can stand in a page as it is: no markup, no private-use character."""
    return "<" not in line and "&" not in line and not any("\ue000" <= char <= "\uf8ff" for char in line)


def _headline(rng: random.Random, sentences: list[str]) -> str:
    """A headline: a sentence without its closing punctuation."""
    return rng.choice(sentences).rstrip("。！？!?.，,、」") or "新聞"


def _list(items: list[str], css: str, dates: list[str] | None = None) -> str:
    """A list of linked headlines (each with its date, when ``dates`` gives them)."""
    links = "".join(
        f'<li><a href="/article/{n}">{escape(item)}</a>'
        + (f'<span class="date">{dates[n]}</span>' if dates else "")
        + "</li>"
        for n, item in enumerate(items)
    )
    return f'<ul class="{css}">{links}</ul>'


def _related(lists: dict, css: str) -> str:
    """The related headlines with their dates."""
    return _list(lists["related"], css, lists["related dates"])


def _menu(style: str) -> str:
    return "".join(f'<li><a href="/{n}">{item}</a></li>' for n, item in enumerate(MENUS[style]))


def _share() -> str:
    return "".join(f'<a class="share-btn" href="#">{label}</a>' for label in SHARE)


def _footer(name: str) -> str:
    links = "".join(f'<a href="/{n}">{item}</a>' for n, item in enumerate(FOOTER))
    return f'<footer class="site-footer"><div class="links">{links}</div><p>© {escape(name)} 版權所有</p></footer>'


def _cookie() -> str:
    return f'<div class="cookie-banner" id="cookie-consent"><p>{COOKIE}</p><button>我明白了</button></div>'


def _paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _head(title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>{extra}'
        '<link rel="stylesheet" href="/static/site.css"><script src="/static/analytics.js"></script></head>'
    )


def standnews(headline, paragraphs, when, author, lists):
    """Stand News: the site's name after a bar, the date and byline only as visible text."""
    year, month, day, hour, minute = when
    byline = f"{author}"
    date = "" if lists["dateless"] else f"{year}/{month}/{day} — {hour}:{minute:02d}"
    meta = f'<meta property="og:site_name" content="{NAMES["standnews"]}"><meta property="og:type" content="article">'
    html = (
        _head(f"{headline} | 立場新聞 Stand News", meta) + "<body>" + _cookie() + '<header class="site-header">'
        f'<a class="logo" href="/">立場新聞 Stand News</a><nav class="main-menu"><ul>{_menu("standnews")}</ul></nav>'
        '</header><div class="container"><div class="article-wrap">'
        f'<h1 class="article-title">{escape(headline)}</h1><div class="article-meta">'
        f'<span class="article-author">{byline}</span><span class="article-date">{date}</span></div>'
        f'<div class="share-buttons">{_share()}</div><div class="article-content">{_paragraphs(paragraphs)}</div>'
        f'<div class="article-tags">{"".join(f"<a href=/tag/{t}>{t}</a>" for t in lists["tags"])}</div>'
        f'<section class="related"><h3>相關文章</h3>{_related(lists, "related-list")}</section></div>'
        f'<aside class="sidebar"><h3>熱門文章</h3>{_list(lists["popular"], "popular-list")}'
        f'<div class="newsletter"><p>{NEWSLETTER}</p><input type="email"></div></aside></div>'
        f"{_footer(NAMES['standnews'])}</body></html>"
    )
    return html, [headline, byline, date]


def appledaily(headline, paragraphs, when, author, lists):
    """Apple Daily: a fullwidth bar before the name, JSON-LD with the date and the author."""
    year, month, day, hour, minute = when
    published = f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+08:00"
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": published,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": "蘋果日報"},
    }
    extra = f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
    date = f"出版時間：{year}/{month:02d}/{day:02d} {hour:02d}:{minute:02d}"
    html = (
        _head(f"{headline}｜蘋果日報", extra) + '<body><div id="fusion-app">' + _cookie() + '<div class="header">'
        f'<div class="logo">蘋果日報</div><ul class="nav">{_menu("appledaily")}</ul></div>'
        f'<div class="main"><div class="article"><h1>{escape(headline)}</h1><div class="timestamp">{date}</div>'
        f'<div class="share">{_share()}</div><div class="article_body">'
        + "".join(f'<p class="text">{escape(text)}</p>' for text in paragraphs)
        + f'</div><div class="tags">{" ".join(lists["tags"])}</div>'
        f'<div class="recommend"><h2>延伸閱讀</h2>{_related(lists, "rel")}</div></div>'
        f'<div class="sidebar"><h2>最多人看</h2>{_list(lists["popular"], "rank")}</div></div>'
        f'<div class="subscribe">{NEWSLETTER}</div>{_footer("Apple Daily 蘋果日報")}</div></body></html>'
    )
    return html, [headline, date]


def hk01(headline, paragraphs, when, author, lists):
    """HK01: the name and the section after fullwidth bars, hashed class names, a byline and a
    date line, and a list of related reports inside the article."""
    year, month, day, hour, minute = when
    byline = f"撰文：{author}"
    date = f"發佈日期：{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
    half = max(1, len(paragraphs) // 2)
    inside = f'<div class="sc-1x9a2"><h3>相關報道</h3>{_list(lists["related"][:3], "sc-2f8b1")}</div>'
    html = (
        _head(f"{headline}｜香港01｜港聞", '<meta property="og:site_name" content="香港01">')
        + '<body><div id="__next">'
        + _cookie()
        + f'<div class="sc-hd01"><a href="/">香港01</a><ul>{_menu("hk01")}</ul></div><main class="sc-mn02">'
        f'<article class="sc-ar03"><h1 class="sc-t04">{escape(headline)}</h1><div class="sc-by05">'
        f'<span>{byline}</span><time>{date}</time></div><div class="sc-sh06">{_share()}</div>'
        f'<div class="sc-bd07">{_paragraphs(paragraphs[:half])}{inside}{_paragraphs(paragraphs[half:])}</div>'
        f'<div class="sc-tg08">{"".join(f"<a>{t}</a>" for t in lists["tags"])}</div></article>'
        f'<div class="sc-rl09"><h3>你可能感興趣</h3>{_list(lists["related"][3:], "sc-2f8b1")}</div>'
        f'<div class="sc-pp10"><h3>熱門文章</h3>{_list(lists["popular"], "sc-3c4d")}</div></main>'
        f'<div class="sc-nl11">{NEWSLETTER}</div>{_footer("香港01")}</div></body></html>'
    )
    return html, [headline, byline, date]


def citizennews(headline, paragraphs, when, author, lists):
    """Citizen News (WordPress): the date in the page's metadata, the reporter in a byline."""
    year, month, day, hour, minute = when
    published = f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+08:00"
    extra = (
        f'<meta property="article:published_time" content="{published}"><meta property="og:site_name" content="眾新聞">'
    )
    byline = f"眾新聞記者 {author}"
    html = (
        _head(f"{headline} | 眾新聞", extra)
        + '<body class="single-post">'
        + _cookie()
        + '<div class="td-header"><div class="td-logo">眾新聞 Citizen News</div>'
        f'<div class="td-menu"><ul>{_menu("citizennews")}</ul></div></div>'
        f'<div class="td-main"><div class="td-post-header"><h1 class="entry-title">{escape(headline)}</h1>'
        f'<div class="td-post-author-name">{byline}</div></div><div class="td-social-sharing">{_share()}</div>'
        f'<div class="td-post-content">{_paragraphs(paragraphs)}'
        f'<figure><img src="/photo.jpg"><figcaption>資料圖片</figcaption></figure></div>'
        f'<div class="td-tags">{"".join(f"<a>{t}</a>" for t in lists["tags"])}</div>'
        f'<div class="td-related"><h4>你可能有興趣</h4>{_related(lists, "td-related-list")}</div>'
        f'<div class="td-comments"><h4>留言</h4></div></div>'
        f'<div class="td-sidebar"><h4>熱門</h4>{_list(lists["popular"], "td-popular")}<p>{NEWSLETTER}</p></div>'
        f"{_footer('眾新聞')}</body></html>"
    )
    return html, [headline, byline, "資料圖片"]


def rthk(headline, paragraphs, when, author, lists):
    """RTHK: the name after a dash, no byline, the story one block broken by <br><br>."""
    year, month, day, hour, minute = when
    date = f"{year}-{month:02d}-{day:02d} HKT {hour:02d}:{minute:02d}"
    text = "<br><br>".join(escape(paragraph) for paragraph in paragraphs)
    html = (
        _head(f"{headline} - RTHK")
        + "<body>"
        + _cookie()
        + f'<div id="header"><div class="logo">香港電台網站</div><ul class="topnav">{_menu("rthk")}</ul></div>'
        f'<div class="content"><div class="itemHeader"><h2 class="itemTitle">{escape(headline)}</h2></div>'
        f'<div class="itemBody"><div class="itemFullText">{text}</div><div class="createddate">{date}</div>'
        f'<div class="itemSocialSharing">{_share()}</div></div>'
        f'<div class="relatedNews"><h4>其他新聞</h4>{_list(lists["related"], "otherNews")}</div>'
        f'<div class="popularNews"><h4>熱門新聞</h4>{_list(lists["popular"], "popular")}</div>'
        f'<div class="tags">{" ".join(lists["tags"])}</div><div class="subscribe">{NEWSLETTER}</div></div>'
        f"{_footer('香港電台')}</body></html>"
    )
    return html, [headline, date]


def statement(headline, paragraphs, when, author, lists):
    """A group's statement: no date anywhere but a day its text names, and a copyright year."""
    year, month, day, _hour, _minute = when
    mention = f"（{year - 2}年{month}月{day}日）"
    html = (
        _head(f"{headline} | 香港人權觀察", '<meta property="og:site_name" content="香港人權觀察">')
        + "<body>"
        + _cookie()
        + f'<header><div class="brand">香港人權觀察</div><nav><ul>{_menu("statement")}</ul></nav></header>'
        f"<main><article><h1>{escape(headline)}</h1>{_paragraphs(paragraphs[:-1])}"
        f"<p>{escape(paragraphs[-1])}{mention}</p>"
        f'<div class="share">{_share()}</div></article>'
        f"<aside><h3>最新聲明</h3>{_list(lists['related'], 'latest')}<h3>熱門</h3>{_list(lists['popular'], 'hot')}"
        f'<p class="tags">{" ".join(lists["tags"])}</p><p>{NEWSLETTER}</p></aside></main>'
        f"<footer><p>{' '.join(FOOTER)}</p><p>© {year + 2} 香港人權觀察</p></footer></body></html>"
    )
    return html, [headline, mention]


BUILDERS = {
    "standnews": standnews,
    "appledaily": appledaily,
    "hk01": hk01,
    "citizennews": citizennews,
    "rthk": rthk,
    "statement": statement,
}
