"""Keep supervisors inside the areas they supervise, on every admin page, action and export."""

from __future__ import annotations

from django.db.models import Q

from workplan.permissions import can_supervise_area, is_admin, is_supervisor


class AreaScopedAdminMixin:
    """Limit an admin to rows whose area the user supervises; admins see everything.

    `area_path` is the lookup from the model to its Area ("area", "task__area", ...); "" means
    the model is the Area itself.
    """

    area_path = "area"

    def _area_q(self, user) -> Q:
        prefix = f"{self.area_path}__" if self.area_path else ""
        return Q(**{f"{prefix}supervisors": user})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if is_admin(user):
            return queryset
        if not is_supervisor(user):
            return queryset.none()
        # One row per object: the user appears at most once among an area's supervisors.
        return queryset.filter(self._area_q(user))

    def area_of(self, obj):
        area = obj
        for part in self.area_path.split("__") if self.area_path else []:
            area = getattr(area, part)
        return area

    def in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        area = self.area_of(obj)
        if area is None:
            # An object in no area (a refused form emptied its fields): admins' alone.
            return is_admin(request.user)
        # A change page asks has_view/change/delete_permission of its object (and its inlines)
        # eight times: one query answers them all, for this request and this area only.
        answers = request.__dict__.setdefault("_area_scope_answers", {})
        key = (request.user.pk, area.pk)
        if key not in answers:
            answers[key] = can_supervise_area(request.user, area)
        return answers[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices of a task or an area never reach outside the user's areas.
        from workplan.models import Area, Task
        from workplan.permissions import visible_areas, visible_tasks

        if db_field.related_model is Task:
            kwargs.setdefault("queryset", visible_tasks(request.user))
        elif db_field.related_model is Area:
            kwargs.setdefault("queryset", visible_areas(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
