"""qbXML without I/O: request builders, response parsers, text rules, status codes and versions."""
