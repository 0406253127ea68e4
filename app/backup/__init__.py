"""A lossless backup of the whole database as one stream, and its restore into an empty database of
either kind (`claimtrack export`, `claimtrack import`)."""
