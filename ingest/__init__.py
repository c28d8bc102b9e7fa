"""Bottom layer: reading articles, splitting them, embedding and storing them."""
