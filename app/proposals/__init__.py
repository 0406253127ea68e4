"""The review queue: statements the extractor proposes in a source, which an editor accepts (as
attributions, through the one write path of statements), corrects or rejects."""
