"""Pages of the public postal service; each module owns one part of it."""
