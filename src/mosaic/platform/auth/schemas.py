from __future__ import annotations

import marshmallow as ma

from mosaic.platform.auth.domain import Role


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
    disabled = ma.fields.Boolean(truthy={True}, falsy={False})


class UserRead(ma.Schema):
    username = ma.fields.String()
    role = ma.fields.Enum(Role, by_value=True)
    disabled = ma.fields.Boolean()
