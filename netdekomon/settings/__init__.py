"""Settings for ネット de 顧問, read from the environment, one module per concern.

With no environment at all the project runs for development on an embedded
SQLite file. Production values come from the environment; a wrong value
fails at start-up (django-environ raises ImproperlyConfigured). Every
variable is listed in docs/configuration.md (netdekomon/tests/test_configuration_doc.py
keeps the list true).

The modules are read in this order; a later one may use an earlier one's
values (DEBUG, TRUSTED_PROXY_COUNT), never the other way round.
"""

from .environment import *  # noqa: F401,F403
from .base import *  # noqa: F401,F403
from .apps import *  # noqa: F401,F403
from .database import *  # noqa: F401,F403
from .overload import *  # noqa: F401,F403
from .cache import *  # noqa: F401,F403
from .login import *  # noqa: F401,F403
from .passkeys import *  # noqa: F401,F403
from .sessions import *  # noqa: F401,F403
from .products import *  # noqa: F401,F403
from .i18n import *  # noqa: F401,F403
from .static import *  # noqa: F401,F403
from .mail import *  # noqa: F401,F403
from .security import *  # noqa: F401,F403
from .logs import *  # noqa: F401,F403
