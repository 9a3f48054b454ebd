"""One module per screen; modals live next to the screen that owns them."""
