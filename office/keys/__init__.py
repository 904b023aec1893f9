"""The Office's keys: which public keys the register encrypts to."""
