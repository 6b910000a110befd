"""`{% remember "name" value… %}…{% endremember %}`: a piece of page that is the same for every reader
(the menu, the footer), rendered once per process for each content version, language and the values
given, then reused.

The key holds the site's content version (portal.models.ContentVersion, bumped when an editor changes
anything public: articles, categories, pages, the contact record), so an edit shows on the next page.
What the piece depends on besides the content and the language must be passed as values (never what
a visitor types: each distinct value is one more entry). It may not enclose a `{% block %}`: a child template could replace that block, and the remembered HTML would not.
"""

from django import template
from django.template.loader_tags import BlockNode
from django.utils.translation import get_language

from core.fragments import remembered

register = template.Library()


class RememberNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context):
        from core.pagecache import content_version

        version = content_version()  # read at most once per request
        if version is None:  # the database is away: render, remember nothing
            return self.nodelist.render(context)
        key = (
            "remember",
            self.name.resolve(context),
            get_language(),
            version,
            *(value.resolve(context) for value in self.values),
        )
        return remembered(key, lambda: self.nodelist.render(context))


@register.tag
def remember(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% remember %} needs a name: {% remember "menu" %}')
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% remember %} may not enclose a {% block %}")
    return RememberNode(parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
