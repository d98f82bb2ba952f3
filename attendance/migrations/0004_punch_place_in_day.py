"""Each punch gets its place in the work day (``seq``), unique per user and day.

Existing rows are numbered in the order the punch page shows them (time,
then id) within each user's work day. The unique index on (user, work_date,
seq) also serves every lookup of a user's day, so it replaces the plain
(user, work_date) index, which is dropped only after it exists.

The column is nullable and the previous release never writes it, so old and
new servers can run side by side during a rolling restart. On PostgreSQL
adding the column is instant; the numbering rewrites every punch row once
(minutes at tens of millions of rows: run it before the 9:00 rush).
"""

from django.conf import settings
from django.db import migrations, models

NUMBER_EXISTING = """
    UPDATE attendance_punch AS p SET seq = o.n
    FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id, work_date ORDER BY punched_at, id) AS n
          FROM attendance_punch) AS o
    WHERE p.id = o.id
"""


class Migration(migrations.Migration):

    dependencies = [
        ('attendance', '0003_punch_user_index_in_composites'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='punch',
            name='seq',
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.RunSQL(NUMBER_EXISTING, reverse_sql=migrations.RunSQL.noop, elidable=False),
        migrations.AddConstraint(
            model_name='punch',
            constraint=models.UniqueConstraint(fields=('user', 'work_date', 'seq'), name='attendance_punch_day_place'),
        ),
        migrations.RemoveIndex(
            model_name='punch',
            name='attendance_punch_user_day',
        ),
    ]
