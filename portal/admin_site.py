"""The portal's admin site: Django's, plus the second login step and the authenticator enrolment page.

Installed as the default site (portal.admin_apps.PortalAdminConfig), so every @admin.register and
admin.site keep working unchanged. See portal/auth.py for the rules."""

from functools import wraps

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import BACKEND_SESSION_KEY, REDIRECT_FIELD_NAME, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import auth

# Admin views a superuser who must enrol may still open.
ENROLMENT_OPEN = {"logout", "password_change", "password_change_done", "i18n_javascript", "otp_setup"}


class PasswordStepLoginView(LoginView):
    """Django's login; a user with an authenticator is not logged in yet but sent to the code step."""

    def form_valid(self, form):
        user = form.get_user()
        if auth.confirmed_device(user) is not None:
            auth.begin_pending(self.request, user, user.backend, self.get_success_url())
            return HttpResponseRedirect(reverse("admin:otp_verify"))
        return super().form_valid(form)


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and auth.second_factor_ok(request)

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def gate(request, *args, **kwargs):
            if getattr(view, "__name__", "") not in ENROLMENT_OPEN and auth.must_enrol(request.user):
                return redirect("admin:otp_setup")
            return view(request, *args, **kwargs)

        return super().admin_view(gate, cacheable)

    def get_urls(self):
        return [
            path("dang-nhap/ma-xac-thuc/", self.otp_verify, name="otp_verify"),
            path("xac-thuc-hai-buoc/", self.admin_view(self.otp_setup), name="otp_setup"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        user = request.user
        if user.is_active and user.is_staff and not auth.second_factor_ok(request):
            # Logged in by password before an authenticator was set up (another session): ask for the code.
            auth.begin_pending(
                request, user, request.session.get(BACKEND_SESSION_KEY), request.GET.get(REDIRECT_FIELD_NAME, "")
            )
            return redirect("admin:otp_verify")
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return PasswordStepLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)

    @method_decorator(sensitive_post_parameters("token"))
    @method_decorator(csrf_protect)
    @method_decorator(never_cache)
    def otp_verify(self, request):
        """Second login step: the 6-digit code of the user whose password was right a moment ago."""
        waiting = auth.pending(request)
        if waiting is None:
            auth.clear_pending(request)
            messages.warning(request, _("Phiên đăng nhập đã hết hạn. Vui lòng nhập lại tên đăng nhập và mật khẩu."))
            return redirect("admin:login")
        user, backend, next_url = waiting
        credentials = {"username": user.get_username()}
        form = auth.TokenForm(request.POST or None)
        if request.method == "POST":
            if not AxesProxyHandler.is_allowed(request, credentials):
                auth.clear_pending(request)
                return auth.lockout_response(request, None, credentials)
            if form.is_valid():
                device = auth.confirmed_device(user)
                if device and verify_token(user, device.persistent_id, form.cleaned_data["token"]):
                    auth.clear_pending(request)
                    auth_login(request, user, backend=backend)
                    otp_login(request, device)
                    return HttpResponseRedirect(next_url or reverse("admin:index"))
                form.add_error(
                    "token", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới đang hiện trong ứng dụng.")
                )
            # Wrong codes count towards the lockout like wrong passwords.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                auth.clear_pending(request)
                return auth.lockout_response(request, None, credentials)
        context = {
            **self.each_context(request),
            "title": _("Xác thực hai bước"),
            "form": form,
            "pending_username": user.get_username(),
        }
        return TemplateResponse(request, "admin/otp_verify.html", context)

    @method_decorator(sensitive_post_parameters("token"))
    def otp_setup(self, request):
        """Set up (or turn off) an authenticator app for the logged-in staff member."""
        user = request.user
        forced = auth.must_enrol(user)
        required = bool(user.is_superuser and settings.OTP_REQUIRED_FOR_SUPERUSERS)
        device = auth.confirmed_device(user)
        form = auth.TokenForm(request.POST or None)
        if device is None:
            pending_device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by(
                "-id"
            ).first() or TOTPDevice.objects.create(user=user, name=auth.DEVICE_NAME, confirmed=False)
            if request.method == "POST" and form.is_valid():
                if pending_device.verify_token(form.cleaned_data["token"]):
                    pending_device.confirmed = True
                    pending_device.save(update_fields=["confirmed"])
                    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                    otp_login(request, pending_device)
                    messages.success(
                        request, _("Đã bật xác thực hai bước. Từ lần đăng nhập sau, hãy nhập mã từ ứng dụng.")
                    )
                    return redirect("admin:index")
                form.add_error("token", _("Mã chưa đúng. Kiểm tra giờ trên điện thoại và nhập mã mới đang hiện."))
            context = {
                "qr": auth.qr_data_uri(pending_device.config_url),
                "secret": auth.readable_secret(pending_device),
            }
        else:
            if request.method == "POST" and not required and form.is_valid():
                if verify_token(user, device.persistent_id, form.cleaned_data["token"]):
                    TOTPDevice.objects.filter(user=user).delete()
                    messages.success(request, _("Đã tắt xác thực hai bước."))
                    return redirect("admin:otp_setup")
                form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
            context = {"enabled": True}
        context.update(
            self.each_context(request),
            title=_("Xác thực hai bước"),
            form=form,
            forced=forced,
            required=required,
        )
        return TemplateResponse(request, "admin/otp_setup.html", context)
