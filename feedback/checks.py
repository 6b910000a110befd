"""System checks of the feedback app (`manage.py check`)."""

import subprocess

from django.conf import settings
from django.core import checks

INSTALL = "apt-get install espeak-ng"


@checks.register()
def espeak_installed(app_configs=None, **kwargs):
    """The audio captcha needs espeak-ng and its Vietnamese voice; without them there is no "Nghe mã"."""
    program = getattr(settings, "CAPTCHA_ESPEAK_PATH", None)
    if not program:
        return [
            checks.Warning(
                "Chưa cài espeak-ng: mã kiểm tra của biểu mẫu góp ý không có bản nghe (không có nút "
                "“Nghe mã bằng tiếng Việt”) cho người không đọc được ảnh (espeak-ng is not installed).",
                hint=f"Cài trên mọi máy chủ ứng dụng (Debian/Ubuntu, quyền root): `{INSTALL}`, hoặc đặt "
                "CAPTCHA_ESPEAK_PATH là đường dẫn tới chương trình; rồi khởi động lại ứng dụng.",
                id="feedback.W001",
            )
        ]
    try:
        voices = subprocess.run(  # noqa: S603 - the configured program, arguments as a list
            [program, "--voices=vi"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        voices = ""
        reason = str(error)
    else:
        reason = "không có giọng “vi”"
    if " vi " not in voices:
        return [
            checks.Warning(
                f"espeak-ng ({program}) không đọc được tiếng Việt ({reason}): bản nghe của mã kiểm tra sẽ lỗi.",
                hint=f"Cài lại cùng dữ liệu giọng đọc (Debian/Ubuntu): `{INSTALL} espeak-ng-data`.",
                id="feedback.W002",
            )
        ]
    return []
