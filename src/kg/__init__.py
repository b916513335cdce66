"""kg: Ofsted children's-services inspection reports -> a validated RDF knowledge graph."""
__version__ = "0.1.0"
