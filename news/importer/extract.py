"""One old page's text → the parts of an article (or the reason it is not one).

The site's rules (CSS selectors, news/importer/rules.py) are read first with `selectolax`; what they do
not find is left to `trafilatura` (main text, title, date, author). The body is then reshaped with
`lxml`: an image with its caption (a <figure>, the two-row table old editors made, or the centred
italic line under the picture) becomes one <figure> whose caption is also the proposed alt text;
links and image addresses are made absolute, so the importer can fetch them and rewrite them; the byline
paragraph at the end ("Dương Liễu") goes to the author field.
"""

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from .dates import UnreadableDate, parse_vn_date, part_of_day

FILE_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods")
_SPACES = re.compile(r"\s+")
_VIEWS = re.compile(r"lượt\s*xem\s*:?\s*([\d.,]+)", re.I)
_CAPTION_CLASS = re.compile(r"caption|desc|chu-?thich|image_?note|note", re.I)
_BYLINE_PREFIX = re.compile(r"^(?:tin,?\s*ảnh|tin\s+và\s+ảnh|bài,?\s*ảnh|bài\s+và\s+ảnh|tin|bài|tác giả)\s*:\s*", re.I)
_NOT_FOUND = re.compile(
    r"^\s*(?:lỗi\s*)?404\b|không tìm thấy (?:trang|bài)|trang không tồn tại|page not found|not found\s*$", re.I
)
NOT_FOUND_PAGE = "trang báo lỗi “không tìm thấy” (404) được lưu nhầm"
HOME_WORDS = {"trang chủ", "home", "trang chu"}


class NotArticle(Exception):
    """The page is not an article; the message says why, in Vietnamese."""


@dataclass
class Extracted:
    url: str
    title: str
    publish_at: object
    estimated: bool
    body: str
    summary: str = ""
    author: str = ""
    category: str = ""
    views: int | None = None
    images: list = field(default_factory=list)  # [(absolute old URL, caption)]
    files: list = field(default_factory=list)  # [(absolute old URL, link text)]
    article_id: str = ""

    def fingerprint(self):
        """What a second run compares to know whether the old page changed."""
        parts = [self.title, self.publish_at.isoformat(), self.summary, self.body, self.author, self.category]
        parts += [str(self.views or ""), *sorted(u for u, _ in self.images), *sorted(u for u, _ in self.files)]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def clean_text(value):
    return _SPACES.sub(" ", (value or "").replace("\xa0", " ")).strip()


def _first(tree, selectors, *, text=True):
    for selector in selectors:
        try:
            node = tree.css_first(selector)
        except Exception:  # noqa: BLE001, S112 — a bad selector in a site's rules file: try the next one
            continue
        if node is not None and (not text or clean_text(node.text(separator=" "))):
            return node
    return None


def canonical_url(tree, url):
    """The page's canonical address when it names one (not the home page), else the address it came from."""
    node = tree.css_first('link[rel="canonical"]') or tree.css_first('meta[property="og:url"]')
    value = node and (node.attributes.get("href") or node.attributes.get("content"))
    if value:
        absolute = urljoin(url, value.strip())
        if urlsplit(absolute).path not in ("", "/") and urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return url


def article_id(url, rules):
    urls = rules.get("urls", {})
    parts = urlsplit(url)
    wanted = {name.lower() for name in urls.get("id_params", [])}
    for key, value in parse_qsl(parts.query):
        if key.lower() in wanted and value.strip():
            return value.strip()
    pattern = urls.get("id_pattern")
    if pattern:
        found = re.search(pattern, parts.path, re.I)
        if found:
            return found.group(1)
    return ""


class _Metadata:
    """trafilatura's title, date and author of the page, read on first use."""

    def __init__(self, text, url):
        self.text, self.url, self.document, self.read = text, url, None, False

    def __getattr__(self, name):
        if name not in ("title", "date", "author"):
            raise AttributeError(name)
        if not self.read:
            self.document, self.read = trafilatura.extract_metadata(self.text, default_url=self.url), True
        return getattr(self.document, name, None) if self.document is not None else None


