"""Postal workers' work at the counter: roster, authorisations, data entry, guidance, deliveries."""
