"""Thruway hardware: the circuit as code, its checks, drawings, BOM and build guide."""
