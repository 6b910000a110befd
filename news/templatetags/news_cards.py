from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.fragments import remembered

register = template.Library()


@register.simple_tag
def article_card(article, compact=False, show_category=False):
    """An article's card in a listing (news/_card.html), rendered once per process for each state of
    the article: the key holds its id and last change (every edit saves `updated_at`) and, when the
    card names the category, the category's name and slug, so an edit shows on the next render.
    Home, category and article pages share most of their cards, and a card cost ~0.5 ms to render."""
    category = (article.category.slug, article.category.name) if show_category else None
    key = ("card", article.pk, article.updated_at, bool(compact), category, get_language())

    def render():
        context = {"article": article, "compact": compact, "show_category": show_category}
        return render_to_string("news/_card.html", context)

    return remembered(key, render)
