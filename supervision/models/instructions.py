"""Leaders' instructions (领导批示) on a task or a whole area, and the answers (落实情况)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workplan.models import Area, Task

if TYPE_CHECKING:
    from accounts.models import User


class InstructionState(models.TextChoices):
    OPEN = "open", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Instruction(models.Model):
    """A leader's instruction on one task, or on an area (every task of it)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="instructions_written",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instructions",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("key area of work"),
        on_delete=models.CASCADE,
        related_name="instructions",
        help_text=_("The task's area, or the area the instruction is about."),
    )
    text = models.TextField(_("instruction"))
    respond_by = models.DateField(_("response date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=InstructionState, default=InstructionState.OPEN
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    # Who made the change, set before a save for simple-history's record of it.
    _history_user: "User"
    # Set by the task page's panel: what the reader may do with it there.
    may_answer: bool
    may_close: bool

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leader's instructions")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="instruction_text_required"),
            models.CheckConstraint(
                condition=Q(state=InstructionState.CLOSED, closed_at__isnull=False)
                | (~Q(state=InstructionState.CLOSED) & Q(closed_at__isnull=True)),
                name="instruction_closed_at",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "state"], name="instruction_author_idx"),
            models.Index(
                fields=["task"],
                condition=~Q(state="closed"),
                name="instruction_open_task_idx",
            ),
            models.Index(
                fields=["area"],
                condition=Q(task__isnull=True) & ~Q(state="closed"),
                name="instruction_open_area_idx",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.state != InstructionState.CLOSED


class InstructionAnswer(models.Model):
    """What was done about an instruction (落实情况), from an owner; several for an area."""

    instruction = models.ForeignKey(
        Instruction,
        verbose_name=_("leader's instruction"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="instruction_answers",
    )
    text = models.TextField(_("response"))
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    history = HistoricalRecords()

    # Who made the change, set before a save for simple-history's record of it.
    _history_user: "User"

    class Meta:
        ordering = ["instruction", "created_at", "pk"]
        verbose_name = _("response to an instruction")
        verbose_name_plural = _("responses to instructions")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="instruction_answer_required"),
        ]

    def __str__(self):
        return self.text[:60]
