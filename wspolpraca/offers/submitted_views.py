"""A submitted offer, from its organization's side: submit, the receipt with the PDFs,
withdrawal and correction before the deadline, and the copy signed outside the platform.
Anyone else gets 404, as if the offer did not exist."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.core import sections
from wspolpraca.core.pdf import pdf_response
from wspolpraca.core.uploads import PDF, accept_upload, private_file_response

from . import documents, services
from .models import Offer


def _offer(request, pk, perm="offers.view_submitted_offer"):
    offer = get_object_or_404(
        Offer.objects.select_related("call", "organization", "department", "submitted_by"),
        pk=pk,
    )
    if not request.user.has_perm(perm, offer):
        raise Http404
    return offer


class SignedCopyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Signed PDF of the offer"),
        help_text=gettext_lazy(
            "The offer's PDF from this page, signed with a trusted profile or a qualified "
            "electronic signature, unchanged. A PDF file of at most %(size)s MB."
        )
        % {"size": settings.ATTACHMENT_MAX_SIZE // (1024 * 1024)},
    )

    def clean_file(self):
        return accept_upload(
            self.cleaned_data.get("file"), types=[PDF], max_size=settings.ATTACHMENT_MAX_SIZE
        )


@login_required
@require_POST
def submit(request, pk):
    offer = _offer(request, pk, "offers.view_offer_draft")
    try:
        offer = services.submit_offer(offer, by=request.user)
    except services.OfferError as error:
        messages.error(request, str(error))
        return redirect("offers:check", offer.pk)
    messages.success(request, _("The offer is submitted. Keep the receipt."))
    return redirect("offers:receipt", offer.pk)


@login_required
@require_http_methods(["GET", "POST"])
def receipt(request, pk):
    offer = _offer(request, pk)
    form = SignedCopyForm()
    if request.method == "POST":
        form = SignedCopyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_signed_copy(offer, request.user, form.cleaned_data["file"])
            except documents.SignatureRefused as refused:
                form.add_error("file", str(refused))
            except services.OfferError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The signed confirmation is added to the offer."))
                return redirect("offers:receipt", offer.pk)
    return render(
        request,
        "offers/submitted/receipt.html",
        {
            "offer": offer,
            "form": form,
            "may_withdraw": request.user.has_perm("offers.withdraw_offer", offer)
            and not services.deadline_passed(offer, timezone.now()),
            "may_sign": request.user.has_perm("offers.upload_signed_confirmation", offer),
            "correction": Offer.objects.filter(replaces=offer).only("pk", "status").first(),
            # What later steps add: the decision, the agreement (evaluations, agreements).
            "sections": sections.render("offer", request, offer),
        },
    )


@login_required
def offer_pdf(request, pk):
    offer = services.ensure_pdf(_offer(request, pk))
    return private_file_response(
        offer.pdf,
        allowed=True,
        filename=f"oferta-{offer.number.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )


@login_required
def receipt_pdf(request, pk):
    offer = _offer(request, pk)
    return pdf_response(
        documents.receipt_pdf(offer), f"potwierdzenie-{offer.number.replace('/', '-')}.pdf"
    )


@login_required
def signed_pdf(request, pk):
    offer = _offer(request, pk)
    return private_file_response(
        offer.signed_pdf,
        allowed=True,
        filename=f"oferta-{offer.number.replace('/', '-')}-podpisana.pdf",
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    offer = _offer(request, pk)
    receipt_url = reverse("offers:receipt", args=[offer.pk])
    problem = None
    if request.method == "POST":
        try:
            services.withdraw_offer(offer, by=request.user)
        except services.OfferError as error:
            problem = str(error)
        else:
            messages.success(request, _("The offer is withdrawn."))
            return redirect(receipt_url)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Withdraw offer %(number)s?") % {"number": offer.number},
            "consequences": [
                _("The city will not consider this offer."),
                _(
                    "It stays on record as withdrawn; you may submit a new offer before the "
                    "deadline."
                ),
            ],
            "confirm_button": _("Withdraw the offer"),
            "cancel_url": receipt_url,
            "obstacles": [problem] if problem else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, pk):
    offer = _offer(request, pk)
    receipt_url = reverse("offers:receipt", args=[offer.pk])
    problem = None
    if request.method == "POST":
        try:
            copy = services.correct_offer(offer, by=request.user)
        except services.OfferError as error:
            problem = str(error)
        else:
            messages.success(
                request,
                _(
                    "This is a correction of offer %(number)s. Submit it before the deadline to "
                    "replace the offer; until then the offer stays as submitted."
                )
                % {"number": offer.number},
            )
            return redirect("offers:check", copy.pk)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Correct offer %(number)s?") % {"number": offer.number},
            "consequences": [
                _("A draft with the same content is made for you to change."),
                _("When you submit it, it replaces this offer; both versions are kept."),
            ],
            "confirm_button": _("Start a correction"),
            "cancel_url": receipt_url,
            "obstacles": [problem] if problem else [],
        },
    )
