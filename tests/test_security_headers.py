"""Security headers on every response; a friendly page when a form's security token is missing."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("url", ["/", "/gop-y/", "/tim-kiem/?q=khoa+hoc", "/khong-co/"])
def test_public_headers(client, db, url):
    """Public pages: strict CSP (no inline script or style), no framing, no sniffing, a referrer policy."""
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Request-ID"]


def test_cached_page_keeps_headers(client, article):
    """A page served from the cache carries the same security headers."""
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert response["X-Cache"] == "HIT"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_admin_has_its_own_policy(client, db):
    """The admin allows what CKEditor 5 needs (inline styles, blob: images) but still no inline scripts."""
    csp = client.get(reverse("admin:login"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp and "blob:" in csp
    assert "script-src 'self';" in csp + ";"


def test_csrf_failure_page_in_vietnamese(db):
    """A form posted without its token gets a Vietnamese explanation, not Django's English page."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Không gửi được biểu mẫu" in response.content.decode()
