import pytest
from django.core.management import CommandError, call_command

from accounts.models import Department, Role, User
from workplan.management.commands.load_workplan import Command
from workplan.models import Area, Indicator, Plan, Task

pytestmark = pytest.mark.django_db


def counts():
    return (
        Plan.objects.count(),
        Area.objects.count(),
        Task.objects.count(),
        Indicator.objects.count(),
    )


def test_load_workplan_loads_nine_areas_with_their_tasks_and_two_indicators():
    call_command("load_workplan", verbosity=0)
    plan = Plan.objects.get(year=2024)
    assert list(plan.areas.values_list("number", flat=True)) == list(range(1, 10))
    area1 = plan.areas.get(number=1)
    titles = list(area1.tasks.values_list("title", flat=True))
    assert any("integrated circuits" in t and "autonomous driving" in t for t in titles)
    assert any("independent and controllable system" in t for t in titles)
    assert all(area.tasks.count() >= 3 for area in plan.areas.all())
    gdp = plan.indicators.get(code="gdp-growth")
    assert (gdp.target, gdp.direction) == (6, "about")
    assert plan.indicators.get(code="industrial-output-growth").target == 7


def test_load_workplan_twice_changes_nothing(capsys):
    call_command("load_workplan")
    before = counts()
    history_before = Task.history.count()
    call_command("load_workplan")
    assert counts() == before
    assert before[1] == 9
    assert Task.history.count() == history_before
    assert "nothing changed" in capsys.readouterr().out


def test_a_malformed_plan_file_writes_nothing_and_names_the_line(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text(
        "plan:\n  year: 2025\n  title: A plan\nareas:\n"
        "  - number: 1\n    title: First\n    tasks:\n      - code: '1.1'\n        title: Fine\n"
        "  - number: 2\n    tasks: []\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"line 10, areas\[2\]: 'title' is required"):
        call_command("load_workplan", str(bad))
    assert counts() == (0, 0, 0, 0)


def test_invalid_yaml_names_the_line(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text("plan:\n  year: 2025\n  title: [unclosed\nareas: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line \d+, column \d+: not valid YAML"):
        call_command("load_workplan", str(bad))
    assert counts() == (0, 0, 0, 0)


def test_an_unknown_key_is_named(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text(
        "plan:\n  year: 2025\n  title: A plan\nareas:\n  - number: 1\n    title: A\n    owner: x\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"line 5, areas\[1\]: unknown key 'owner'"):
        call_command("load_workplan", str(bad))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_workplan", str(tmp_path / "nope.yaml"))


def test_demo_adds_departments_accounts_owners_and_deadlines_and_is_repeatable():
    call_command("load_workplan", demo=True, verbosity=0)
    assert Department.objects.count() == 12
    assert User.objects.filter(role=Role.SUPERVISOR).count() >= 5
    assert all(area.supervisors.exists() for area in Area.objects.all())
    assert not Task.objects.filter(owner__isnull=True).exists()
    assert Task.objects.overdue().exists()
    assert Task.objects.filter(status="completed").exists()
    before = (counts(), Task.history.count(), User.objects.count())
    call_command("load_workplan", demo=True, verbosity=0)
    assert (counts(), Task.history.count(), User.objects.count()) == before


def test_every_demo_official_has_an_overdue_task():
    call_command("load_workplan", demo=True, verbosity=0)
    for official in User.objects.filter(role=Role.OFFICIAL):
        assert Task.objects.overdue().filter(owner=official).exists(), official.username


def test_load_workplan_help_describes_the_command():
    parser = Command().create_parser("manage.py", "load_workplan")

    assert "Load a work plan (default: the shipped 2024 plan)." in parser.format_help()


def test_demo_people_have_chinese_names_and_their_notes_read_in_both_languages():
    from accounts.models import User
    from workplan.models import ProgressReport

    call_command("load_workplan", demo=True, verbosity=0)
    people = User.objects.exclude(username="admin")
    assert people.exists()
    for person in people:
        name = person.get_full_name()
        assert name and all("\u3400" <= char <= "\u9fff" for char in name), name
    assert str(User.objects.get(username="official1")) == "王芳 (official1)"
    for note in ProgressReport.objects.values_list("note", flat=True):
        assert any("\u3400" <= char <= "\u9fff" for char in note)
        assert any("a" <= char <= "z" for char in note)


def test_a_demo_report_is_older_than_its_task_as_a_real_one_is():
    from workplan.models import ProgressReport

    call_command("load_workplan", demo=True, verbosity=0)
    reports = ProgressReport.objects.select_related("task")
    assert reports.exists()
    for report in reports:
        assert report.task_version < report.task.version
