"""Serializer building blocks shared by every API of this service."""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """An input serializer that rejects fields it does not declare.

    A client that sends `price`, `status` or `user_id` learns at once that it cannot set them
    (400 `validation_error` naming each field) instead of being silently ignored.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field: it cannot be set here."] for name in unknown}
                )
        return super().to_internal_value(data)
