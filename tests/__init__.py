"""Tests of the Bem Melhor project."""
