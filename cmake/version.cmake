# The version comes from project(VERSION) alone; a build from a git checkout adds the commit.
# The commit is looked up at every build (not only at configure time) by a small script that
# rewrites the generated header only when it changes, so a new commit recompiles one file.
set(UVIS_VERSION_HEADER ${PROJECT_BINARY_DIR}/generated/uvis_version_generated.h)
add_custom_target(uvis_version_header
    COMMAND ${CMAKE_COMMAND} -DVERSION=${PROJECT_VERSION} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DOUTPUT=${UVIS_VERSION_HEADER} -P ${PROJECT_SOURCE_DIR}/cmake/write_version.cmake
    BYPRODUCTS ${UVIS_VERSION_HEADER}
    COMMENT "uvis version ${PROJECT_VERSION} (+ git commit)")
