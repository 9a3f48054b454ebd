"""`planner serve`: the workspace for guests without an account on the box, in a browser
(textual-serve) or over SSH (asyncssh), each guest running their own `planner`."""
