from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Work plan")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.models import Department
        from workplan.caching import on_task_saved_or_deleted
        from workplan.models import Area, Task

        # Cached figures (workplan/caching.py) are read afresh after any change to a task, and
        # to an area or department (the task list's choices are cached too).
        m2m_changed.connect(
            on_task_saved_or_deleted,
            sender=Task.supporting_departments.through,
            dispatch_uid="task-figures-supporting",
        )
        for model in (Task, Department, Area):
            name = model._meta.model_name
            post_save.connect(
                on_task_saved_or_deleted, sender=model, dispatch_uid=f"{name}-figures-save"
            )
            post_delete.connect(
                on_task_saved_or_deleted, sender=model, dispatch_uid=f"{name}-figures-delete"
            )
        # A supervisor's scope is their areas: figures per user must follow it too.
        m2m_changed.connect(
            on_task_saved_or_deleted,
            sender=Area.supervisors.through,
            dispatch_uid="task-figures-supervisors",
        )
