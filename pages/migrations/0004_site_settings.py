from django.db import migrations, models

import pages.models


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_workflow")]

    operations = [
        migrations.AddField(
            model_name='contactinfo',
            name='copyright',
            field=models.CharField(blank=True, help_text='Ví dụ: © Bản quyền thuộc Sở Khoa học và Công nghệ.', max_length=200, verbose_name='bản quyền'),
        ),
        migrations.AddField(
            model_name='contactinfo',
            name='emblem',
            field=models.ImageField(blank=True, help_text='Ảnh vuông, nền trong suốt (PNG). Để trống: dùng biểu trưng mặc định.', upload_to=pages.models.emblem_upload_to, verbose_name='quốc huy / biểu trưng'),
        ),
        migrations.AddField(
            model_name='contactinfo',
            name='facebook_url',
            field=models.URLField(blank=True, max_length=300, verbose_name='Facebook'),
        ),
        migrations.AddField(
            model_name='contactinfo',
            name='licence',
            field=models.CharField(blank=True, help_text='Ví dụ: Giấy phép thiết lập trang thông tin điện tử tổng hợp số 12/GP-STTTT ngày 10/01/2023.', max_length=300, verbose_name='giấy phép'),
        ),
        migrations.AddField(
            model_name='contactinfo',
            name='source_notice',
            field=models.CharField(blank=True, help_text='Ví dụ: Ghi rõ nguồn “Cổng thông tin điện tử Sở KH&CN” khi phát hành lại thông tin từ cổng thông tin này.', max_length=300, verbose_name='ghi rõ nguồn'),
        ),
        migrations.AddField(
            model_name='contactinfo',
            name='youtube_url',
            field=models.URLField(blank=True, max_length=300, verbose_name='YouTube'),
        ),
        migrations.AddField(
            model_name='contactinfo',
            name='zalo_url',
            field=models.URLField(blank=True, max_length=300, verbose_name='Zalo'),
        ),
    ]
