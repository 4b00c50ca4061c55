from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.roles import groups_sync_permissions

        # New models bring new permissions; keep the role groups' permission sets complete.
        post_migrate.connect(groups_sync_permissions, dispatch_uid="accounts.groups_sync")

        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import session_mark_seen

        # Signing in saves the session anyway; stamping it then spares the first page a write.
        user_logged_in.connect(
            lambda request, **kwargs: session_mark_seen(request.session),
            dispatch_uid="accounts.session_seen",
            weak=False,
        )
