"""The workforce mechanisms, one module each (see :mod:`.base` for what a mechanism is).

Importing a module registers its mechanisms; the order of the imports is the order in which the
front door calls their hooks (absences are drawn before training is booked around them;
recording is owed before the assessment is rated; supervision is dealt before posts turn over).
"""

# isort: off
from caseload_sim.model.mechanisms import absence  # noqa: F401
from caseload_sim.model.mechanisms import sign_off  # noqa: F401
from caseload_sim.model.mechanisms import recording  # noqa: F401
from caseload_sim.model.mechanisms import quality  # noqa: F401
from caseload_sim.model.mechanisms import supervision  # noqa: F401
from caseload_sim.model.mechanisms import flow  # noqa: F401

# isort: on
from caseload_sim.model.mechanisms.base import Mechanism, factories, mechanism

__all__ = ["Mechanism", "factories", "mechanism"]
