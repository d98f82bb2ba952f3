"""What `make test` once ran before the suite, run inside it (in parallel with the rest):
the system checks at warning level are catalog/tests/test_registry.py's; here every
model change has its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit as missing:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"a model change has no migration: run `manage.py makemigrations` ({missing})")
