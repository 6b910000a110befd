"""/lien-ket/: the agencies' links ("Liên kết website") as a plain list, and where the select box's "Đi" leads.

`?id=N` of a published link leads to its address, so the select box works without JavaScript, and only
addresses staff published can be reached this way (never an open redirect). Anything else gets the list,
with a Vietnamese message (404 for an unknown or withdrawn link).

It leads there by an instant meta refresh (WCAG technique H76), not a 302: the public pages' Content-Security-
Policy has `form-action 'self'`, and browsers apply it to where a form's answer redirects, so a 302 to an
agency's site after the form is sent is blocked (Chromium: "violates … form-action"). A refresh is a new
navigation of this page, which form-action does not govern; the policy stays as strict as it is."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .forms import WebLinkChoiceForm
from .models import WebLink


@never_cache  # a link taken down stops leading anywhere at once
def web_links(request):
    form = WebLinkChoiceForm(request.GET if "id" in request.GET else None)
    if form.is_bound and form.is_valid():
        response = render(request, "navigation/web_link_go.html", {"link": form.cleaned_data["id"]})
        response["Referrer-Policy"] = "strict-origin-when-cross-origin"  # the agency sees the portal, not the page
        response["X-Robots-Tag"] = "noindex"
        return response
    error = form.errors["id"][0] if form.is_bound else ""
    unknown = form.is_bound and request.GET["id"].strip() != ""
    context = {"links": list(WebLink.objects.published().order_by("position", "id")), "form": form, "error": error}
    return render(request, "navigation/web_links.html", context, status=404 if unknown else 200)
