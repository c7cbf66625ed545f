"""Verification reports (Markdown, self-contained HTML, JSON)."""
