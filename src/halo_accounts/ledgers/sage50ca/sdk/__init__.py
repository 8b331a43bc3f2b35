"""The Sage 50 Accounting SDK (.NET, `Sage_SA.SDK`) as this connector uses it: loading, results, alerts, session."""
