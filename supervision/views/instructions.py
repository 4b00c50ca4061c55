"""Leaders' instructions in the portal: write on a task or its area, answer, close, list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supervision.forms.instructions import InstructionAnswerForm, InstructionForm
from supervision.models import Instruction
from supervision.permissions import (
    can_answer_instruction,
    can_close_instruction,
    can_instruct,
    can_urge_at_all,
    can_view_instruction,
)
from supervision.selectors.instructions import instruction_for, instruction_list_for
from supervision.services import instruction_answer, instruction_close, instruction_write
from supervision.views.common import back_to, page_of
from workplan.selectors import task_for_report


@require_http_methods(["GET", "POST"])
def task_instruct(request, pk):
    task = get_object_or_404(task_for_report(request.user).select_related("area"), pk=pk)
    if not can_instruct(request.user):
        raise PermissionDenied(_("Only leaders write instructions."))
    form = InstructionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        on_area = data["scope"] == InstructionForm.AREA
        try:
            instruction_write(
                author=request.user,
                text=data["text"],
                task=None if on_area else task,
                area=task.area if on_area else None,
                respond_by=data["respond_by"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your instruction is sent to the owners."))
            return back_to(request, reverse("workplan:task_detail", args=[task.pk]))
    return render(request, "supervision/instruction_form.html", {"task": task, "form": form})


def _visible_instruction(request, pk) -> Instruction:
    try:
        instruction = instruction_for(pk)
    except Instruction.DoesNotExist:
        raise Http404 from None
    if not can_view_instruction(request.user, instruction):
        raise Http404
    return instruction


def _instruction_url(instruction) -> str:
    if instruction.task_id is not None:
        return reverse("workplan:task_detail", args=[instruction.task_id])
    return reverse("supervision:instruction_list")


@require_http_methods(["GET", "POST"])
def instruction_answer_view(request, pk):
    instruction = _visible_instruction(request, pk)
    if not can_answer_instruction(request.user, instruction):
        raise PermissionDenied(_("Only the owners of its tasks answer this instruction."))
    form = InstructionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instruction_answer(
                instruction=instruction, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your response is sent to the leader."))
            return back_to(request, _instruction_url(instruction))
    return render(
        request,
        "supervision/instruction_answer_form.html",
        {"instruction": instruction, "form": form},
    )


@require_POST
def instruction_close_view(request, pk):
    instruction = _visible_instruction(request, pk)
    if instruction.is_open and not can_close_instruction(request.user, instruction):
        raise PermissionDenied(
            _("Only its leader, a supervisor of its area or an admin closes an instruction.")
        )
    instruction_close(instruction=instruction, user=request.user)
    messages.success(request, _("The instruction is closed."))
    return back_to(request, _instruction_url(instruction))


@require_GET
def instruction_list(request):
    show_closed = request.GET.get("state") == "all"
    queryset = instruction_list_for(request.user, show_closed=show_closed)
    return render(
        request,
        "supervision/instruction_list.html",
        {
            "page": page_of(request, queryset),
            "show_closed": show_closed,
            # The list holds only what they may close: a leader's own, a supervisor's areas.
            "may_close": can_urge_at_all(request.user),
        },
    )
