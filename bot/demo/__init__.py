"""`caretriage demo`: the real pipeline on a bundled stream, through local fake channels."""
