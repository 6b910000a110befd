from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.fragments import remembered

from ..forms import DeferredFeedbackForm

register = template.Library()


@register.simple_tag
def article_feedback_form(article):
    """The form under an article: the same for every reader (no captcha key, no CSRF token), so
    the article page can be served from a shared cache; static/js/feedback.js fills those in.
    Rendered once per article and language in each process (core.fragments)."""

    def render():
        context = {"form": DeferredFeedbackForm(article=article), "article": article, "deferred": True}
        return render_to_string("feedback/_article_form.html", context)

    return remembered(("feedback-form", article.pk, get_language()), render)


@register.simple_tag
def field_widget(field):
    """Render a field's widget pointing at its error and help text (aria-describedby)."""
    described = []
    if field.errors:
        described.append(f"{field.auto_id}_error")
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    attrs = {"aria-describedby": " ".join(described)} if described else {}
    return field.as_widget(attrs=attrs)
