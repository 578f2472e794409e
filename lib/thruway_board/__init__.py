"""Thruway's board shell: pin map, ports and the firmware loop (CircuitPython; runs on the host against fakes)."""
