"""API of deliveries by post: `/api/v1/deliveries/` (list, create, detail), `…/{id}/transitions/`
(hand-over, in transit, delivered, failed, back at the counter) and `…/quote/` (the price).

The same selectors and services as the pages. Lists mask the recipient's phone and omit the
street, as the pages do; one delivery shows them to the staff who may read it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from intake.models import Dossier
from intake.privacy import personal_data_access_log
from intake.selectors import dossier_for_user
from postal.deliveries.models import Delivery, DeliveryDirection, DeliveryStatus, Zone
from postal.deliveries.selectors import DeliveryFilters, delivery_for_user, delivery_list
from postal.deliveries.services import (
    AddressInput,
    delivery_advance,
    delivery_quote,
    delivery_record_inbound,
    delivery_send,
)
from postal.deliveries.views._base import mask

DAY_FORMAT = "%Y-%m-%d"


class DeliveryListSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code", read_only=True)
    ward = serializers.CharField(source="ward.slug", read_only=True)
    recipient_phone = serializers.SerializerMethodField()
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "dossier",
            "ward",
            "direction",
            "status",
            "waybill_code",
            "recipient_name",
            "recipient_phone",
            "ward_name",
            "city_name",
            "province_name",
            "zone",
            "fee",
            "collected_amount",
            "collection_charge",
            "total",
            "created_at",
        ]
        read_only_fields = fields

    def get_recipient_phone(self, delivery: Delivery) -> str:
        return mask(delivery.recipient_phone)


def _who(user) -> str | None:
    return user.get_full_name() or user.username if user else None


class DeliverySerializer(DeliveryListSerializer):
    street = serializers.CharField(read_only=True)
    recipient_phone = serializers.CharField(read_only=True)
    steps = serializers.SerializerMethodField()

    class Meta(DeliveryListSerializer.Meta):
        fields = [
            *DeliveryListSerializer.Meta.fields,
            "street",
            "note",
            "failure_reason",
            "steps",
        ]
        read_only_fields = fields

    def get_steps(self, delivery: Delivery) -> list[dict]:
        """Who recorded each step, and when."""
        steps = [{"status": "created", "at": delivery.created_at, "by": _who(delivery.created_by)}]
        for status_, prefix in (
            ("handed_to_post", "handed"),
            ("in_transit", "in_transit"),
            ("delivered", "delivered"),
            ("failed", "failed"),
            ("returned_to_counter", "returned"),
        ):
            at = getattr(delivery, f"{prefix}_at")
            if at is not None:
                steps.append(
                    {"status": status_, "at": at, "by": _who(getattr(delivery, f"{prefix}_by"))}
                )
        return sorted(steps, key=lambda step: step["at"])


class DeliveryCreateSerializer(serializers.Serializer):
    dossier = serializers.CharField(max_length=40, help_text=_("Mã hồ sơ."))
    direction = serializers.ChoiceField(
        choices=DeliveryDirection.choices,
        default=DeliveryDirection.OUTBOUND,
        help_text=_(
            "outbound: gửi kết quả (hồ sơ phải “Có kết quả”); inbound: bưu gửi mang hồ sơ "
            "kênh 3 đến."
        ),
    )
    recipient_name = serializers.CharField(max_length=200)
    recipient_phone = serializers.CharField(max_length=20)
    street = serializers.CharField(max_length=200)
    ward_name = serializers.CharField(max_length=100)
    city_name = serializers.CharField(max_length=100)
    province_name = serializers.CharField(max_length=100)
    waybill_code = serializers.CharField(
        max_length=20, help_text=_("Mã UPU S10, ví dụ EL123456785VN.")
    )
    collects_fee = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    request_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Khóa chống gửi lặp (hoặc tiêu đề Idempotency-Key)."),
    )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[c for c in DeliveryStatus.choices if c[0] != DeliveryStatus.CREATED]
    )
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Bắt buộc khi phát không thành công."),
    )
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None
    )


class DeliveryFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=DeliveryStatus.choices, required=False, allow_blank=True
    )
    direction = serializers.ChoiceField(
        choices=DeliveryDirection.choices, required=False, allow_blank=True
    )
    day = serializers.DateField(required=False, input_formats=[DAY_FORMAT])
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    ward = serializers.SlugField(required=False, allow_blank=True, max_length=50)


class QuoteRequestSerializer(serializers.Serializer):
    dossier = serializers.CharField(max_length=40)
    city_name = serializers.CharField(max_length=100)
    province_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    collects_fee = serializers.BooleanField(required=False, default=False)


class QuoteSerializer(serializers.Serializer):
    zone = serializers.ChoiceField(choices=Zone.choices)
    fee = serializers.IntegerField()
    collected_amount = serializers.IntegerField()
    collection_charge = serializers.IntegerField()
    total = serializers.IntegerField()
    tariff_valid_from = serializers.DateField(source="tariff.valid_from")


def _dossier_or_400(user, code: str) -> Dossier:
    try:
        return dossier_for_user(user=user, code=code)
    except Dossier.DoesNotExist:
        raise ValidationError({"dossier": [_("Không tìm thấy hồ sơ này.")]}) from None


@extend_schema_view(
    list=extend_schema(
        parameters=[DeliveryFilterSerializer],
        responses={200: DeliveryListSerializer(many=True), 400: OpenApiTypes.OBJECT},
    ),
    retrieve=extend_schema(responses={200: DeliverySerializer, 404: OpenApiTypes.OBJECT}),
)
class DeliveryViewSet(viewsets.GenericViewSet):
    """Deliveries by post of the caller's ward (a city admin: read-only, the city's)."""

    serializer_class = DeliverySerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Delivery.objects.none()  # every read goes through the selectors below

    def list(self, request):
        query = DeliveryFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = DeliveryFilters(**{k: v for k, v in query.validated_data.items() if v})
        deliveries = delivery_list(user=request.user, filters=filters)
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliveryListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        delivery = delivery_for_user(user=request.user, delivery_id=int(pk))
        personal_data_access_log(
            user=request.user,
            dossier=delivery.dossier,
            params={"view": "api-delivery", "delivery": delivery.pk},
        )
        return Response(DeliverySerializer(delivery).data)

    @extend_schema(
        request=DeliveryCreateSerializer,
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)
        ],
        responses={
            201: DeliverySerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    def create(self, request):
        data = DeliveryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        _dossier_or_400(request.user, values["dossier"])
        address = AddressInput(**{name: values[name] for name in AddressInput.__dataclass_fields__})
        given = {
            "user": request.user,
            "code": values["dossier"],
            "address": address,
            "waybill_code": values["waybill_code"],
            "collects_fee": values["collects_fee"],
            "note": values["note"],
        }
        if values["direction"] == DeliveryDirection.INBOUND:
            delivery = delivery_record_inbound(**given)
        else:
            key = values["request_id"] or request.headers.get("Idempotency-Key", "")
            delivery = delivery_send(**given, request_id=key[:64])
        delivery = delivery_for_user(user=request.user, delivery_id=delivery.pk)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: DeliverySerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Record the delivery's next step; delivered and failed move the dossier too."""
        delivery = delivery_for_user(user=request.user, delivery_id=int(pk))
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delivery_advance(
            user=request.user,
            delivery_id=delivery.pk,
            to=data.validated_data["to"],
            reason=data.validated_data["reason"],
            satisfaction=data.validated_data["satisfaction"],
        )
        delivery = delivery_for_user(user=request.user, delivery_id=delivery.pk)
        return Response(DeliverySerializer(delivery).data)

    @extend_schema(
        parameters=[QuoteRequestSerializer],
        responses={200: QuoteSerializer, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"])
    def quote(self, request):
        """The price of delivering the dossier's result to an address, before creating it."""
        query = QuoteRequestSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        dossier = _dossier_or_400(request.user, values["dossier"])
        quote = delivery_quote(
            dossier=dossier,
            city_name=values["city_name"],
            province_name=values["province_name"],
            collects_fee=values["collects_fee"],
        )
        return Response(QuoteSerializer(quote).data)


router = SimpleRouter()
router.register("deliveries", DeliveryViewSet, basename="delivery")
urlpatterns = router.urls
