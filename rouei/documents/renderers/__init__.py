"""Renderers: tables and documents into the formats Japanese offices open."""
