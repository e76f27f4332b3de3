"""The findings closed loop: lifecycle rules, deadlines and clause suggestions (no Qt)."""
