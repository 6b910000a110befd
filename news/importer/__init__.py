"""Moving in from the old portal (`manage.py import_site`, docs/import.md).

sources (URL list, saved folder, WARC) → decoding (charset, NFC) → extract (rules + trafilatura) →
run (media checked like uploads, one transaction per page, redirects in core.redirects).
"""
