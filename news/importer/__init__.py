"""Moving in from the old portal (`manage.py import_site`, docs/import.md).

sources (URL list, saved folder, WARC) → decoding (charset, NFC) → extract (rules + trafilatura) →
run (photos checked like uploads by long-lived image workers (images, imageworker), one transaction per
page, redirects in core.redirects); what was imported from where is listed in the admin (news.admin).
"""
