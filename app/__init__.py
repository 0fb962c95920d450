"""Semaine: the US1.6 calendar service, where every week runs Monday to Sunday."""

__version__ = "1.6.0"
