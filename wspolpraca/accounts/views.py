import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import DeleteAccountForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    memberships = []
    if hasattr(request.user, "memberships"):
        memberships = request.user.memberships.select_related("organization")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
@require_POST
def export_data(request):
    data = services.export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    filename = f"wspolpraca-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete_account(request):
    """Ask on a page of its own what erasing the account means; the password confirms."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    obstacles = services.erasure_obstacles(request.user)
    if request.method == "POST" and form.is_valid() and not obstacles:
        user = request.user
        logout(request)
        services.erase_account(user)
        messages.success(request, _("Your account and your personal data have been erased."))
        return redirect("home")
    context = {
        "form": form,
        "obstacles": obstacles,
        "confirm_title": _("Delete your account?"),
        "confirm_intro": _(
            "This cannot be undone. If you want a copy of your data, download it from "
            "your account page first."
        ),
        "consequences": services.erasure_consequences(request.user),
        "confirm_button": _("Erase my account for good"),
        "cancel_url": reverse("accounts:profile"),
        "cancel_label": _("Keep my account"),
    }
    return render(request, "accounts/delete_account.html", context)
