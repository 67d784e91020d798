#!/bin/sh
# As in Debian's official images: packages installed in a build never start their services.
exit 101
