from __future__ import annotations

from typing import Any

from rest_framework import serializers

from medlead.organisation.models import PERSON_EDITABLE_FIELDS, Division, Person, Specialty, Trust
from medlead.structure.models import Post, PostType


class TrustSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", default=None, read_only=True)

    class Meta:
        model = Trust
        fields = ["code", "name", "kind", "region"]


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "name"]


class SpecialtySerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialty
        fields = ["id", "name", "division"]


class PeopleQuery(serializers.Serializer):
    """The people list's search: words matched against names, GMC and staff numbers."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PersonSerializer(serializers.ModelSerializer):
    """People: writes are validated by the model's own rules (GMC number, grade, trust) in the service."""

    specialty = serializers.PrimaryKeyRelatedField(queryset=Specialty.objects.none(), allow_null=True, required=False)

    class Meta:
        model = Person
        fields = ["id", *PERSON_EDITABLE_FIELDS]
        read_only_fields = ["id"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trust = self.context.get("trust")
        if trust is not None:
            self.fields["specialty"].queryset = Specialty.objects.filter(trust=trust)  # type: ignore[attr-defined]


class HolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    person_id = serializers.IntegerField()
    interim = serializers.BooleanField()


class PostSerializer(serializers.ModelSerializer):
    post_type = serializers.SlugRelatedField(slug_field="code", queryset=PostType.objects.all())
    reports_to = serializers.PrimaryKeyRelatedField(queryset=Post.objects.none(), allow_null=True, required=False)
    division = serializers.PrimaryKeyRelatedField(queryset=Division.objects.none(), allow_null=True, required=False)
    specialty = serializers.PrimaryKeyRelatedField(queryset=Specialty.objects.none(), allow_null=True, required=False)
    holders = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "code",
            "title",
            "post_type",
            "division",
            "specialty",
            "pas_allocated",
            "pas_required",
            "has_job_description",
            "reports_to",
            "holders",
        ]
        read_only_fields = ["id", "holders"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trust = self.context.get("trust")
        if trust is not None:
            self.fields["reports_to"].queryset = Post.objects.filter(trust=trust)  # type: ignore[attr-defined]
            self.fields["division"].queryset = Division.objects.filter(trust=trust)  # type: ignore[attr-defined]
            self.fields["specialty"].queryset = Specialty.objects.filter(trust=trust)  # type: ignore[attr-defined]

    def get_holders(self, obj: Post) -> list[dict[str, Any]]:
        return [
            {"name": h.person.display_name, "person_id": h.person_id, "interim": h.interim}
            for h in getattr(obj, "current_holders", [])
        ]


class PortfolioSerializer(serializers.Serializer):
    function = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField()
    kind = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named "source", not Field.source
    post_id = serializers.IntegerField(allow_null=True)


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    severity = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named "source", not Field.source
    subject = serializers.CharField()
    subject_id = serializers.CharField()


class OrgChartNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    type = serializers.CharField()
    type_name = serializers.CharField()
    division = serializers.CharField(allow_null=True)
    division_id = serializers.IntegerField(allow_null=True)
    pas = serializers.CharField()
    reports_to = serializers.IntegerField(allow_null=True)
    holders = HolderSerializer(many=True)


class OrgChartSerializer(serializers.Serializer):
    trust = TrustSerializer()
    nodes = OrgChartNodeSerializer(many=True)
    dotted_lines = serializers.ListField(child=serializers.DictField())


class OpportunitySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    source_reference = serializers.CharField(source="source", help_text="Where the opportunity comes from.")
    effort = serializers.CharField()
    duration = serializers.CharField()
    audience = serializers.ListField(child=serializers.CharField())
    roles = serializers.ListField(child=serializers.CharField())
    builds = serializers.ListField(child=serializers.CharField(), help_text="<framework code>/<item code>")


class SuccessionSerializer(serializers.Serializer):
    post_id = serializers.IntegerField()
    post = serializers.CharField()
    holders = serializers.ListField(child=serializers.CharField())
    successors = serializers.ListField(child=serializers.DictField())
    risk_score = serializers.IntegerField()
    at_risk = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
