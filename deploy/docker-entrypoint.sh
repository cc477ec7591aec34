#!/bin/sh
# Settings come from ONDEROP_* environment variables. For each ONDEROP_<NAME>_FILE, the file's content becomes
# ONDEROP_<NAME>, so that keys and passwords can be mounted as files (compose configs/secrets, Kubernetes volumes)
# instead of being written into the environment of the container definition.
set -eu
for name in $(env | sed -n 's/^\(ONDEROP_[A-Z0-9_]*\)_FILE=.*$/\1/p'); do
  file=$(printenv "${name}_FILE")
  if [ ! -r "$file" ]; then
    echo "onderop-entrypoint: ${name}_FILE points at $file, which cannot be read" >&2
    exit 78
  fi
  value=$(cat "$file")
  export "$name=$value"
  unset "${name}_FILE"
done
exec "$@"
