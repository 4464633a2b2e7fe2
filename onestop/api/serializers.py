from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onestop.models import User


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


# A ward as every resource names it, its fields as wards.Ward defines them (declared here, in the
# base, so the people's resources need not import the places').
class WardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(label=_("Tên"), max_length=100)
    slug = serializers.SlugField(label=_("Tên viết không dấu"), max_length=50)


class CityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name")
    role = serializers.ChoiceField(choices=User._meta.get_field("role").choices, allow_blank=True)
    ward = WardRefSerializer(allow_null=True)
    city = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "ward", "city"]

    def get_city(self, user: User) -> dict | None:
        city = user.city or (user.ward.city if user.ward else None)
        return CityRefSerializer(city).data if city else None


INVALID_CREDENTIALS = _("Tên đăng nhập hoặc mật khẩu không đúng.")
LOCKED_OUT = _(
    "Tài khoản này đã nhập sai mật khẩu quá nhiều lần từ máy này. Vui lòng thử lại sau, hoặc "
    "liên hệ trưởng bộ phận một cửa."
)
