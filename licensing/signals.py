"""A saved or deleted licence — by the service (``licence_set``, which the
``licence`` command uses), the admin, or a company's deletion — changes the
tenant's cache version (``cache.py``): its cached licence set is not read again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .cache import licences_changed
from .models import Licence


@receiver([post_save, post_delete], sender=Licence, dispatch_uid="licensing.licence_changed")
def licence_changed(sender, instance, **kwargs):
    licences_changed(instance.tenant_id)
