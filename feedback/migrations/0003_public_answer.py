# Public title and answer for /hoi-dap/ (issue 18), citizens' private attachments (issue 18).

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.comparison
import django.utils.timezone
import feedback.models
from django.conf import settings
from django.db import migrations, models


def copy_public_answers(apps, schema_editor):
    """Questions already on /hoi-dap/ keep showing what they showed: their answer is their public answer."""
    Feedback = apps.get_model("feedback", "Feedback")
    Feedback.objects.filter(is_public=True, public_answer="").update(public_answer=models.F("answer"))


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0002_group'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=200, storage=feedback.models.private_storage, upload_to='feedback/%Y/%m/', verbose_name='tệp')),
                ('original_name', models.CharField(max_length=200, verbose_name='tên tệp gốc')),
                ('content_type', models.CharField(max_length=50, verbose_name='kiểu tệp')),
                ('size', models.PositiveIntegerField(verbose_name='dung lượng')),
                ('token', models.CharField(editable=False, max_length=32, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='tải lên lúc')),
            ],
            options={
                'verbose_name': 'tệp đính kèm của góp ý',
                'verbose_name_plural': 'tệp đính kèm của góp ý',
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='feedback',
            name='public_answer',
            field=models.TextField(blank=True, help_text='Bản trả lời đăng trên trang Hỏi đáp (lấy sẵn từ câu trả lời gửi người hỏi): bỏ lời chào tên người hỏi, số điện thoại, địa chỉ… Câu trả lời gửi riêng cho người hỏi không đổi.', verbose_name='câu trả lời khi công khai'),
        ),
        migrations.AddField(
            model_name='feedback',
            name='public_title',
            field=models.CharField(blank=True, help_text='Để trống để công khai nguyên văn tiêu đề. Điền vào nếu tiêu đề có thông tin cá nhân.', max_length=200, verbose_name='tiêu đề khi công khai'),
        ),
        migrations.RunPython(copy_public_answers, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name='feedback', name='feedback_search_idx'),
        migrations.RemoveField(model_name='feedback', name='search_vector'),
        migrations.AddField(
            model_name='feedback',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf('public_title', models.Value(''), output_field=models.CharField()), 'title'), config='vn_unaccent', weight='A'), '||', django.contrib.postgres.search.SearchVector(django.db.models.functions.comparison.Coalesce(django.db.models.functions.comparison.NullIf('public_question', models.Value(''), output_field=models.TextField()), 'content'), config='vn_unaccent', weight='B'), django.contrib.postgres.search.SearchConfig('vn_unaccent')), '||', django.contrib.postgres.search.SearchVector('public_answer', config='vn_unaccent', weight='C'), django.contrib.postgres.search.SearchConfig('vn_unaccent')), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='feedback',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('is_public', True)), fields=['search_vector'], name='feedback_search_idx'),
        ),
        migrations.AddConstraint(
            model_name='feedback',
            constraint=models.CheckConstraint(condition=models.Q(('is_public', False), models.Q(('public_answer', ''), _negated=True), _connector='OR'), name='feedback_public_has_public_answer', violation_error_message='Câu hỏi công khai cần có câu trả lời khi công khai.'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='feedback',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='feedback.feedback', verbose_name='góp ý'),
        ),
    ]