def extract(text, url, rules):
    """The article on this page, or NotArticle / UnreadableDate with the reason."""
    selectors = rules.get("selectors", {})
    settings = rules.get("import", {})
    if "<html" in text[:5000].lower() and not re.search(r"</(html|body)\s*>", text[-5000:], re.I):
        raise NotArticle("trang bị cắt cụt (HTML thiếu phần cuối </body></html>): lưu lại trang rồi chạy lại")
    tree = LexborHTMLParser(text)
    page_url = canonical_url(tree, url)
    metadata = _Metadata(text, url)  # trafilatura's reading, only when the rules leave a gap (it is slow)

    title_node = _first(tree, selectors.get("title", []))
    title = clean_text(title_node.text(separator=" ")) if title_node else ""
    if not title and metadata.title:
        title = clean_text(metadata.title)
    if not title:
        raise NotArticle("không tìm thấy tiêu đề bài viết")
    page_title = clean_text(tree.css_first("title").text()) if tree.css_first("title") else ""
    error_page = bool(_NOT_FOUND.search(title) or _NOT_FOUND.search(page_title))

    body_node = _first(tree, selectors.get("body", []))
    if body_node is not None:
        for selector in selectors.get("drop", []):
            for node in body_node.css(selector):
                node.decompose()
        body_html = body_node.html or ""
    else:
        body_html = trafilatura.extract(
            text, url=url, output_format="html", include_images=True, include_links=True, include_tables=True
        )
        if not body_html:
            raise NotArticle(
                NOT_FOUND_PAGE if error_page else "không tìm thấy nội dung bài viết (trang danh sách hay trang trống?)"
            )
    body = _fragment(body_html)
    _strip_title(body, title)
    body_text = clean_text(body.text_content())
    if len(body_text) < int(settings.get("min_body_chars", 200)):
        raise NotArticle(
            NOT_FOUND_PAGE
            if error_page
            else f"nội dung chỉ có {len(body_text)} ký tự: không phải trang bài viết (trang danh sách, trang báo lỗi?)"
        )
    link_text = sum(len(clean_text(a.text_content())) for a in body.iter("a"))
    if link_text > 0.5 * len(body_text):
        raise NotArticle("phần lớn nội dung là đường dẫn: đây là trang danh sách, không phải bài viết")

    publish_at, estimated, date_text = _date(tree, selectors, metadata, body_text)
    if date_text:
        _strip_text(body, date_text)
    author = ""
    byline_node = _first(tree, selectors.get("byline", []))
    if byline_node is not None:
        author = _byline_name(clean_text(byline_node.text(separator=" ")))
    found_author = _take_byline(body)
    author = author or found_author
    if not author and metadata.author:
        author = clean_text(metadata.author)[:150]

    summary_node = _first(tree, selectors.get("summary", []))
    summary = clean_text(summary_node.text(separator=" ")) if summary_node else ""
    if summary:
        _strip_text(body, summary)

    views = None
    views_node = _first(tree, selectors.get("views", []))
    found = _VIEWS.search(
        views_node.text(separator=" ") if views_node else tree.body.text(separator=" ") if tree.body else ""
    )
    if views_node is not None and not found:
        digits = re.sub(r"\D", "", views_node.text())
        views = int(digits) if digits else None
    elif found:
        views = int(re.sub(r"\D", "", found.group(1)) or 0)

    images, files = _media(body, url)
    return Extracted(
        url=page_url,
        title=title[:300],
        publish_at=publish_at,
        estimated=estimated,
        body=_serialize(body),
        summary=summary[:1000],
        author=author[:150],
        category=_category(tree, selectors, title),
        views=views,
        images=images,
        files=files,
        article_id=article_id(page_url, rules) or article_id(url, rules),
    )


def _date(tree, selectors, metadata, body_text):
    node = _first(tree, selectors.get("date", []))
    if node is not None:
        shown = clean_text(node.text(separator=" "))
        raw = clean_text(node.attributes.get("datetime") or shown)
        try:
            publish_at, estimated = parse_vn_date(raw)
        except UnreadableDate as error:
            raise UnreadableDate(f"không đọc được ngày đăng “{raw[:60]}”") from error
    elif metadata.date:
        shown = ""
        publish_at, estimated = parse_vn_date(metadata.date)
    else:
        raise UnreadableDate("không tìm thấy ngày đăng trên trang")
    if estimated and publish_at.hour == 12 and publish_at.minute == 0:
        # "Thứ ba, 10/01/2023" above a lead that says "Chiều 10/01/2023, …": the lead knows the time of day.
        lead = body_text[:200]
        if publish_at.strftime("%d/%m/%Y") in lead and part_of_day(lead.split(publish_at.strftime("%d/%m/%Y"))[0]):
            publish_at = publish_at.replace(
                hour=part_of_day(lead.split(publish_at.strftime("%d/%m/%Y"))[0]).hour, minute=0
            )
    return publish_at, estimated, shown


def _category(tree, selectors, title):
    for selector in selectors.get("category", []):
        try:
            names = [clean_text(n.text(separator=" ")) for n in tree.css(selector)]
        except Exception:  # noqa: BLE001, S112 — a bad selector in a site's rules file
            continue
        names = [n for n in names if n and n.lower() not in HOME_WORDS and n != title]
        if names:
            return names[-1][:150]
    return ""


