"""Statements (attributions) as every domain reads them, below actors, sources, claims and attributions.

The pages of an actor, a source and a claim all list statements; attributions writes them. What they
share to read them lives here, so that none of them imports the attributions package: which statements
are shown, how one loads for its schema, the filters their lists share, and the schema itself.
"""
