"""Daily briefings: stories, agreed and contested claims, revisions, rendering."""
