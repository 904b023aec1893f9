"""The half-year report: the figures counted from the register, and their Word, Markdown, CSV and chart forms."""
