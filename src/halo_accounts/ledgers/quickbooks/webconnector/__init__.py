"""The QuickBooks Web Connector endpoint: QBWC polls us over SOAP and we hand it qbXML one request at a time."""
