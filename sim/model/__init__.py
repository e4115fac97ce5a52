"""The negotiation model: arenas (talks, front, economy, council, coalition, shocks, durability)
composed by :class:`NegotiationModel`, with the agents of each role and the run's typed parameters.

Arrows point one way: the run's parameters, the shared run state and the event sink sit below the
arenas; an arena never imports the model or another arena's private state; the model composes them.
"""

from .assessment import halton
from .events import OUTCOMES, Event
from .model import NegotiationModel

__all__ = ["OUTCOMES", "Event", "NegotiationModel", "halton"]
