from django.shortcuts import render

from workplan.selectors import task_list_for


def dashboard(request):
    tasks = task_list_for(request.user)
    return render(request, "workplan/dashboard.html", {"tasks": tasks})
