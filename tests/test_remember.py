"""{% remember %}: the menu, header and footer rendered once per content version, language and value."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from news.models import Category
from pages.models import ContactInfo


def test_a_block_inside_is_refused():
    with pytest.raises(TemplateSyntaxError, match="block"):
        Template('{% load remember %}{% remember "x" %}{% block a %}{% endblock %}{% endremember %}')


@pytest.mark.django_db
def test_the_piece_is_rendered_once_per_content_version_and_value():
    template = Template(
        '{% load remember %}{% remember "greeting" who %}Xin chào {{ who }} {{ extra }}{% endremember %}'
    )
    assert template.render(Context({"who": "An", "extra": 1})).strip() == "Xin chào An 1"
    assert template.render(Context({"who": "An", "extra": 2})).strip() == "Xin chào An 1"  # remembered
    assert template.render(Context({"who": "Bình", "extra": 2})).strip() == "Xin chào Bình 2"  # another value
    Category.objects.create(name="Chuyên mục mới", slug="chuyen-muc-moi")  # the content changed
    assert template.render(Context({"who": "An", "extra": 3})).strip() == "Xin chào An 3"


@pytest.mark.django_db
def test_a_renamed_category_is_renamed_in_the_menu_at_once(client, article):
    category = article.category
    assert category.name in client.get("/").text
    category.name = "Tin hoạt động của Sở"
    category.save()
    assert "Tin hoạt động của Sở" in client.get(article.get_absolute_url()).text


@pytest.mark.django_db
def test_a_new_phone_number_is_in_the_footer_at_once(client, article):
    contact, _created = ContactInfo.objects.update_or_create(
        pk=1, defaults={"name": "Sở KH&CN", "address": "Số 1", "phone": "0274 3822 111", "email": "so@example.vn"}
    )
    assert "0274 3822 111" in client.get("/").text
    contact.phone = "0274 3999 888"
    contact.save()  # as the admin saves it
    page = client.get("/").text
    assert "0274 3999 888" in page and "0274 3822 111" not in page


@pytest.mark.django_db
def test_each_search_keeps_its_own_words_in_the_header(client, article):
    for words in ("khoa học", "công nghệ"):
        assert f'value="{words}"' in client.get("/tim-kiem/", {"q": words}).text.split('id="header-q"')[1][:200]


@pytest.fixture
def fragment_keys(monkeypatch):
    """The keys of the fragments kept in the cache from now on (as tuples, before they are hashed)."""
    from core import fragments

    kept = []
    original = fragments.cache_key
    monkeypatch.setattr(fragments, "cache_key", lambda key: (kept.append(key), original(key))[1])
    return kept


@pytest.mark.django_db
def test_what_visitors_type_is_not_remembered(client, article, fragment_keys):
    """Search words and odd category values render fine but are in no fragment's key."""
    client.get("/tim-kiem/", {"q": "khoa học"})
    for n in range(5):
        response = client.get("/tim-kiem/", {"q": f"từ khóa {n}", "chuyen_muc": "x" * 100 + str(n)})
        assert response.status_code == 200 and "Chuyên mục này không tồn tại." in response.text
    assert fragment_keys
    assert [key for key in fragment_keys if any("từ khóa" in str(part) or "xxxx" in str(part) for part in key)] == []


@pytest.mark.django_db
def test_every_page_shares_one_rating_form(client, make_article, fragment_keys):
    """The footer's rating form is kept once, not once per page path; each page still names its own path."""
    articles = [make_article(f"Bài số {n}") for n in range(3)]
    for article in articles:
        page = client.get(article.get_absolute_url()).text
        assert f'<input type="hidden" name="page" value="{article.get_absolute_url()}">' in page
    rating_keys = {key for key in fragment_keys if key[0] == "rating-form"}
    assert len(rating_keys) == 1
    assert not [key for key in fragment_keys for a in articles if a.get_absolute_url() in map(str, key)]
