# Local minimal stubs: peewee ships types for peewee itself (peewee-stubs) but not for playhouse.
# Only what the project imports is described here.
