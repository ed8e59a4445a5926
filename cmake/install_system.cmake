# eimza — the part of the installation that depends on the prefix given at install time: the
# systemd units, the desktop entry and the settings files, written with the prefix's paths.
# Runs inside `cmake --install` (install(SCRIPT) in cmake/install.cmake), where
# CMAKE_INSTALL_PREFIX is that prefix; file(INSTALL) adds $DESTDIR itself.
# Settings files are installed only when missing: an operator's edits are never overwritten.
set(prefix "${CMAKE_INSTALL_PREFIX}")
if(prefix STREQUAL "/usr")
  set(etc "/etc")
else()
  set(etc "${prefix}/etc")
endif()
set(EIMZA_BINDIR "${prefix}/${EIMZA_BINDIR_REL}")
set(EIMZA_DATADIR "${prefix}/${EIMZA_DATADIR_REL}")
set(EIMZA_SYSCONFDIR "${etc}/eimza")
set(EIMZA_STATEDIR "/var/lib/eimza")
# `eimza agent` reads /etc/eimza/agent.conf by itself (then the person's own file); under
# another prefix its user service names the prefix's file
if(etc STREQUAL "/etc")
  set(EIMZA_AGENT_ARGS "")
else()
  set(EIMZA_AGENT_ARGS " --config ${EIMZA_SYSCONFDIR}/agent.conf")
endif()

set(pkg "${EIMZA_SOURCE_DIR}/packaging")
set(work "${EIMZA_WORK_DIR}")
file(MAKE_DIRECTORY "${work}")
set(rw OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# name in packaging/ | installed name | folder under the prefix
set(eimza_files
  "eimza.service.in|eimza.service|lib/systemd/system"
  "eimza-agent.service.in|eimza-agent.service|lib/systemd/user"
  "eimza-agent.desktop.in|eimza-agent.desktop|share/applications")
foreach(entry IN LISTS eimza_files)
  string(REGEX MATCHALL "[^|]+" parts "${entry}")
  list(GET parts 0 src)
  list(GET parts 1 name)
  list(GET parts 2 dir)
  configure_file("${pkg}/${src}" "${work}/${name}" @ONLY)
  file(INSTALL "${work}/${name}" DESTINATION "${prefix}/${dir}" PERMISSIONS ${rw})
endforeach()

# Several servers on one machine (docs/DEPLOYMENT.md, "Two servers"): eimza@N.service is
# eimza.service listening on 127.0.0.1:808N, made from it here so the two never differ in
# anything else (the sandbox above all).
file(READ "${work}/eimza.service" unit)
string(REPLACE "# eimza — the portal server as a systemd service"
       "# eimza — one of several portal servers on this machine (eimza@N.service listens on\n# 127.0.0.1:808N, N from 1 to 9; nginx spreads the requests over them); otherwise the\n# same as eimza.service, from which it is made at install time" unit "${unit}")
string(REPLACE "Description=eimza e-signature certificate renewal portal"
       "Description=eimza e-signature certificate renewal portal, server %i" unit "${unit}")
string(REGEX REPLACE "\n(ExecStart=[^\n]*)" "\n\\1 --listen 127.0.0.1:808%i" unit "${unit}")
if(NOT unit MATCHES "--listen 127.0.0.1:808%i\n")
  message(FATAL_ERROR "install_system: eimza@.service: no ExecStart line to add --listen to")
endif()
file(WRITE "${work}/eimza@.service" "${unit}")
file(INSTALL "${work}/eimza@.service" DESTINATION "${prefix}/lib/systemd/system" PERMISSIONS ${rw})

# settings: the file | installed name | mode
configure_file("${pkg}/eimza.conf.in" "${work}/eimza.conf" @ONLY)
set(eimza_settings
  "${work}/eimza.conf|eimza.conf|644"
  "${pkg}/secrets.conf|secrets.conf|640"
  "${pkg}/agent.conf|agent.conf|644")
foreach(entry IN LISTS eimza_settings)
  string(REGEX MATCHALL "[^|]+" parts "${entry}")
  list(GET parts 0 src)
  list(GET parts 1 name)
  list(GET parts 2 mode)
  if(EXISTS "$ENV{DESTDIR}${EIMZA_SYSCONFDIR}/${name}")
    message(STATUS "Kept (already there): $ENV{DESTDIR}${EIMZA_SYSCONFDIR}/${name}")
    continue()
  endif()
  if(mode STREQUAL "640")
    set(perm OWNER_READ OWNER_WRITE GROUP_READ)
  else()
    set(perm ${rw})
  endif()
  get_filename_component(srcname "${src}" NAME)
  if(NOT srcname STREQUAL name)
    message(FATAL_ERROR "install_system: ${src} is not named ${name}")
  endif()
  file(INSTALL "${src}" DESTINATION "${EIMZA_SYSCONFDIR}" PERMISSIONS ${perm})
endforeach()
