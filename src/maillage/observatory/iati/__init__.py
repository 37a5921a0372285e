"""IATI activity files: the schema and codelists (``schema``, ``codelists``), the streaming
reader that validates and parses each activity (``reader``), and the import into the
observatory (``importer``)."""
