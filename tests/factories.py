import datetime

import factory
from django.utils import timezone

from accounts.models import Department, Role, User
from workplan.models import Area, Plan, ProgressReport, Task, TaskStatus


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"dept-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@etown.example")
    role = Role.OFFICIAL
    department = factory.SubFactory(DepartmentFactory)
    is_active = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", "correct-horse-battery")
        return model_class.objects.create_user(*args, password=password, **kwargs)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("year",)

    year = 2024
    title = "Nine key areas of work for Beijing E-Town in 2024"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Key area {n + 1}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    area = factory.SubFactory(AreaFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    owner = factory.SubFactory(UserFactory)
    lead_department = factory.LazyAttribute(lambda t: t.owner.department if t.owner else None)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = TaskStatus.IN_PROGRESS
    progress = 10


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    task = factory.SubFactory(TaskFactory)
    author = factory.LazyAttribute(lambda r: r.task.owner)
    progress = 50
    status = TaskStatus.IN_PROGRESS
    note = "Halfway there."
    task_version = factory.LazyAttribute(lambda r: r.task.version)
