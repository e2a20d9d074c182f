"""Workbench pages, one module per workplace."""
