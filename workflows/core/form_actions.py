"""One action page of a process: a form whose valid POST calls a service; an ActionError lands
on the form in Russian and nothing is lost, success says so and redirects. The views of a process
keep only what is their own — the form, the service call, the texts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render

from common.errors import ActionError, add_to_form


def action_page(
    request,
    form,
    act: Callable[[dict], object],
    *,
    success: str,
    redirect_to: str,
    template: str,
    **context,
):
    """`act(cleaned_data)` runs on a valid POST (the service is atomic: a refusal rolls it back
    whole); the page is `template` with `form` and `context` (title, submit_label, back_url, …)."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(redirect_to)
    return render(request, template, {"form": form, **context})
