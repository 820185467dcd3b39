"""Screening before posting: language, tone, leaks, legal risk, policy and verdict."""
