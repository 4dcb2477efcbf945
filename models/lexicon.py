"""English word lists shared by every layer: one stop-word list and the function words inside names."""

from __future__ import annotations

# Function words a long form or a title may contain without their carrying its meaning
# ("Children in Need" -> CIN, "Written Statement of Action" -> WSoA, "H&WB").
CONNECTORS = frozenset({"and", "&", "of", "the", "for", "in", "or", "to", "on", "with", "a", "an", "at", "by"})

# Words that carry no meaning in a query or a title; the connectors and the question words among them.
STOP_WORDS = CONNECTORS | frozenset(
    """about after all also any are as be been can could did do does from had has have how i into is it its many may
    me more most much my our out said say says should so than that their them there these they this those up us was
    we were what when where which who whom why will would you your""".split()
)
