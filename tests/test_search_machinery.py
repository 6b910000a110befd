"""The reusable search pieces (core.search) and the admin's article search, which uses them."""

import unicodedata

import pytest
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.urls import reverse

from core.search import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    MAX_QUERY_LENGTH,
    QueryError,
    SearchBoxField,
    WeightedQuery,
    check_query,
    corrected_query,
    filter_by_text,
    fold_text,
    mark_highlights,
    normalize_query,
    positive_words,
    search_query,
)
from news.models import Article


def test_normalize_query_composes_and_cleans():
    """NFD becomes NFC; control characters, sentinels and extra spaces go."""
    nfd = unicodedata.normalize("NFD", "Đồng chí")
    assert nfd != "Đồng chí"
    assert normalize_query(f"  {nfd}\x00\t{HIGHLIGHT_START}Thảo\u2028 ") == "Đồng chí Thảo"
    assert normalize_query(None) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Hãy nhập từ khóa cần tìm."),
        ("x" * (MAX_QUERY_LENGTH + 1), "Từ khóa dài quá 200 ký tự (hiện có 201)"),
        ("-khoa", "Hãy nhập ít nhất một từ cần tìm"),
        ('"" or ---', "Hãy nhập ít nhất một từ cần tìm"),
    ],
)
def test_check_query_messages(text, message):
    with pytest.raises(QueryError) as error:
        check_query(text)
    assert message in str(error.value)


def test_length_is_counted_after_composition():
    """200 composed characters typed as NFD (more code points) are still allowed."""
    text = unicodedata.normalize("NFD", "ệ" * MAX_QUERY_LENGTH)
    assert len(text) > MAX_QUERY_LENGTH
    assert check_query(text) == "ệ" * MAX_QUERY_LENGTH


def test_positive_words():
    assert positive_words('"triển khai" nhiệm -vụ or năm') == ["triển", "khai", "nhiệm", "năm"]


def test_search_box_field_for_other_forms():
    """The form field other searches (Q&A) reuse: normalised, optional, Vietnamese errors."""

    class QAForm(forms.Form):
        q = SearchBoxField()

    form = QAForm({"q": unicodedata.normalize("NFD", " hỏi  đáp ")})
    assert form.is_valid() and form.cleaned_data["q"] == "hỏi đáp"
    assert QAForm({"q": ""}).is_valid()
    form = QAForm({"q": "a" * 201})
    assert not form.is_valid() and "dài quá 200 ký tự" in form.errors["q"][0]
    assert 'maxlength="200"' in str(QAForm()["q"]) and 'type="search"' in str(QAForm()["q"])


def test_search_query_shapes():
    assert isinstance(search_query("khoa học"), SearchQuery)
    with pytest.raises(QueryError):
        search_query("   ")


@pytest.mark.django_db
def test_queries_in_the_database(seed_like):
    """websearch and prefix queries, and their title-weighted forms, as PostgreSQL sees them."""
    found = Article.objects.annotate(
        web=search_query('"trien khai" -xang or thao'),
        prefix=search_query("khoa h", prefix=True),
        weighted=WeightedQuery(search_query("khoa h", prefix=True)),
    ).values_list("web", "prefix", "weighted")[0]
    assert found == ("'trien' <-> 'khai' & !'xang' | 'thao'", "'khoa' & 'h':*", "'khoa':A & 'h':*A")


@pytest.fixture
def seed_like(make_article):
    return make_article(
        "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023",
        body="<p>Đồng chí Nguyễn Trung Thảo dự Hội nghị.</p>",
    )


def test_mark_highlights_escapes_everything_but_the_marks():
    value = f"<b>a</b> {HIGHLIGHT_START}<i>khoa</i>{HIGHLIGHT_STOP} & {HIGHLIGHT_START}stray"
    assert mark_highlights(value) == "&lt;b&gt;a&lt;/b&gt; <mark>&lt;i&gt;khoa&lt;/i&gt;</mark> &amp; stray"
    assert mark_highlights(None) == ""


def test_fold_text_matches_vn_unaccent():
    assert fold_text("Đồng Chí NGUYỄN Trung Thảo ủy") == "dong chi nguyen trung thao uy"


@pytest.mark.parametrize(
    ("text", "titles", "expected"),
    [
        ("khao hoc cong nghe", ["Sở Khoa học và Công nghệ triển khai"], "khoa học công nghệ"),
        ("so khoa hoc", ["Sở Khoa học và Công nghệ"], ""),  # nothing to correct
        ("qwerty", ["Sở Khoa học"], ""),  # nothing close
        ('"khao hoc"', ["Khoa học"], ""),  # websearch syntax is left alone
        ("khao", [], ""),
    ],
)
def test_corrected_query(text, titles, expected):
    assert corrected_query(text, titles) == expected


@pytest.mark.django_db
def test_filter_by_text(seed_like, make_article):
    draft = make_article("Dự thảo kế hoạch khoa học", status=Article.Status.DRAFT)
    everything = Article.objects.all()
    assert set(filter_by_text(everything, "khoa h")) == {seed_like, draft}
    assert list(filter_by_text(everything, "dong chi thao")) == [seed_like]
    assert filter_by_text(everything, "") is everything
    assert list(filter_by_text(everything, "-khoa")) == []


class TestAdminSearch:
    URL = reverse("admin:news_article_changelist")

    def titles(self, client, user, term):
        client.force_login(user)
        response = client.get(self.URL, {"q": term})
        assert response.status_code == 200
        return [a.title for a in response.context["cl"].result_list]

    def test_accent_insensitive_and_prefix(self, client, editor, seed_like, make_article):
        """Editors find articles without accents, by word starts, drafts included."""
        draft = make_article("Dự thảo kế hoạch khoa học", status=Article.Status.DRAFT)
        assert self.titles(client, editor, "dong chi nguyen") == [seed_like.title]
        assert set(self.titles(client, editor, "KHOA H")) == {seed_like.title, draft.title}
        assert self.titles(client, editor, "du thao ke") == [draft.title]

    def test_exact_slug(self, client, editor, seed_like):
        assert self.titles(client, editor, seed_like.slug) == [seed_like.title]

    @pytest.mark.parametrize("term", ["<script>", "'; DROP TABLE x; --", "\\", "-a", "x" * 500])
    def test_odd_terms_do_not_fail(self, client, editor, seed_like, term):
        assert self.titles(client, editor, term) == []
