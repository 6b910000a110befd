"""The portal's admin site: Django's, plus the second login step, the two-factor page and the one-time
links of staff accounts (set the password, enrol the authenticator).

Installed as the default site (portal.admin_apps.PortalAdminConfig), so every @admin.register and
admin.site keep working unchanged. See portal/auth.py (login and two-factor rules) and
portal/accounts.py (roles, invitations, links)."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import BACKEND_SESSION_KEY, REDIRECT_FIELD_NAME, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import LoginView
from django.db.models import Q
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

from core import admincards

from . import accounts, auth
from .roles import ADMINISTRATORS

# The technical apps (login attempts, two-factor devices, audit log, outbox): in the index and the side menu
# only for "Quản trị" and superusers, after the task apps. Others keep any permission they have on them.
TECHNICAL_APPS = ("auth", "audit", "core", "axes", "otp_totp")
# ... except these task screens of theirs: the media library ("Thư viện tệp", core/admin_media.py).
TASK_MODELS = {("core", "MediaItem")}
# The task apps first, in this order; any other app follows alphabetically.
APP_ORDER = ("news", "documents", "feedback", "pages", "stats", "rating")
RECENT_ACTIVITY = 10

ACTIVATION_KEY = "portal_staff_link"
# After the password step of an invitation, how long this browser may still enrol the authenticator.
ENROL_SECONDS = 3600
LATE = "late"  # the password is set, the hour to enrol has passed


class PasswordStepLoginView(LoginView):
    """Django's login; a user with an authenticator is not logged in yet but sent to the code step."""

    def get_default_redirect_url(self):
        return reverse("admin:index")  # where a `?next=` leading off the site is replaced to (not LOGIN_REDIRECT_URL)

    def form_valid(self, form):
        user = form.get_user()
        if auth.confirmed_device(user) is not None:
            auth.begin_pending(self.request, user, user.backend, self.get_success_url())
            return HttpResponseRedirect(reverse("admin:otp_verify"))
        return super().form_valid(form)


