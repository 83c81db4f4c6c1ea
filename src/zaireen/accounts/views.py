"""Sign-in by phone code, invitations, the profile page and its API tokens."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zaireen.accounts import selectors, services
from zaireen.accounts.forms import CodeForm, PasswordChoiceForm, PhoneForm, TokenForm
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors
from zaireen.core.ratelimit import RateLimited, client_ip

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def phone_login(request: HttpRequest) -> HttpResponse:
    """Step 1: a leader or pilgrim gives a phone number and gets a code by SMS."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            number = services.otp_request(
                phone=form.cleaned_data["phone"], client=client_ip(request)
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        except RateLimited:
            form.add_error(None, _("Too many codes were asked for. Wait 15 minutes."))
        else:
            code_form = CodeForm(initial={"phone": number})
            return render(request, "accounts/phone_code.html", {"form": code_form, "phone": number})
    return render(request, "accounts/phone_login.html", {"form": form})


@require_POST
def phone_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code signs the person in."""
    form = CodeForm(request.POST)
    phone = request.POST.get("phone", "")[:30]
    if form.is_valid():
        try:
            user = services.otp_verify(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                client=client_ip(request),
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        except RateLimited:
            form.add_error(None, _("Too many attempts. Wait 15 minutes."))
        else:
            login(request, user, backend=BACKEND)
            return redirect("core:home")
    return render(request, "accounts/phone_code.html", {"form": form, "phone": phone}, status=422)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    invited = services.invitation_user(uidb64=uidb64, token=token)
    form = PasswordChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(uidb64=uidb64, token=token, **form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Welcome to Zaireen. Your password is set."))
            return redirect("core:home")
    return render(request, "accounts/invitation.html", {"form": form, "invited": invited})


@login_required
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {"tokens": selectors.api_tokens_for(actor=request.user), "form": TokenForm()},
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    new_token = None
    if form.is_valid():
        try:
            _record, new_token = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
    status = 200 if new_token else 422
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": selectors.api_tokens_for(actor=request.user),
            "form": form if not new_token else TokenForm(),
            "new_token": new_token,
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    record = services.api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": record.name})
    return redirect("accounts:profile")