def _fragment(html):
    wrapper = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for bad in wrapper.xpath(".//script|.//style|.//noscript|.//form|.//iframe"):
        bad.drop_tree()
    for comment in wrapper.xpath(".//comment()"):
        comment.drop_tree()
    children = list(wrapper)
    if (
        len(children) == 1
        and children[0].tag in ("div", "article", "main", "section", "td")
        and not clean_text((wrapper.text or "") + (children[0].tail or ""))
    ):
        inner = children[0]
        for name in list(inner.attrib):
            del inner.attrib[name]
        return inner
    return wrapper


def _strip_title(body, title):
    for node in body.xpath(".//h1|.//h2"):
        if clean_text(node.text_content()) == title:
            node.drop_tree()


def _strip_text(body, text):
    if clean_text(body.text) == text:
        body.text = ""
        return
    for node in body.xpath(".//p|.//div|.//h2|.//h3|.//span"):
        if clean_text(node.text_content()) == text:
            node.drop_tree()
            return


def _byline_name(text):
    return _BYLINE_PREFIX.sub("", text).strip(" -–—()")


def _blocks(body):
    return [n for n in body.iter("p", "div", "h4", "h5", "h6") if not n.xpath(".//p|.//div|.//table|.//img")]


def _take_byline(body):
    """The author's name when the body ends with it on its own short line (removed from the body)."""
    blocks = [b for b in _blocks(body) if clean_text(b.text_content())]
    if not blocks:
        return ""
    last = blocks[-1]
    text = clean_text(last.text_content())
    name = _byline_name(text)
    words = name.split()
    if not (1 <= len(words) <= 6 and len(name) <= 60) or name.endswith((".", ":", ";", ",", "…")):
        return ""
    if not all(w[:1].isupper() or w[:1] in "(&" for w in words):
        return ""
    last.drop_tree()
    return name


def _is_caption(node):
    if node is None or node.tag not in ("p", "div", "span", "em", "i"):
        return False
    text = clean_text(node.text_content())
    if not text or len(text) > 300 or node.xpath(".//img"):
        return False
    style = (node.get("style") or "").replace(" ", "").lower()
    classes = node.get("class") or ""
    children = [c for c in node if clean_text(c.text_content())]
    emphasised = bool(children) and all(c.tag in ("em", "i") for c in children) and not clean_text(node.text or "")
    return (
        emphasised or "text-align:center" in style or bool(_CAPTION_CLASS.search(classes)) or node.tag in ("em", "i")
    )


def _figure(src, alt, caption):
    figure = etree.Element("figure", {"class": "image"})
    etree.SubElement(figure, "img", {"src": src, "alt": alt})
    if caption:
        etree.SubElement(figure, "figcaption").text = caption
    return figure


def _media(body, url):
    """Images as <figure>s with their captions, addresses made absolute; [(url, caption)], [(url, text)]."""
    images, files = [], []
    for img in list(body.iter("img")):
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:"):
            img.drop_tree()
            continue
        src = urljoin(url, src)
        caption, block = "", img
        figure = next(iter(img.iterancestors("figure")), None)
        table = next(iter(img.iterancestors("table")), None)
        if figure is not None:
            captions = figure.xpath(".//figcaption")
            caption, block = (clean_text(captions[0].text_content()) if captions else ""), figure
        elif table is not None and len(table.xpath(".//img")) == 1 and len(clean_text(table.text_content())) <= 300:
            caption, block = clean_text(table.text_content()), table
        else:
            parent = img.getparent()
            while parent is not None and parent is not body and parent.tag not in ("p", "div"):
                parent = parent.getparent()
            if parent is not None and parent is not body and not clean_text(parent.text_content()):
                block = parent
            following = block.getnext()
            if _is_caption(following):
                caption = clean_text(following.text_content())
                following.drop_tree()
        caption = caption[:255]
        new = _figure(src, caption or clean_text(img.get("alt") or "")[:255], caption)
        if block is img:
            img.addprevious(new)
            img.drop_tree()
        else:
            block.addprevious(new)
            block.drop_tree()
        images.append((src, caption))
    for link in body.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        absolute = urljoin(url, href)
        link.set("href", absolute)
        if urlsplit(absolute).path.rsplit(".", 1)[-1].lower() in FILE_EXTENSIONS:
            files.append((absolute, clean_text(link.text_content())))
    return images, files


def _serialize(body):
    """The body's inner HTML: blocks without block children become paragraphs, empty ones go."""
    for node in list(body.iter("div")):
        if node is not body and not node.xpath(".//p|.//div|.//table|.//figure|.//ul|.//ol"):
            node.tag = "p"
    for node in list(body.iter("p")):
        if not clean_text(node.text_content()) and not node.xpath(".//img"):
            node.drop_tree()
    html = (body.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in body)
    return html.strip()
