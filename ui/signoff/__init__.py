"""Sign-off mode (locked, one audit) and the signature pad."""
