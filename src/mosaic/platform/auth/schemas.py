from __future__ import annotations

from typing import Any

import marshmallow as ma

from mosaic.platform.auth.domain import Role


class JsonBoolean(ma.fields.Boolean):
    """true or false only: not 1, 0, "yes" (1 == True in Python, so truthy={True} lets 1 in)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Credentials(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256))


class TokenRead(ma.Schema):
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()
    token_type = ma.fields.String(dump_default="Bearer")
    expires_in = ma.fields.Integer()


class UserWrite(ma.Schema):
    role = ma.fields.Enum(Role, by_value=True, required=True)
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=8, max=256))


class UserChange(ma.Schema):
    role = ma.fields.Enum(Role, by_value=True)
    disabled = JsonBoolean()


class UserRead(ma.Schema):
    username = ma.fields.String()
    role = ma.fields.Enum(Role, by_value=True)
    disabled = ma.fields.Boolean()
