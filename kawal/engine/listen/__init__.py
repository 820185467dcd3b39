"""Understanding what is said about the organisation: topics, entities, and sentiment reused from screen/.

``Classifier(topics, org).classify(item)`` gives a :class:`~kawal.engine.listen.classify.Classification`
with the item's language, sentiment, topics (with scores), entities (with kinds) and the reasons for each.
"""
