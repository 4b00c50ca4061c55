"""Strings of installed apps that ship no Simplified Chinese: listed here so that `make messages`
puts them in our catalogue, whose translations Django uses for every app.

django-axes (the back office's lockout pages, where an administrator unlocks an account) has no
zh_Hans catalogue; Django's own lacks the admin index's table headers new in 5.1 (read aloud by
screen readers). A msgid Django translates differently from our glossary is overridden here too.
Nothing imports this module: gettext_noop only marks the strings.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

VENDOR_MESSAGES = [
    # django-axes
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    # django.contrib.admin: Django says 注销; the glossary (and the portal's header) says 退出.
    gettext_noop("Log out"),
    # django.contrib.admin 5.1+, app_list.html
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django.contrib.auth 5.2 changed this message; its zh_Hans catalogue still has the old one.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        10,
    ),
]
