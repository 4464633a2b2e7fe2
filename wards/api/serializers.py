from rest_framework import serializers

from wards.models import Ward


class WardSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name")

    class Meta:
        model = Ward
        fields = [
            "id",
            "name",
            "slug",
            "admin_code",
            "unit_identifier",
            "city",
            "pilot_phase",
            "pilot_started_on",
            "active",
        ]
