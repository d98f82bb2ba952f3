from django.conf import settings
from django.db import models
from django.utils import timezone


class Hit(models.Model):
    """One row per baseline request: the bare-Django counterpart of a punch."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-id"], name="bench_hit_user_latest")]
