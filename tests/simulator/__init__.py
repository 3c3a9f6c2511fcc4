"""Tests of the Bem Melhor PBX simulator (bemmelhor_simulator)."""
