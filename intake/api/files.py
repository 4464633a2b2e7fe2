"""API of digitised components: `/api/v1/dossiers/{code}/files/` (list, upload as multipart),
`…/files/{id}/` (download the stored bytes) and `…/files/{id}/supersede/`.

The same selectors and services as the pages: scope decides what exists (404), the service
refuses a wrong type or size with 400 and stores nothing.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from intake.file_services import dossier_file_supersede, dossier_file_upload
from intake.models import DossierFile
from intake.privacy import personal_data_access_log
from intake.selectors import dossier_file_for_user, dossier_files, dossier_for_user
from intake.views.files import file_response
from onestop.api.pagination import PageNumberPagination


class DossierFileSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.get_full_name", read_only=True)
    superseded_by = serializers.CharField(
        source="superseded_by.get_full_name", read_only=True, allow_null=True, default=None
    )
    current = serializers.BooleanField(source="is_current", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = DossierFile
        fields = [
            "id",
            "component",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "uploaded_by",
            "current",
            "superseded_at",
            "superseded_by",
            "superseded_reason",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, file: DossierFile) -> str:
        return reverse(
            "dossier-file-detail",
            kwargs={"code": self.context["code"], "file_id": file.pk},
            request=self.context.get("request"),
        )


class DossierFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text=_("Tệp đã quét: PDF, JPEG hoặc PNG (xét theo nội dung), tối đa UPLOAD_MAX_MB."),
    )
    component = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=_("Tên thành phần hồ sơ như trong danh sách của hồ sơ; trống: giấy tờ khác."),
    )
    request_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=_("Khóa chống gửi lặp: gửi lại cùng khóa trả về tệp đã tải."),
    )


class DossierFileSupersedeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    request_id = serializers.CharField(required=False, allow_blank=True, max_length=64)


class DossierFileListView(APIView):
    """The scanned files of a dossier; POST uploads one file (multipart, field `file`)."""

    parser_classes = [MultiPartParser, FormParser]
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="dossier_files_list",
        responses={200: DossierFileSerializer(many=True), 404: OpenApiTypes.OBJECT},
    )
    def get(self, request, code: str):
        dossier_for_user(user=request.user, code=code)  # 404 outside the caller's scope
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            dossier_files(user=request.user, code=code), request, view=self
        )
        data = DossierFileSerializer(page, many=True, context={"request": request, "code": code})
        return paginator.get_paginated_response(data.data)

    @extend_schema(
        operation_id="dossier_files_upload",
        request={"multipart/form-data": DossierFileUploadSerializer},
        responses={
            201: DossierFileSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Sai loại, quá lớn, rỗng")),
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request, code: str):
        dossier_for_user(user=request.user, code=code)
        data = DossierFileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        file = dossier_file_upload(
            user=request.user,
            code=code,
            upload=data.validated_data["file"],
            component=data.validated_data.get("component", ""),
            request_id=data.validated_data.get("request_id", ""),
        )
        body = DossierFileSerializer(file, context={"request": request, "code": code}).data
        return Response(body, status=status.HTTP_201_CREATED)


class AnyContent(BaseContentNegotiation):
    """A download answers with the file's own type whatever the client's Accept header says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DossierFileDownloadView(APIView):
    """The stored bytes of one scanned file, with its sniffed type, as an attachment."""

    content_negotiation_class = AnyContent

    @extend_schema(
        operation_id="dossier_files_download",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            404: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request, code: str, file_id: int):
        file = dossier_file_for_user(user=request.user, code=code, file_id=file_id)
        personal_data_access_log(
            user=request.user, dossier=file.dossier, params={"view": "api-file", "file": file.pk}
        )
        return file_response(file)


class DossierFileSupersedeView(APIView):
    """Mark one scanned file superseded (it stays listed, with the reason)."""

    @extend_schema(
        operation_id="dossier_files_supersede",
        request=DossierFileSupersedeSerializer,
        responses={
            200: DossierFileSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request, code: str, file_id: int):
        dossier_file_for_user(user=request.user, code=code, file_id=file_id)
        data = DossierFileSupersedeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        file = dossier_file_supersede(
            user=request.user,
            code=code,
            file_id=file_id,
            reason=data.validated_data["reason"],
            request_id=data.validated_data.get("request_id", ""),
        )
        body = DossierFileSerializer(file, context={"request": request, "code": code}).data
        return Response(body)
