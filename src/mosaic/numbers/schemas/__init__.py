"""marshmallow schemas of the numbers API: fields, the list's query, each version's body."""
