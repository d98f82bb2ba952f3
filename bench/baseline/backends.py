"""The user load of a fresh project, for the bare baselines' sessions (``BARE_STOCK_SESSIONS=1``).

Django's ``ModelBackend.get_user``: the user alone, by primary key. It
authenticates nobody: the bench's logins go through the product's backend.
"""

from django.contrib.auth.backends import ModelBackend


class StockModelBackend(ModelBackend):
    def authenticate(self, request, **credentials):
        return None
