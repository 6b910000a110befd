# The workflow (core/workflow/): working copies of reviewed objects and the staff's notices.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0003_mail_outbox"),
    ]

    operations = [
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('level', models.PositiveSmallIntegerField(default=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('seen_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'thông báo',
                'verbose_name_plural': 'thông báo',
                'indexes': [models.Index(condition=models.Q(('seen_at__isnull', True)), fields=['user', 'created_at'], name='core_notice_unseen_idx')],
            },
        ),
        migrations.CreateModel(
            name='WorkingCopy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('state', models.CharField(choices=[('draft', 'Bản nháp'), ('pending', 'Chờ duyệt'), ('returned', 'Bị trả lại')], default='draft', max_length=16, verbose_name='trạng thái')),
                ('data', models.JSONField(blank=True, null=True)),
                ('base', models.JSONField(blank=True, null=True)),
                ('comment', models.TextField(blank=True, verbose_name='nhận xét của người duyệt')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'bản sửa đổi',
                'verbose_name_plural': 'bản sửa đổi',
                'indexes': [models.Index(fields=['content_type', 'state'], name='core_workingcopy_state_idx')],
                'constraints': [models.UniqueConstraint(fields=('content_type', 'object_id'), name='core_workingcopy_one_per_object')],
            },
        ),
    ]
