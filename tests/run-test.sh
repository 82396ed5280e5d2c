#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one test for the TAP driver: GTest programs get --tap, scripts run as they are.
case "$1" in
  *.sh) exec "$@" ;;
  *) exec "$@" --tap ;;
esac
