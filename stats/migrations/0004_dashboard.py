# The leaders' dashboard (issue 15): visits by kind of device, and the words searched per day.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stats', '0003_sharded_counters'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDay',
            fields=[
                ('pk', models.CompositePrimaryKey('day', 'query', blank=True, editable=False, primary_key=True, serialize=False)),
                ('day', models.DateField(verbose_name='ngày')),
                ('query', models.CharField(max_length=100, verbose_name='từ khoá')),
                ('searches', models.IntegerField(default=0, verbose_name='số lần tìm')),
                ('empty', models.IntegerField(default=0, verbose_name='số lần không thấy kết quả')),
            ],
            options={
                'verbose_name': 'từ khoá tìm kiếm theo ngày',
                'verbose_name_plural': 'từ khoá tìm kiếm theo ngày',
                'db_table': 'stats_searchday',
                'default_permissions': (),
            },
        ),
        migrations.AddField(
            model_name='dailytraffic',
            name='desktop_visits',
            field=models.IntegerField(db_default=0, default=0, verbose_name='lượt truy cập từ máy tính'),
        ),
        migrations.AddField(
            model_name='dailytraffic',
            name='phone_visits',
            field=models.IntegerField(db_default=0, default=0, verbose_name='lượt truy cập từ điện thoại'),
        ),
        migrations.AddField(
            model_name='dailytraffic',
            name='tablet_visits',
            field=models.IntegerField(db_default=0, default=0, verbose_name='lượt truy cập từ máy tính bảng'),
        ),
        migrations.AddField(
            model_name='visitorday',
            name='device',
            field=models.SmallIntegerField(db_default=0, default=0, verbose_name='loại thiết bị'),
        ),
    ]
