"""The Office's tool: pull, decrypt and register reports; keep the case register."""
