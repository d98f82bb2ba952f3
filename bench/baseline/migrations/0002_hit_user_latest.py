from django.db import migrations, models


class Migration(migrations.Migration):
    """The bare page reads a user's latest twelve rows: an index for it, as a real page would have."""

    dependencies = [("bench_baseline", "0001_initial")]

    operations = [
        migrations.AddIndex(model_name="hit", index=models.Index(fields=["user", "-id"], name="bench_hit_user_latest")),
    ]
