"""`planner serve`: the workspace for guests without an account on the box, in a browser
(textual-serve) or over SSH (asyncssh), each guest running their own `planner`."""

import warnings

# asyncssh names DSA key classes in its type hints, and a recent `cryptography` warns of
# DSA's end as they are read, at import: lines of warnings on stderr before `planner
# serve` said a word of its own. (planner's host key is Ed25519.)
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"asyncssh\.")
