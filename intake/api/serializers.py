from rest_framework import serializers

from intake.models import Procedure


class ComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    originals = serializers.IntegerField(min_value=0)
    copies = serializers.IntegerField(min_value=0)


class ProcedureSerializer(serializers.ModelSerializer):
    components = ComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "code",
            "code_is_national",
            "name",
            "field",
            "level",
            "resolving_agency",
            "processing_days",
            "fee",
            "postal_eligible",
            "components",
            "active",
            "effective_from",
            "effective_to",
        ]
