"""The command line (no Qt): argparse front end over the services."""
