"""Rectification items (整改事项): the workflow, measures, evidence files, the business-help import and the export."""
