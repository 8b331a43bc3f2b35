"""Sage Data Objects protocol for Sage 50 UK: field tables, error codes and the COM transport."""
