"""シングルサインオン (SAML 2.0): each company signs its employees in through its own
identity provider. Above ``accounts`` (README, "Architecture"): it fills the login
page's hook (``accounts.login.hooks``) and finishes its logins through the login's
own path (``accounts.views.login.finish_login``)."""
