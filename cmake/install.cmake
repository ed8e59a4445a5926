# eimza — installing (`make install`, `cmake --install`; PREFIX and DESTDIR honoured) and the
# tests of the installed tree and of the Debian packages. Included at the end of
# CMakeLists.txt.
#
# What goes where, under the prefix given at install time (`cmake --install BUILD --prefix P`;
# `make install PREFIX=P`, default /usr/local), so one build installs anywhere:
#   bin/eimza
#   share/eimza/static/                 the pages' CSS, scripts and pictures
#   share/eimza/node_modules/@picocss/pico/css/pico.classless.min.css
#                                       the CSS library, where static_dir/../node_modules is
#   share/eimza/templates/{tr,en}/      the built-in message texts as files (to copy and change;
#                                       written from the catalogue po/ by the build)
#   share/eimza/trust/                  the shipped Kamu SM root certificates (their
#                                       fingerprints: share/doc/eimza/trust-anchors.md)
#   share/man/man1/eimza.1 eimza-agent.1, share/man/man5/eimza.conf.5
#   share/applications/eimza-agent.desktop      x-scheme-handler/eimza -> eimza agent --handle-url
#   share/eimza/nginx/eimza.conf        the nginx site in front of the servers (TLS, limits)
#   lib/systemd/system/eimza.service, eimza@.service (several servers on one machine),
#   lib/systemd/user/eimza-agent.service,
#   lib/sysusers.d/eimza.conf           the service, the agent's user service, the system user
#   ETC/eimza/eimza.conf secrets.conf (0640) agent.conf   ETC is /etc for the prefix /usr,
#                                       P/etc otherwise; installed only when missing, so an
#                                       operator's edits are never overwritten
# The state directory is /var/lib/eimza whatever the prefix (systemd's StateDirectory=); it is
# made by systemd when the service starts, or by the Debian package. The database migrations
# are embedded in the binary, so there are none to install.
# The units and the settings files are written with the prefix's paths by
# cmake/install_system.cmake when installing. The binary finds share/eimza/ from its own place
# (src/cli/cli_config.h), so DESTDIR trees work too; CLI_DATADIR_REL is that relative path.
include(GNUInstallDirs)

file(RELATIVE_PATH eimza_datadir_rel /x/${CMAKE_INSTALL_BINDIR} /x/${CMAKE_INSTALL_DATADIR}/eimza)
set_property(SOURCE ${PROJECT_SOURCE_DIR}/src/cli/cli_config.c APPEND PROPERTY
  COMPILE_DEFINITIONS CLI_DATADIR_REL="${eimza_datadir_rel}")

install(TARGETS eimza RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set(eimza_share ${CMAKE_INSTALL_DATADIR}/eimza)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/static/ DESTINATION ${eimza_share}/static)
install(FILES ${PROJECT_SOURCE_DIR}/node_modules/@picocss/pico/css/pico.classless.min.css
        DESTINATION ${eimza_share}/node_modules/@picocss/pico/css)
install(DIRECTORY ${PROJECT_BINARY_DIR}/templates/ DESTINATION ${eimza_share}/templates)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/trust/ DESTINATION ${eimza_share}/trust
        FILES_MATCHING PATTERN "*.pem")
install(FILES ${PROJECT_SOURCE_DIR}/trust/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME trust-anchors.md)
install(FILES ${PROJECT_SOURCE_DIR}/man/eimza.1 ${PROJECT_SOURCE_DIR}/man/eimza-agent.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/man/eimza.conf.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
# nginx in front (docs/DEPLOYMENT.md): the site to copy into /etc/nginx/sites-available
install(FILES ${PROJECT_SOURCE_DIR}/packaging/nginx/eimza.conf DESTINATION ${eimza_share}/nginx)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/eimza.sysusers DESTINATION lib/sysusers.d
        RENAME eimza.conf)
install(CODE "set(EIMZA_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
set(EIMZA_BINDIR_REL \"${CMAKE_INSTALL_BINDIR}\")
set(EIMZA_DATADIR_REL \"${eimza_share}\")
set(EIMZA_WORK_DIR \"${PROJECT_BINARY_DIR}/install-work\")")
install(SCRIPT ${PROJECT_SOURCE_DIR}/cmake/install_system.cmake)

# ---- tests: tests/package/test_*.sh, once each (no database backend of their own) ----------
# install: `make install DESTDIR=` lays out the tree and the installed binary serves with its
# installed files. debs: scripts/build-deb.sh builds the packages (a release build of its own
# in the test's folder) and lintian passes them; it leaves them for clean_root, which installs
# them into a debootstrapped Debian 12 (kept in /var/cache/eimza-test/) and starts the server
# there as the service would.
file(GLOB eimza_pkg_tests CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/package/test_*.sh)
foreach(t ${eimza_pkg_tests})
  get_filename_component(n ${t} NAME_WE)
  add_test(NAME package/${n} COMMAND bash ${t})
  set_tests_properties(package/${n} PROPERTIES LABELS package SKIP_RETURN_CODE 77 TIMEOUT 1800
    ENVIRONMENT
    "EIMZA_SOURCE_DIR=${PROJECT_SOURCE_DIR};EIMZA_BIN=$<TARGET_FILE:eimza>;EIMZA_PKG_DIR=${PROJECT_BINARY_DIR}/package")
endforeach()
if(EXISTS ${PROJECT_SOURCE_DIR}/tests/package/test_debs.sh)
  set_tests_properties(package/test_debs PROPERTIES FIXTURES_SETUP eimza_debs)
endif()
if(EXISTS ${PROJECT_SOURCE_DIR}/tests/package/test_clean_root.sh)
  set_tests_properties(package/test_clean_root PROPERTIES FIXTURES_REQUIRED eimza_debs
    RESOURCE_LOCK eimza_debian_root)
endif()
# deployment: docs/DEPLOYMENT.md's blocks run in a Debian 12 root of the same kind (the same
# kept minbase root, hence the lock), with PostgreSQL and nginx from Debian
if(EXISTS ${PROJECT_SOURCE_DIR}/tests/package/test_deployment.sh)
  set_tests_properties(package/test_deployment PROPERTIES FIXTURES_REQUIRED eimza_debs
    RESOURCE_LOCK eimza_debian_root TIMEOUT 900)
endif()
