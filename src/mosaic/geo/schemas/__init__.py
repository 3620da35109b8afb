"""geo's schemas: the query strings and paths it reads (`query`), the documents it sends
(`features`)."""
