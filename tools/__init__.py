"""Developer tools that are not part of the runtime package: the benchmark (``make bench``) and the
extraction quality scorer (``make quality``)."""
