"""Measures of spread between schools: one family per module (cv, gini, theil, …)."""
