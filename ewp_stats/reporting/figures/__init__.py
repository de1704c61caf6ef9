"""The book's figures, one function per published figure, grouped by chapter; :mod:`.output`
writes them as byte-identical PNG and SVG files."""
