from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "leitai.accounts"
    label = "accounts"
    verbose_name = _("账户与角色")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from leitai.accounts.sessions import on_login

        user_logged_in.connect(on_login, dispatch_uid="leitai.accounts.sessions")
        from leitai import audit

        from .models import User

        # Every change of a user is recorded; the password only as "<hidden>", sign-ins (last_login) not at all.
        audit.register(User, exclude=("last_login",), mask=("password",))
