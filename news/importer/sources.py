"""Where the old pages come from: a list of URLs, a folder of saved pages, or a WARC file.

Each source yields the pages (old URL, and a `read()` that gives the bytes, HTTP status and content type:
the import's worker threads call it, so pages are downloaded or read in parallel) and fetches the images
and files they name (`fetch(url)`), from the same place: the web, the folder (laid out by URL path, as
`wget --mirror` saves a site), or the WARC's own records (`warcio`; nothing goes to the network).
"""

import functools
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from warcio.archiveiterator import ArchiveIterator

PAGE_SUFFIXES = {".html", ".htm", ".aspx", ".asp", ".php", ".shtml", ".jsp"}
MAX_RESOURCE_BYTES = 25 * 1024 * 1024
USER_AGENT = "Mozilla/5.0 (compatible; portal-import_site/1.0)"
TIMEOUT = 30


class FetchError(Exception):
    """A page or file could not be read; the message says why, in Vietnamese."""


@dataclass
class Page:
    url: str
    data: bytes = b""
    content_type: str = ""
    status: int = 200
    error: str = ""
    reader: Callable | None = None  # fills data and content type (or error) when called, in a worker thread

    def read(self):
        if self.reader is not None:
            reader, self.reader = self.reader, None
            try:
                self.data, self.content_type = reader()
            except FetchError as error:
                self.error = str(error)
            except OSError as error:  # a saved page that cannot be read (permissions, a broken disk)
                self.error = f"không đọc được tệp ({error.strerror or error})"
        return self


def _read_limited(stream, limit):
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FetchError(f"quá lớn (hơn {limit // 1048576} MB)")
    return data


def _read_file(path):
    return path.read_bytes(), ""


class UrlListSource:
    """A text file of URLs, one a line (blank lines and lines starting with # are skipped)."""

    def __init__(self, path, max_page_bytes):
        lines = Path(path).read_text("utf-8").splitlines()
        self.urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        self.max_page_bytes = max_page_bytes
        self.arguments = f"--urls {Path(path).resolve()}"  # how to name this source to import_site

    def count(self):
        return len(self.urls)

    def pages(self):
        for url in self.urls:
            yield Page(url, reader=functools.partial(self._get, url, self.max_page_bytes))

    def fetch(self, url):
        return self._get(url, MAX_RESOURCE_BYTES)

    def _get(self, url, limit):
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError("địa chỉ không phải http(s)")
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 — http(s) only
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 — http(s) only
                return _read_limited(response, limit), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            raise FetchError(f"máy chủ trả lời {error.code}") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise FetchError(f"không tải được ({getattr(error, 'reason', error)})") from error


class FolderSource:
    """A folder of saved pages laid out by URL path under `base_url` (what `wget --mirror` makes)."""

    def __init__(self, folder, base_url, max_page_bytes):
        self.folder = Path(folder).resolve()
        self.base_url = base_url.rstrip("/") + "/"
        self.host = urlsplit(self.base_url).netloc.lower()
        self.arguments = f"--folder {self.folder} --base-url {self.base_url}"
        self.max_page_bytes = max_page_bytes
        self.files = sorted(
            p for p in self.folder.rglob("*") if p.is_file() and (p.suffix.lower() in PAGE_SUFFIXES or "?" in p.name)
        )

    def count(self):
        return len(self.files)

    def pages(self):
        for path in self.files:
            url = self.base_url + path.relative_to(self.folder).as_posix()
            if path.stat().st_size > self.max_page_bytes:
                yield Page(url, error=f"trang quá lớn ({path.stat().st_size / 1048576:.1f} MB)")
                continue
            yield Page(url, reader=functools.partial(_read_file, path))

    def fetch(self, url):
        parts = urlsplit(urljoin(self.base_url, url))
        if parts.netloc.lower() != self.host:
            raise FetchError("nằm ở trang web khác, không có trong thư mục đã lưu")
        relative = unquote(parts.path).lstrip("/") + (f"?{parts.query}" if parts.query else "")
        path = (self.folder / relative).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            raise FetchError("không có trong thư mục đã lưu")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise FetchError(f"quá lớn (hơn {MAX_RESOURCE_BYTES // 1048576} MB)")
        return path.read_bytes(), ""


class WarcSource:
    """A WARC file (gzip or not): its HTML responses are the pages, its other records their images and files."""

    def __init__(self, path, max_page_bytes):
        self.path = Path(path)
        self.max_page_bytes = max_page_bytes
        self.arguments = f"--warc {self.path.resolve()}"
        self.index = {}  # URL → (offset, status, content type, length): read once, records are read on demand
        with self.path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type not in ("response", "resource"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                status, content_type = 200, ""
                if record.http_headers is not None:
                    status = int(record.http_headers.get_statuscode() or 200)
                    content_type = record.http_headers.get_header("Content-Type", "")
                else:
                    content_type = record.rec_headers.get_header("Content-Type", "")
                record.content_stream().read()  # to the end, so the offsets below are this record's
                self.index[url] = (records.get_record_offset(), status, content_type, records.get_record_length())

    def _payload(self, offset, limit):
        with self.path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            return _read_limited(record.content_stream(), limit)

    def _is_page(self, content_type, url):
        return "html" in content_type.lower() or Path(urlsplit(url).path).suffix.lower() in PAGE_SUFFIXES

    def count(self):
        return sum(1 for url, (_, _, ct, _) in self.index.items() if self._is_page(ct, url))

    def pages(self):
        for url, (offset, status, content_type, _) in self.index.items():
            if not self._is_page(content_type, url):
                continue
            if status >= 300:
                yield Page(url, status=status, error=f"máy chủ cũ đã trả lời {status}")
                continue
            yield Page(url, status=status, reader=functools.partial(self._page, offset, content_type))

    def _page(self, offset, content_type):
        try:
            return self._payload(offset, self.max_page_bytes), content_type
        except FetchError as error:
            raise FetchError(f"trang {error}") from error

    def fetch(self, url):
        found = self.index.get(url) or self.index.get(url.split("#")[0])
        if found is None:
            raise FetchError("không có trong tệp WARC")
        offset, status, content_type, _ = found
        if status >= 400:
            raise FetchError(f"máy chủ cũ đã trả lời {status}")
        return self._payload(offset, MAX_RESOURCE_BYTES), content_type
