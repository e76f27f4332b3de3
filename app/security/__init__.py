"""Keys: the data key, its passphrase wrapping, the OS keyring cache and unlock back-off."""
