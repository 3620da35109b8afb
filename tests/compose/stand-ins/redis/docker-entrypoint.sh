#!/bin/bash
# The official redis image's entrypoint, reduced to what it does for a plain `redis-server ...`.
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi
if [ "$1" = "redis-server" ]; then
    # The official build turns protected mode off by default (the container network is the guard);
    # a config file, when given, must stay the first argument.
    if [ "${2%.conf}" != "${2:-}" ]; then
        set -- "$1" "$2" --protected-mode no "${@:3}"
    else
        set -- "$1" --protected-mode no "${@:2}"
    fi
    if [ "$(id -u)" = "0" ]; then
        find . \! -user redis -exec chown redis '{}' +
        exec setpriv --reuid=redis --regid=redis --init-groups "$@"
    fi
fi
exec "$@"
