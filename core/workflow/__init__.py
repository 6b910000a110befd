"""The publishing workflow every reviewed kind of content shares (articles, documents, procedures, pages,
galleries, menus, calendar entries, drafts for public comment).

- `models`: the working copy (`WorkingCopy`: a pending edit beside its row, as Wagtail keeps a
  `latest_revision` beside the live page) and the staff notices (`Notice`, shown on the next admin page).
- `service`: the transitions ("Lưu nháp", "Gửi duyệt", "Duyệt & xuất bản", "Lên lịch", "Trả lại",
  "Gỡ xuống", "Khôi phục"), each under a row lock, with its revision, audit entry and notifications.
- `admin`: `WorkflowAdminMixin`, the buttons instead of a status drop-down, preview, history, compare, and the
  lists' one set of bulk actions ("Xuất bản / Gỡ xuống / Gửi duyệt các … đã chọn", through `service.bulk`).
- `middleware`: `NoticeMiddleware`.

A kind opts in by giving its model a `Workflow` (core.workflow.kinds) and its ModelAdmin the mixin.
"""