class PortalAdminSite(admin.AdminSite):
    login_form = auth.StaffAuthenticationForm

    def has_permission(self, request):
        """Staff, and past the second step (news asks this too before an upload or a draft's preview)."""
        return super().has_permission(request) and auth.second_factor_ok(request)

    def is_administrator(self, request):
        """A superuser or a member of "Quản trị" (one query, once a request)."""
        user = request.user
        if getattr(request, "_portal_is_administrator", None) is None:
            request._portal_is_administrator = user.is_active and (
                user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()
            )
        return request._portal_is_administrator

    def get_app_list(self, request, app_label=None):
        """The apps by task (articles, documents, feedback…), the technical ones last and only for "Quản trị"."""
        apps = super().get_app_list(request, app_label)
        if not self.is_administrator(request):
            for app in apps:  # task screens kept in a technical app (the media library) stay for everyone
                if app["app_label"] in TECHNICAL_APPS:
                    app["models"] = [m for m in app["models"] if (app["app_label"], m["object_name"]) in TASK_MODELS]
            apps = [app for app in apps if app["app_label"] not in TECHNICAL_APPS or app["models"]]

        def rank(app):
            label = app["app_label"]
            if label in APP_ORDER:
                return (0, APP_ORDER.index(label), "")
            if label in TECHNICAL_APPS:
                return (2, TECHNICAL_APPS.index(label), "")
            return (1, 0, str(app["name"]))

        return sorted(apps, key=rank)

    def recent_activity(self, request, app_list):
        """The latest logged actions the user may see: everyone's for "Quản trị" and readers of the audit log,
        otherwise those on the models of the user's own app list. One query."""
        user = request.user
        entries = LogEntry.objects.select_related("user", "content_type").order_by("-action_time")
        if not (self.is_administrator(request) or user.has_perm("audit.view_auditentry")):
            visible = Q()
            for app in app_list:
                for model in app["models"]:
                    visible |= Q(
                        content_type__app_label=app["app_label"], content_type__model=model["object_name"].lower()
                    )
            if not visible:
                return []
            entries = entries.filter(visible)
        return list(entries[:RECENT_ACTIVITY])

    def index(self, request, extra_context=None):
        """Django's index with the cards of what waits for this user, and the recent activity."""
        app_list = self.get_app_list(request)
        context = {
            "app_list": app_list,
            "admin_cards": admincards.visible(request),
            "recent_activity": self.recent_activity(request, app_list),
            "can_view_audit": request.user.has_perm("audit.view_auditentry"),
            **(extra_context or {}),
        }
        return super().index(request, extra_context=context)

    def get_urls(self):
        return [
            path("dang-nhap/ma-xac-thuc/", self.otp_verify, name="otp_verify"),
            path("xac-thuc-hai-buoc/", self.admin_view(self.otp_setup), name="otp_setup"),
            path("kich-hoat/<str:kind>/<str:uidb64>/<str:token>/", self.staff_link, name="staff_link"),
            path("kich-hoat/", self.staff_activate, name="staff_activate"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        user = request.user
        if user.is_active and user.is_staff and not auth.second_factor_ok(request):
            if auth.confirmed_device(user) is not None:
                # Logged in by password before an authenticator was set up (another session): ask for the code.
                auth.begin_pending(
                    request, user, request.session.get(BACKEND_SESSION_KEY), request.GET.get(REDIRECT_FIELD_NAME, "")
                )
                return redirect("admin:otp_verify")
            # A session from before two-factor became required, for an account that has not enrolled.
            auth_logout(request)
            messages.error(request, auth.NOT_ENROLLED)
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
            authentication_form=self.login_form,
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
                    return HttpResponseRedirect(auth.safe_next(request, next_url) or reverse("admin:index"))
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
        """Two-factor of the logged-in staff member: turn it off (unless required), or, without an
        authenticator, have an enrolment link sent to one's own e-mail (enrolment needs a link)."""
        user = request.user
        required = auth.two_factor_required(user)
        device = auth.confirmed_device(user)
        form = auth.TokenForm(request.POST or None)
        context = {"enabled": device is not None, "email": user.email}
        if device is None:
            if request.method == "POST" and user.email:
                if accounts.send_link(user, accounts.ENROL, request.build_absolute_uri("/")):
                    messages.success(
                        request,
                        _(
                            "Đã gửi liên kết thiết lập tới %(email)s. Mở thư và làm theo hướng dẫn: liên kết dùng "
                            "được một lần, trong %(days)s ngày."
                        )
                        % {"email": user.email, "days": accounts.LINK_DAYS},
                    )
                else:
                    messages.error(request, _("Chưa gửi được thư. Vui lòng thử lại sau ít phút."))
                return redirect("admin:otp_setup")
        elif request.method == "POST" and not required and form.is_valid():
            if verify_token(user, device.persistent_id, form.cleaned_data["token"]):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Đã tắt xác thực hai bước."))
                return redirect("admin:otp_setup")
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        context.update(self.each_context(request), title=_("Xác thực hai bước"), form=form, required=required)
        return TemplateResponse(request, "admin/otp_setup.html", context)

    # One-time links (portal/accounts.py) ----------------------------------------------------------

    @method_decorator(never_cache)
    def staff_link(self, request, kind, uidb64, token):
        """The link of an e-mail: checked, then kept in this browser's session (out of the address bar, so
        no Referer carries it) for the steps of `staff_activate`. Opening it changes nothing yet."""
        user = accounts.user_from_uid(uidb64)
        status = accounts.TOKENS[kind].check(user, token) if kind in accounts.KINDS else accounts.INVALID
        if status != accounts.OK or not user.is_active:
            request.session.pop(ACTIVATION_KEY, None)
            return self.link_refused(request, status)
        request.session[ACTIVATION_KEY] = {
            "user": user.pk,
            "kind": kind,
            "token": token,
            "step": "password" if kind == accounts.INVITE else "enrol",
            "since": int(time.time()),
        }
        return redirect("admin:staff_activate")

    @method_decorator(sensitive_post_parameters("new_password1", "new_password2", "token"))
    @method_decorator(csrf_protect)
    @method_decorator(never_cache)
    def staff_activate(self, request):
        """Set the password (an invitation), then enrol the authenticator app (required, or offered)."""
        state = request.session.get(ACTIVATION_KEY)
        user = None
        if isinstance(state, dict) and state.get("kind") in accounts.KINDS:
            user = accounts.users().filter(pk=state.get("user"), is_active=True).first()
        if user is None:
            request.session.pop(ACTIVATION_KEY, None)
            return self.link_refused(request, accounts.INVALID)
        context = {**self.each_context(request), "account": user, "days": accounts.LINK_DAYS}

        if state["step"] == "password":
            status = accounts.TOKENS[accounts.INVITE].check(user, state.get("token"))
            if status != accounts.OK:
                request.session.pop(ACTIVATION_KEY, None)
                return self.link_refused(request, status)
            form = accounts.LinkPasswordForm(user, request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()  # every link of this account made before is void from here
                if auth.confirmed_device(user) is not None:
                    return self.activation_done(request, user, _("Đã đặt mật khẩu. Mời bạn đăng nhập."))
                request.session[ACTIVATION_KEY] = {**state, "step": "enrol", "since": int(time.time())}
                return redirect("admin:staff_activate")
            context.update(title=_("Đặt mật khẩu"), step="password", form=form)
            return TemplateResponse(request, "admin/staff_activate.html", context)

        # Enrolment: an enrolment link stays good until used; after an invitation's password, this browser
        # may enrol for ENROL_SECONDS.
        if state["kind"] == accounts.ENROL:
            status = accounts.TOKENS[accounts.ENROL].check(user, state.get("token"))
        else:
            status = accounts.OK if time.time() - state.get("since", 0) <= ENROL_SECONDS else LATE
        if status != accounts.OK:
            request.session.pop(ACTIVATION_KEY, None)
            return self.link_refused(request, status)
        if auth.confirmed_device(user) is not None:
            return self.activation_done(request, user, _("Tài khoản đã có ứng dụng xác thực. Mời bạn đăng nhập."))
        required = auth.two_factor_required(user)
        if request.method == "POST" and "skip" in request.POST and not required:
            return self.activation_done(request, user, _("Đã đặt mật khẩu. Mời bạn đăng nhập."))
        device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=state.get("device")).first()
        if device is None:
            # A new secret for each link: one made earlier (by anyone) is never shown again.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=user, name=auth.DEVICE_NAME, confirmed=False)
            request.session[ACTIVATION_KEY] = {**state, "device": device.pk}
        form = auth.TokenForm(request.POST or None)
        if request.method == "POST" and "skip" not in request.POST and form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                if request.user.is_authenticated and request.user.pk == user.pk:
                    otp_login(request, device)  # enrolled from one's own session: it counts as verified
                return self.activation_done(
                    request,
                    user,
                    _(
                        "Đã bật xác thực hai bước. Từ nay, sau mật khẩu, hãy nhập mã 6 chữ số đang hiện trong ứng dụng."
                    ),
                )
            form.add_error("token", _("Mã chưa đúng. Kiểm tra giờ trên điện thoại và nhập mã mới đang hiện."))
        context.update(
            title=_("Thiết lập xác thực hai bước"),
            step="enrol",
            form=form,
            required=required,
            qr=auth.qr_data_uri(device.config_url),
            secret=auth.readable_secret(device),
        )
        return TemplateResponse(request, "admin/staff_activate.html", context)

    def activation_done(self, request, user, message):
        request.session.pop(ACTIVATION_KEY, None)
        messages.success(request, message)
        if request.user.is_authenticated and request.user.pk == user.pk and self.has_permission(request):
            return redirect("admin:index")
        return redirect("admin:login")

    def link_refused(self, request, status):
        """A link that cannot be used, said plainly, with what to do."""
        context = {
            **self.each_context(request),
            "title": _("Liên kết hết hạn")
            if status in (accounts.EXPIRED, LATE)
            else _("Liên kết không còn dùng được"),
            "expired": status == accounts.EXPIRED,
            "late": status == LATE,
            "days": accounts.LINK_DAYS,
        }
        return TemplateResponse(request, "admin/staff_link_invalid.html", context)
