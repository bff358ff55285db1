"""Serializer building blocks shared by every API: strict input and the error shape."""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """Rejects fields it does not declare, so a client cannot slip in server-owned values.

    A request that tries to set an id, a price it may not set or a stock level learns at once
    (400 validation_error naming the field) instead of having the field silently ignored.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            allowed = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - allowed)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not allowed."] for name in unknown}
                )
        return super().to_internal_value(data)


class ErrorDetailOutput(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable reason, e.g. not_found.")
    message = serializers.CharField(help_text="A sentence for people.")
    details = serializers.DictField(help_text="Field errors or other specifics; may be empty.")


class ErrorOutput(serializers.Serializer):
    """The one error shape of every service."""

    error = ErrorDetailOutput()
