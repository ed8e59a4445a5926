# eimza — what the tests that install into a clean Debian 12 root share (sourced by
# tests/package/test_clean_root.sh and test_deployment.sh after tests/lib.sh): the kept
# minbase root, the mounts a chroot needs, and running a command in it. The caller sets
# cache, base, archives, mirror and security, keeps a `mounts` array (taken down by its own
# teardown, which this file's kept_minbase calls) and may set ROOT_LABEL for its messages.
#
#   kept_minbase          debootstraps $base once (minbase bookworm) and refreshes its package
#                         lists when older than a day; the callers hold $cache/.lock meanwhile
#   mount_root_fs ROOT    /proc, a /dev of its own (a few nodes, ptys, /dev/fd), apt's cache
#   in_root ROOT CMD...   CMD in the chroot with a clean environment
#   exec_in_root ...      the same with `exec` (run as ( exec_in_root ... ) &, $! is CMD)

mount_root_fs() {
  local r=$1
  mount -t proc proc "$r/proc" && mounts+=("$r/proc") || return 1
  mount -t tmpfs -o mode=0755,nosuid dev "$r/dev" && mounts+=("$r/dev") || return 1
  mknod -m 0666 "$r/dev/null" c 1 3 && mknod -m 0666 "$r/dev/zero" c 1 5 &&
    mknod -m 0666 "$r/dev/random" c 1 8 && mknod -m 0666 "$r/dev/urandom" c 1 9 &&
    mknod -m 0666 "$r/dev/tty" c 5 0 && mkdir -p "$r/dev/shm" "$r/dev/pts" || return 1
  # a pseudo-terminal instance of its own, for apt's log of maintainer scripts
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$r/dev/pts" &&
    mounts+=("$r/dev/pts") && ln -s pts/ptmx "$r/dev/ptmx" || return 1
  # what a shell needs of /dev besides (process substitution: /dev/fd)
  ln -s /proc/self/fd "$r/dev/fd" && ln -s /proc/self/fd/0 "$r/dev/stdin" &&
    ln -s /proc/self/fd/1 "$r/dev/stdout" && ln -s /proc/self/fd/2 "$r/dev/stderr" || return 1
  mkdir -p "$archives/partial" "$r/var/cache/apt/archives"
  mount --bind "$archives" "$r/var/cache/apt/archives" && mounts+=("$r/var/cache/apt/archives")
  cp /etc/resolv.conf "$r/etc/resolv.conf"
}

in_root() { (exec_in_root "$@"); }
exec_in_root() {
  exec chroot "$1" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${@:2}"
}

kept_minbase() {
  local label=${ROOT_LABEL:-root} st
  if [ ! -f "$base/.eimza-ready" ]; then
    echo "$label: debootstrap --variant=minbase bookworm into $base (first run only)"
    rm -rf --one-file-system "$base" "$base.tmp"
    if ! debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >"$T/debootstrap.log" 2>&1; then
      tail -n 20 "$T/debootstrap.log"
      fail "debootstrap bookworm from $mirror"
      finish
    fi
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
      "$mirror" "$mirror" "$security" >"$base.tmp/etc/apt/sources.list"
    touch "$base.tmp/.eimza-ready"
    mv "$base.tmp" "$base"
  fi
  if [ -z "$(find "$base/.eimza-lists" -mtime -1 2>/dev/null)" ]; then
    echo "$label: refreshing the package lists of $base"
    mount_root_fs "$base" || { fail "mounts in $base"; finish; }
    in_root "$base" apt-get -qq update >"$T/update.log" 2>&1
    st=$?
    teardown
    [ "$st" -eq 0 ] || { cat "$T/update.log"; fail "apt-get update in the kept root"; finish; }
    touch "$base/.eimza-lists"
  fi
}
