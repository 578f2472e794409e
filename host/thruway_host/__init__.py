"""Thruway's host tools: the `thruway` command (never copied to the board)."""
