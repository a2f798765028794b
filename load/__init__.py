"""Locust load scenarios; pure shape/threshold logic lives in modules that never import locust."""
