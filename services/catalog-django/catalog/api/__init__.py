"""HTTP adapters of the catalog: validate input, call one service or selector, serialise."""
