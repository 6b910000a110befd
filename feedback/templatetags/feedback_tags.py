from django import template

from ..forms import DeferredFeedbackForm

register = template.Library()


@register.inclusion_tag("feedback/_article_form.html")
def article_feedback_form(article):
    """The form under an article: the same for every reader (no captcha key, no CSRF token), so
    the article page can be served from a shared cache; static/js/feedback.js fills those in."""
    return {"form": DeferredFeedbackForm(article=article), "article": article, "deferred": True}


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
