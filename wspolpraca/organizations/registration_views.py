"""Registering an organization in two steps that work without JavaScript.

Step 1 (`register_krs.html`): the person types a KRS number, or says the organization is not
in the KRS. The server reads the register and keeps what it read in the session.
Step 2 (`register_form.html`): the full organization form, prefilled from the register; the
person completes it and submits. The rules are in `registration.py`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wspolpraca.core import ratelimit

from . import registration
from .krs import KrsEntity, KrsError, KrsUnavailable
from .registration_forms import KrsLookupForm, RegistrationForm

SESSION_KEY = "organizations.registration.krs_entity"


@login_required
def register(request):
    if request.method == "POST":
        if request.POST.get("step") == "details":
            return _submit_details(request)
        return _look_up(request)
    if request.GET.get("step") == "manual":
        request.session.pop(SESSION_KEY, None)
        return _render_details(request, RegistrationForm())
    return render(request, "organizations/register_krs.html", {"form": KrsLookupForm()})


def _look_up(request):
    form = KrsLookupForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["krs"]
        if not ratelimit.hit(
            "krs_lookup", f"user:{request.user.pk}", settings.KRS_LOOKUPS_PER_HOUR, 3600
        ):
            form.add_error(
                "krs",
                _(
                    "You have looked up the KRS too many times in the last hour. Try again "
                    "later, or fill in the organization's data by hand."
                ),
            )
            return render(request, "organizations/register_krs.html", {"form": form})
        try:
            entity = registration.look_up(number)
        except KrsUnavailable as error:
            request.session.pop(SESSION_KEY, None)
            details = RegistrationForm(initial={"krs": number})
            _show_error(details, "krs", str(error))
            return _render_details(request, details, register_unavailable=True)
        except KrsError as error:
            form.add_error("krs", str(error))
        except registration.RegistrationError as error:
            form.add_error("krs", error.message)
        except ValidationError as error:
            form.add_error("krs", error)
        else:
            request.session[SESSION_KEY] = entity.to_dict()
            details = RegistrationForm(initial=entity.organization_fields())
            return _render_details(request, details, entity=entity)
    return render(request, "organizations/register_krs.html", {"form": form})


def _session_entity(request):
    data = request.session.get(SESSION_KEY)
    return KrsEntity.from_dict(data) if data else None


def _submit_details(request):
    form = RegistrationForm(request.POST, request.FILES)
    entity = _session_entity(request)
    if form.is_valid():
        try:
            organization = registration.register_organization(
                form.cleaned_data, by=request.user, krs_entity=entity
            )
        except registration.RegistrationError as error:
            form.add_error(error.field, error.message)
        else:
            request.session.pop(SESSION_KEY, None)
            if organization.is_verified:
                messages.success(
                    request,
                    _(
                        "%(name)s is registered and verified: the e-mail address in the KRS "
                        "is yours. You are its administrator."
                    )
                    % {"name": organization.name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is registered and waits for verification by the platform "
                        "team. We will write to you when it is done; meanwhile you can "
                        "already complete its data."
                    )
                    % {"name": organization.name},
                )
            return redirect(organization)
    typed = (request.POST.get("krs") or "").strip()
    if entity is not None and typed.zfill(10) != entity.krs:
        entity = None
    return _render_details(request, form, entity=entity)


def _show_error(form, field, message):
    """Show a message next to a field of a form that was not submitted."""
    form.errors[field] = form.error_class(
        [message], renderer=form.renderer, field_id=form[field].auto_id
    )


def _render_details(request, form, *, entity=None, register_unavailable=False):
    context = {"form": form, "entity": entity, "register_unavailable": register_unavailable}
    return render(request, "organizations/register_form.html", context)
