"""The filters of /van-ban/ and /thu-tuc-hanh-chinh/: the search box first, the other filters in a <details>
with "Lọc" (open as sent, so they work without JavaScript; site.js folds them on phones)."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("url", "submit"), [("/van-ban/", "Lọc văn bản"), ("/thu-tuc-hanh-chinh/", "Lọc thủ tục")])
def test_filters_sit_behind_loc(client, url, submit):
    html = client.get(url).content.decode()
    form = re.search(r'<form class="state-filter".*?</form>', html, re.S).group(0)
    details = re.search(r'<details class="state-filter-more" open data-filters>(.*?)</details>', form, re.S)
    assert details, form
    inner = details.group(1)
    assert re.match(
        r'\s*<summary class="state-filter-toggle">Lọc<span class="state-filter-active" data-filters-active></span></summary>',
        inner,
    )
    assert '<div class="state-filter-fields' in inner and "<select" in inner
    assert f'<button type="submit">{submit}</button>' in inner
    # The search box stays outside, always visible.
    assert form.index('name="q"') < form.index("<details")
