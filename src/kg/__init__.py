"""kg: Ofsted children's-services inspection reports -> a validated RDF knowledge graph."""
__version__ = "0.1.0"


def open(path="out"):
    """A built graph for analysis: `.query(name, **params)` -> rows, `.table(name)` -> DataFrame.

    `path` is a build's output folder (default out/) or a graph file; see kg.analysis.
    """
    from .analysis import open_graph

    return open_graph(path)
