"""Documents from structured data: one neutral model rendered as docx, PDF (Qt) and OFD."""
