"""Leitai (擂台): a platform for a city's arena contests."""

__version__ = "0.1.0"
