from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (second login step, enrolment page) as admin.site."""

    default_site = "portal.admin_site.PortalAdminSite"
