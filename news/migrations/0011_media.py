# The media library (core.MediaItem): a cover or an attachment may be any library file, whose names are up to
# 255 characters.
import core.files
import core.filenames
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("news", "0010_workflow")]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="cover",
            field=models.ImageField(
                blank=True, max_length=255, upload_to=core.filenames.cover_upload_to, verbose_name="ảnh đại diện"
            ),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                help_text="PDF, DOC, DOCX, XLS, XLSX hoặc ODT; tối đa 20 MB.",
                max_length=255,
                upload_to=core.filenames.attachment_upload_to,
                validators=[core.files.validate_attachment],
                verbose_name="tệp",
            ),
        ),
    ]
