"""`Authorization: Device <key>`: a kiosk, display or evaluation tablet of the hall, by its key."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from hall.devices import device_for_key
from onestop.api.authentication import key_from_header


class DeviceAuthentication(authentication.BaseAuthentication):
    keyword = "Device"

    def authenticate(self, request):
        key = key_from_header(request, self.keyword, _("Mã thiết bị không hợp lệ."))
        if key is None:
            return None
        device = device_for_key(key)
        if device is None:
            raise exceptions.AuthenticationFailed(_("Mã thiết bị không hợp lệ."))
        if device.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Mã thiết bị đã bị thu hồi."))
        return AnonymousUser(), device

    def authenticate_header(self, request):
        return self.keyword


class DeviceScheme(OpenApiAuthenticationExtension):
    target_class = DeviceAuthentication
    name = "deviceAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "“Device” rồi mã thiết bị: máy lấy số, màn hình gọi số hoặc máy tính bảng đánh giá."
            ),
        }


class StaffOrDevice(permissions.BasePermission):
    """A signed-in person, or a live device key of the kind the view names."""

    def has_permission(self, request, view):
        if request.user and request.user.is_authenticated:
            return True
        device = request.auth
        return getattr(device, "kind", None) in getattr(view, "device_kinds", ())
