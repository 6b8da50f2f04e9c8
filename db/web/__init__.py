"""The website: the Datasette site citator serves (pages, views, canned queries, search, summary
tables, the plugin, templates and static files), built from the database db/ owns."""
