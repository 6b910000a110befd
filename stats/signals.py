"""Editors' changes show in "Đọc nhiều" at once: an unpublished or renamed article must not linger
there for the block's five minutes. Connected by model label, so stats does not import news."""

from django.db.models.signals import post_delete, post_save

from .services import MOST_READ, forget_fragments


def article_changed(sender, **kwargs):
    forget_fragments([MOST_READ])


def connect():
    post_save.connect(article_changed, sender="news.Article", dispatch_uid="stats.most_read.save")
    post_delete.connect(article_changed, sender="news.Article", dispatch_uid="stats.most_read.delete")
