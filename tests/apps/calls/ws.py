"""channels.testing.WebsocketCommunicator without daphne.

`channels.testing/__init__` imports the live-server test case, which needs daphne (a server
we do not use: uvicorn serves Calldesk). The communicator itself needs only asgiref, so the
package is registered without running its __init__ when daphne is absent.
"""

import os
import sys
import types

import channels

try:
    import daphne  # noqa: F401
except ImportError:
    if "channels.testing" not in sys.modules:
        _package = types.ModuleType("channels.testing")
        _package.__path__ = [os.path.join(os.path.dirname(channels.__file__), "testing")]
        sys.modules["channels.testing"] = _package

from channels.testing.websocket import WebsocketCommunicator  # noqa: E402

__all__ = ["WebsocketCommunicator"]
